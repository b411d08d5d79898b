package dev.jbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cases from Docker's distribution/reference (normalize_test.go, reference_test.go). */
class ReferenceTest {
    private static final String HEX = "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";

    @Test
    void normalisesFamiliarNamesToDockerHub() {
        assertThat(Reference.parse("busybox").withDefaultTag()).hasToString("docker.io/library/busybox:latest");
        assertThat(Reference.parse("busybox").tag()).isNull();
        assertThat(Reference.parse("dmcgowan/myapp")).hasToString("docker.io/dmcgowan/myapp");
        assertThat(Reference.parse("docker.io/ubuntu")).hasToString("docker.io/library/ubuntu");
        assertThat(Reference.parse("index.docker.io/library/debian")).hasToString("docker.io/library/debian");
        assertThat(Reference.parse("library/foo/bar").familiarName()).isEqualTo("library/foo/bar");
        assertThat(Reference.parse("docker.io/library/redis:latest").familiar()).isEqualTo("redis:latest");
        assertThat(Reference.parse("test_com/foo").domain()).isEqualTo("docker.io");
    }

    @Test
    void findsTheRegistryHostByDotColonLocalhostOrUpperCase() {
        record Case(String input, String domain, String path) {
        }
        for (Case c : List.of(new Case("test.com/foo", "test.com", "foo"),
                new Case("test.com:8080/foo", "test.com:8080", "foo"),
                new Case("test-com:8080/foo", "test-com:8080", "foo"),
                new Case("localhost/app", "localhost", "app"),
                new Case("localhost:5000/team/app:v1", "localhost:5000", "team/app"),
                new Case("xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo"),
                new Case("127.0.0.1:8000/private/moonbase", "127.0.0.1:8000", "private/moonbase"),
                new Case("[fc00::1]:5000/docker", "[fc00::1]:5000", "docker"),
                new Case("Foo/bar", "Foo", "bar"),
                new Case("docker/migrator", "docker.io", "docker/migrator"))) {
            Reference r = Reference.parse(c.input());
            assertThat(r.domain()).as(c.input()).isEqualTo(c.domain());
            assertThat(r.path()).as(c.input()).isEqualTo(c.path());
        }
        assertThat(Reference.parse("localhost:5000/x").familiar()).isEqualTo("localhost:5000/x");
    }

    @Test
    void readsTagsAndDigests() {
        Reference r = Reference.parse("busybox:latest@sha256:" + HEX);
        assertThat(r.tag()).isEqualTo("latest");
        assertThat(r.digest()).hasToString("sha256:" + HEX);
        assertThat(r).hasToString("docker.io/library/busybox:latest@sha256:" + HEX);
        assertThat(r.familiar()).isEqualTo("busybox:latest@sha256:" + HEX);
        assertThat(Reference.parse("test.com:5000").tag()).isEqualTo("5000"); // no '/': a name and a tag
        assertThat(Reference.parse("test:5000/repo:tag").tag()).isEqualTo("tag");
        assertThat(Reference.parse("busybox@sha256:" + HEX).withDefaultTag().tag()).isNull();
    }

    @Test
    void acceptsWhatDockerAccepts() {
        for (String ok : List.of("docker/docker", "debian", "127.0.0.1:5000/library/debian", "192.168.0.1",
                "192.168.0.1:80", "192.168.0.2:25000/debian", "docker---rules/docker", "dock__er/docker", "d/docker",
                "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", "Docker/docker", "DOCKER/docker",
                "[fc00:1:2:3:4:5:6:7]:5000/library/debian", "docker.io/" + HEX, "a:" + "x".repeat(128))) {
            assertThat(Reference.parse(ok)).as(ok).isNotNull();
        }
    }

    @Test
    void refusesWhatDockerRefusesWithOneLineNamingIt() {
        for (String bad : List.of("https://github.com/docker/docker", "docker/Docker", "-docker", "-docker/docker",
                "docker///docker", "docker.io/docker/Docker", "[fc00::1]", "[fc00::1]:5000", "fc00::1:5000/debian",
                "[fe80::1%eth0]:5000/debian", HEX, "docker-/docker", "____/____", "_docker/_docker", "dock..er/docker",
                "dock_.er/docker", "docker/", "BAD/NAME", "UPPER", "busybox:", "busybox:-tag", "a:" + "x".repeat(129),
                "busybox@sha256:abc", "", "x".repeat(256) + "/docker")) {
            assertThatThrownBy(() -> Reference.parse(bad)).as(bad).isInstanceOf(JboxException.class)
                    .hasMessageContaining("'").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        assertThatThrownBy(() -> Reference.parse("Busybox")).hasMessageContaining("lower-case");
    }
}

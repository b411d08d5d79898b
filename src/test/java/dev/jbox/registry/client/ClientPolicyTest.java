package dev.jbox.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's small decisions: challenges, where logins go, plain HTTP, platforms. */
class ClientPolicyTest {
    @TempDir
    Path tmp;

    @Test
    void challengesAreParsedAsRfc7235WritesThem() {
        Challenge c = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/busybox:pull,push\"");
        assertThat(c.isBearer()).isTrue();
        assertThat(c.params()).containsEntry("realm", "https://auth.docker.io/token")
                .containsEntry("service", "registry.docker.io").containsEntry("scope", "repository:library/busybox:pull,push");
        assertThat(Challenge.parse("Basic realm=\"Registry Realm\"").isBasic()).isTrue();
        assertThat(Challenge.parse("Negotiate abc")).isNull();
        assertThat(Challenge.parse(null)).isNull();
    }

    @Test
    void loginsAreKeptLikeDockersConfigMode0600AndOtherKeysSurvive() throws Exception {
        Path file = tmp.resolve("cfg/config.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + new Credentials("hub", "pw").basic()
                + "\"}},\"psFormat\":\"table {{.ID}}\"}");
        CredentialStore store = new CredentialStore(file);
        assertThat(store.get("docker.io")).isEqualTo(new Credentials("hub", "pw"));
        assertThat(store.get("registry-1.docker.io")).isEqualTo(new Credentials("hub", "pw"));
        store.put("localhost:5000", new Credentials("me", "a:b"));
        assertThat(store.get("http://localhost:5000/")).isEqualTo(new Credentials("me", "a:b"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(file)).contains("psFormat", "\"localhost:5000\"", "https://index.docker.io/v1/");
        assertThat(store.remove("localhost:5000")).isTrue();
        assertThat(store.get("localhost:5000")).isNull();
        assertThat(store.get("docker.io")).isNotNull();
        assertThat(new Credentials("me", "secret").toString()).doesNotContain("secret");

        Files.writeString(file, "[1]");
        assertThatThrownBy(() -> store.get("docker.io")).hasMessageContaining(file.toString()).hasMessageContaining("not a JSON object");
    }

    @Test
    void plainHttpOnlyForThisMachineOrRegistriesNamedInsecure() {
        InsecureRegistries none = new InsecureRegistries(List.of());
        assertThat(none.allowsPlainHttp("localhost:5000")).isTrue();
        assertThat(none.allowsPlainHttp("127.0.0.1:5000")).isTrue();
        assertThat(none.allowsPlainHttp("127.3.4.5")).isTrue();
        assertThat(none.allowsPlainHttp("[::1]:5000")).isTrue();
        assertThat(none.allowsPlainHttp("registry.lab:5000")).isFalse();
        assertThat(none.allowsPlainHttp("localhost.evil.com:5000")).isFalse();
        assertThat(none.allowsPlainHttp("10.0.0.1:5000")).isFalse();
        InsecureRegistries lab = new InsecureRegistries(List.of("registry.lab:5000", "10.0.0.1"));
        assertThat(lab.allowsPlainHttp("registry.lab:5000")).isTrue();
        assertThat(lab.allowsPlainHttp("registry.lab:6000")).isFalse();
        assertThat(lab.allowsPlainHttp("10.0.0.1:5000")).isTrue();
    }

    @Test
    void platformsParseAndBadOnesAreOneClearError() {
        assertThat(Platform.parse("linux/arm64/v8")).isEqualTo(new Platform("linux", "arm64", "v8"));
        assertThat(Platform.parse("linux/amd64").toString()).isEqualTo("linux/amd64");
        assertThatThrownBy(() -> Platform.parse("amd64")).hasMessageContaining("--platform 'amd64'").hasMessageContaining("linux/amd64");
        assertThat(Platform.host().os()).isEqualTo("linux");
        assertThat(Platform.host().architecture()).isIn("amd64", "arm64");
    }
}

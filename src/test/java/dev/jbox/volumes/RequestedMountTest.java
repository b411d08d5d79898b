package dev.jbox.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import dev.jbox.volumes.RequestedMount.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chapter 4: Docker's three spellings of a mount, parsed and refused without root. */
class RequestedMountTest {
    @Test
    void minusVTellsBindsNamedAndAnonymousVolumesApart() {
        assertThat(RequestedMount.parseVolume("/srv/data:/data:ro"))
                .isEqualTo(new RequestedMount(Type.BIND, "/srv/data", "/data", true, List.of()));
        assertThat(RequestedMount.parseVolume("cache:/var/cache/"))
                .isEqualTo(new RequestedMount(Type.VOLUME, "cache", "/var/cache", false, List.of()));
        assertThat(RequestedMount.parseVolume("/scratch"))
                .isEqualTo(new RequestedMount(Type.VOLUME, null, "/scratch", false, List.of()));
        assertThat(RequestedMount.parseVolume("db:/db:rw").readOnly()).isFalse();
    }

    @Test
    void minusVRefusesRelativePathsBadModesAndBadTargets() {
        assertRefused(() -> RequestedMount.parseVolume("./here:/x"), "relative host path");
        assertRefused(() -> RequestedMount.parseVolume("a/b:/x"), "relative host path");
        assertRefused(() -> RequestedMount.parseVolume("/h:/x:rx"), "unknown mode 'rx'");
        assertRefused(() -> RequestedMount.parseVolume("/h:x"), "must be absolute");
        assertRefused(() -> RequestedMount.parseVolume("/h:/a/../b"), "'..'");
        assertRefused(() -> RequestedMount.parseVolume("/h:/"), "root cannot be a mount");
        assertRefused(() -> RequestedMount.parseVolume("/h:/x:ro:z"), "expected");
        assertRefused(() -> RequestedMount.parseVolume(":/x"), "expected");
        assertRefused(() -> RequestedMount.parseVolume("-bad:/x"), "not a valid volume name");
    }

    @Test
    void mountTakesDockersKeysAndDefaultsToAVolume() {
        assertThat(RequestedMount.parseMount("type=bind,source=/h,target=/c,readonly"))
                .isEqualTo(new RequestedMount(Type.BIND, "/h", "/c", true, List.of()));
        assertThat(RequestedMount.parseMount("src=vol,dst=/c,ro=false"))
                .isEqualTo(new RequestedMount(Type.VOLUME, "vol", "/c", false, List.of()));
        assertThat(RequestedMount.parseMount("type=volume,target=/c").source()).isNull();
        assertThat(RequestedMount.parseMount("type=tmpfs,destination=/t,tmpfs-size=1m,tmpfs-mode=700").options())
                .containsExactly("nosuid", "nodev", "noexec", "size=1m", "mode=700");
    }

    @Test
    void mountRefusesWhatDockerRefuses() {
        assertRefused(() -> RequestedMount.parseMount("type=nfs,target=/c"), "type must be bind, volume or tmpfs");
        assertRefused(() -> RequestedMount.parseMount("type=bind,source=rel,target=/c"), "absolute host path");
        assertRefused(() -> RequestedMount.parseMount("type=bind,source=/h"), "a target is needed");
        assertRefused(() -> RequestedMount.parseMount("type=tmpfs,source=/h,target=/c"), "a tmpfs has no source");
        assertRefused(() -> RequestedMount.parseMount("type=volume,target=/c,tmpfs-size=1m"), "for type=tmpfs");
        assertRefused(() -> RequestedMount.parseMount("target=/c,bind-propagation=shared"), "unknown key 'bind-propagation'");
        assertRefused(() -> RequestedMount.parseMount("target=/c,readonly=maybe"), "true or false");
    }

    @Test
    void tmpfsIsNoexecNosuidNodevUnlessAskedAndWorldWritable() {
        assertThat(RequestedMount.parseTmpfs("/run").options()).containsExactly("nosuid", "nodev", "noexec", "mode=1777");
        RequestedMount t = RequestedMount.parseTmpfs("/run:exec,size=64m,ro");
        assertThat(t.options()).containsExactly("nosuid", "nodev", "size=64m", "mode=1777", "ro");
        assertThat(t.readOnly()).isTrue();
        assertRefused(() -> RequestedMount.parseTmpfs("run"), "must be absolute");
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String fragment) {
        assertThatThrownBy(call).isInstanceOf(JboxException.class).hasMessageContaining(fragment);
    }
}

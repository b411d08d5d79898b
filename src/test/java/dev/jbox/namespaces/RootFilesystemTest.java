package dev.jbox.namespaces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import dev.jbox.kernel.RecordingSyscalls;
import dev.jbox.spec.ContainerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chapter 2's root file system policy, checked without root against a recording fake of the kernel. */
class RootFilesystemTest {
    @TempDir
    Path rootfs;

    private final RecordingSyscalls kernel = new RecordingSyscalls();
    private final RootFilesystem root = new RootFilesystem(kernel);

    @Test
    void mountsArePrivateFirstThenTheRootThenSysAndAMinimalDev() {
        root.prepare(rootfs, Path.of("/var/lib/jbox/bin/jbox-init-x"));
        List<String> calls = kernel.calls();
        assertThat(calls.get(0)).as("propagation off before anything is mounted").startsWith("mount null / null MS_REC|MS_PRIVATE");
        assertThat(calls.get(1)).isEqualTo("mount " + rootfs + " " + rootfs + " null MS_BIND|MS_REC");
        assertThat(calls).contains("mount sysfs " + rootfs + "/sys sysfs MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC",
                "mknod " + rootfs + "/dev/null c 1:3 666", "mknod " + rootfs + "/dev/tty c 5:0 666",
                "mount devpts " + rootfs + "/dev/pts devpts MS_NOSUID|MS_NOEXEC newinstance,ptmxmode=0666,mode=0620");
        assertThat(calls).noneMatch(c -> c.startsWith("mknod") && !c.contains(" c 1:") && !c.contains(" c 5:0"))
                .as("no block device and no device beyond Docker's minimal set");
        // jbox-init is bound read-only: the container must not be able to rewrite the host's copy.
        int bind = calls.indexOf("mount /var/lib/jbox/bin/jbox-init-x " + rootfs + "/dev/.jbox-init null MS_BIND");
        assertThat(bind).isPositive();
        assertThat(calls.get(bind + 1)).isEqualTo("mount null " + rootfs + "/dev/.jbox-init null MS_RDONLY|MS_REMOUNT|MS_BIND");
    }

    @Test
    void pivotStacksTheOldRootThenDetachesIt() {
        root.pivot(rootfs);
        assertThat(kernel.calls()).containsExactly("chdir " + rootfs, "pivot_root . .", "umount . MNT_DETACH", "chdir /");
    }

    @Test
    void filesAreBoundOverTheirPlaceAndNeverThroughASymbolicLink() throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Path hosts = Files.createFile(rootfs.resolve("hosts.src"));
        ContainerSpec spec = ContainerSpec.builder(rootfs, List.of("true")).bindFile(hosts, "/etc/hosts").build();
        root.bindFiles(rootfs, spec.mounts());
        assertThat(kernel.calls()).containsExactly("mount " + hosts + " " + rootfs + "/etc/hosts null MS_BIND");
        assertThat(rootfs.resolve("etc/hosts")).exists(); // the mount point was made, empty

        Files.delete(rootfs.resolve("etc/hosts"));
        Files.createSymbolicLink(rootfs.resolve("etc/hosts"), Path.of("/etc/shadow"));
        assertThatThrownBy(() -> root.bindFiles(rootfs, spec.mounts())).isInstanceOf(JboxException.class)
                .hasMessageContaining("/etc/hosts").hasMessageContaining("not a regular file");
    }
}

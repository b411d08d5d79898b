package dev.jbox.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Error messages name the call, its arguments and the errno: checked without root. */
class KernelMessagesTest {
    @Test
    void aFailedCallNamesItselfItsArgumentsAndTheErrno() {
        var e = new KernelException("chroot(\"/x\")", Errno.ENOENT);
        assertThat(e).hasMessage("chroot(\"/x\"): ENOENT (No such file or directory)");
        assertThat(e.errno()).isEqualTo(Errno.ENOENT);
    }

    @Test
    void flagsAreSpelledOut() {
        assertThat(Kernel.cloneFlags(Kernel.CLONE_NEWNS | Kernel.CLONE_NEWPID)).isEqualTo("CLONE_NEWNS|CLONE_NEWPID");
        assertThat(Kernel.mountFlags(Kernel.MS_BIND | Kernel.MS_REC | 0x100000000L)).isEqualTo("MS_BIND|MS_REC|0x100000000");
        assertThat(Kernel.mountFlags(0)).isEqualTo("0x0");
    }

    @Test
    void aRealFailureComesBackAsAKernelException() {
        // chdir needs no privilege, so this runs as any user.
        try {
            Kernel.chdir("/no/such/directory/anywhere");
        } catch (KernelException e) {
            assertThat(e.call()).isEqualTo("chdir(\"/no/such/directory/anywhere\")");
            assertThat(e.errno()).isEqualTo(Errno.ENOENT);
            return;
        }
        throw new AssertionError("chdir to a missing directory succeeded");
    }

    @Test
    void waitStatusDecodesExitsAndSignals() {
        assertThat(new WaitStatus(3 << 8).shellExitCode()).isEqualTo(3);
        assertThat(new WaitStatus(9).signaled()).isTrue();
        assertThat(new WaitStatus(9).shellExitCode()).isEqualTo(137);
        assertThat(new WaitStatus(15 | 0x80).signal()).isEqualTo(15); // core dumped bit
    }
}

package dev.jbox.kernel;

/** How a process ended, decoded from waitpid(2)'s status word. */
public record WaitStatus(int raw) {
    public boolean exited() {
        return (raw & 0x7f) == 0;
    }

    public int exitCode() {
        return (raw >> 8) & 0xff;
    }

    public boolean signaled() {
        return !exited() && (raw & 0x7f) != 0x7f;
    }

    public int signal() {
        return raw & 0x7f;
    }

    /** The shell's convention, which Docker keeps: an exit code, or 128+N for death by signal N. */
    public int shellExitCode() {
        return exited() ? exitCode() : 128 + signal();
    }

    @Override
    public String toString() {
        return exited() ? "exited(" + exitCode() + ")" : "killed by signal " + signal();
    }
}

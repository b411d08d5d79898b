package dev.jbox.cli;

import dev.jbox.kernel.WaitStatus;
import dev.jbox.runtime.Container;

/**
 * A container (or exec'd process) in the foreground of {@code jbox run} or {@code jbox exec}:
 * signals sent to jbox are forwarded to it, its terminal (if it has one) is connected to the
 * user's, and jbox waits for it to end.
 */
final class Foreground {
    private Foreground() {
    }

    /** {@code ptyMaster} is the master side of the container's own terminal, or -1 for none. */
    static WaitStatus waitFor(Container container, boolean sharesTerminal, int ptyMaster, boolean input) {
        try (SignalForwarder ignored = SignalForwarder.to(container, sharesTerminal);
             TerminalProxy terminal = ptyMaster >= 0 ? TerminalProxy.attach(ptyMaster, input) : null) {
            WaitStatus status = container.waitFor();
            if (terminal != null) {
                terminal.drain(); // the container has ended: let its last output through
            }
            return status;
        }
    }
}

package dev.jbox.cli;

import dev.jbox.kernel.WaitStatus;
import dev.jbox.runtime.ContainerProcess;

/**
 * A container (or exec'd process) in the foreground of {@code jbox run} or {@code jbox exec}:
 * signals sent to jbox are forwarded to it, its terminal (if it has one) is connected to the
 * user's, and jbox waits for it to end.
 */
final class Foreground {
    private Foreground() {
    }

    static WaitStatus waitFor(ContainerProcess process, boolean sharesTerminal, boolean input) {
        int ptyMaster = process.ptyMaster();
        try (SignalForwarder ignored = SignalForwarder.to(process, sharesTerminal);
             TerminalProxy terminal = ptyMaster >= 0 ? TerminalProxy.attach(ptyMaster, input) : null) {
            WaitStatus status = process.waitFor();
            if (terminal != null) {
                terminal.drain(); // the container has ended: let its last output through
            }
            return status;
        }
    }
}

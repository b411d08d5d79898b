package dev.jbox.cli;

import com.sun.jna.Memory;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.KernelException;
import dev.jbox.kernel.Terminal;
import sun.misc.Signal;

/**
 * Connects the user's terminal to a container's pseudo-terminal, as {@code docker run -it} does:
 * the user's terminal goes raw, so every key (Ctrl-C included) travels to the container's
 * terminal, whose line discipline turns it into a signal for the container's foreground process.
 */
final class TerminalProxy implements AutoCloseable {
    private final int master;
    private final Memory savedMode;
    private final Thread output;

    private TerminalProxy(int master, Memory savedMode, Thread output) {
        this.master = master;
        this.savedMode = savedMode;
        this.output = output;
    }

    static TerminalProxy attach(int master, boolean input) {
        boolean userTerminal = Kernel.isatty(0);
        Memory saved = null;
        if (userTerminal) {
            Terminal.copyWindowSize(0, master);
            Signal.handle(new Signal("WINCH"), s -> Terminal.copyWindowSize(0, master));
            if (input) {
                saved = Terminal.makeRaw(0);
            }
        }
        if (input) {
            Thread keys = new Thread(() -> copy(0, master), "jbox-tty-input");
            keys.setDaemon(true); // blocked in read(0) when the container ends; the JVM need not wait for it
            keys.start();
        }
        Thread output = new Thread(() -> copy(master, 1), "jbox-tty-output");
        output.setDaemon(true);
        output.start();
        return new TerminalProxy(master, saved, output);
    }

    private static void copy(int from, int to) {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = Kernel.read(from, buffer)) > 0; ) {
                Kernel.write(to, n == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, n));
            }
        } catch (KernelException e) {
            // EIO on the master: every process holding the container's terminal has ended
        }
    }

    /** After the container ended: let the last output through. */
    void drain() {
        try {
            output.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (savedMode != null) {
            Terminal.restore(0, savedMode);
        }
        Kernel.closeQuietly(master);
    }
}

package dev.jbox.registry.client;

import dev.jbox.image.Digest;
import java.io.PrintStream;

/**
 * What a pull or a push shows while it runs, as Docker shows it: a few lines of their own
 * ({@code latest: Pulling from library/busybox}, {@code Digest: ...}), and one line per layer that
 * ends with its status ({@code 2fce1e0cdfc5: Pull complete}). On a terminal the layer lines are
 * progress bars ({@link BarProgress}); otherwise (a log, a pipe, a test) plain lines
 * ({@link PlainProgress}).
 */
public interface Progress {
    /** Shows nothing: for the config blob, which Docker does not show either. */
    Progress SILENT = new Progress() {
        @Override
        public void line(String text) {
        }

        @Override
        public TransferListener start(Digest blob, long size, String action) {
            return TransferListener.NONE;
        }

        @Override
        public void finished(Digest blob, String status) {
        }
    };

    /** A line of its own; not called while bars are shown. */
    void line(String text);

    /** A blob starts to move ({@code action}: "Downloading", "Pushing"); what it reports is shown. */
    TransferListener start(Digest blob, long size, String action);

    /** A blob is done: "Pull complete", "Already exists", "Pushed", "Layer already exists", "Mounted from ...". */
    void finished(Digest blob, String status);

    /** The transfers are over (all bars closed). */
    default void close() {
    }

    /** Bars on a terminal, plain lines otherwise. */
    static Progress forConsole(PrintStream out) {
        String term = System.getenv("TERM");
        boolean terminal = System.console() != null && term != null && !term.equals("dumb");
        return terminal ? new BarProgress(out) : new PlainProgress(out);
    }

    /** The 12 hex digits Docker names a layer by. */
    static String id(Digest d) {
        return d.shortHex();
    }
}

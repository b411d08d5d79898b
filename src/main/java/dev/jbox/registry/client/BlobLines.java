package dev.jbox.registry.client;

import dev.jbox.image.Digest;
import java.io.PrintStream;

/**
 * What both displays do per blob: a status when it starts ("Downloading"), when its connection
 * breaks and it retries, and when it ends ("Pull complete"); they differ only in how a status is
 * shown (a line of its own, or the text beside a bar) and whether bytes are drawn.
 */
abstract class BlobLines implements Progress {
    final PrintStream out;

    BlobLines(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void line(String text) {
        out.println(text);
        out.flush();
    }

    @Override
    public TransferListener start(Digest blob, long size, String action) {
        opened(blob, size);
        status(blob, action);
        return new TransferListener() {
            @Override
            public void progress(long bytes) {
                moved(blob, bytes);
            }

            @Override
            public void retrying(int attempt, long offset, String why) {
                status(blob, "Retrying from byte " + offset + " (try " + attempt + "): " + why);
            }
        };
    }

    @Override
    public void finished(Digest blob, String status) {
        status(blob, status);
        closed(blob);
    }

    /** Shows the blob's status now. */
    abstract void status(Digest blob, String text);

    /** The blob starts to move ({@code size} bytes). */
    void opened(Digest blob, long size) {
    }

    /** {@code bytes} of the blob have moved. */
    void moved(Digest blob, long bytes) {
    }

    /** The blob is done; its status was shown. */
    void closed(Digest blob) {
    }
}

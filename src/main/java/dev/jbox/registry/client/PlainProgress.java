package dev.jbox.registry.client;

import dev.jbox.image.Digest;
import java.io.PrintStream;

/** Progress as lines, for logs and pipes: a line when a blob starts, retries and ends; never a byte count. */
public final class PlainProgress implements Progress {
    private final PrintStream out;

    public PlainProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void line(String text) {
        out.println(text);
        out.flush();
    }

    @Override
    public TransferListener start(Digest blob, long size, String action) {
        line(Progress.id(blob) + ": " + action);
        return new TransferListener() {
            @Override
            public void retrying(int attempt, long offset, String why) {
                line(Progress.id(blob) + ": Retrying from byte " + offset + " (try " + attempt + "): " + why);
            }
        };
    }

    @Override
    public void finished(Digest blob, String status) {
        line(Progress.id(blob) + ": " + status);
    }
}

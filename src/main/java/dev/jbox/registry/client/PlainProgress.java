package dev.jbox.registry.client;

import dev.jbox.image.Digest;
import java.io.PrintStream;

/** Progress as lines, for logs and pipes: a line when a blob starts, retries and ends; never a byte count. */
public final class PlainProgress extends BlobLines {
    public PlainProgress(PrintStream out) {
        super(out);
    }

    @Override
    void status(Digest blob, String text) {
        line(Progress.id(blob) + ": " + text);
    }
}

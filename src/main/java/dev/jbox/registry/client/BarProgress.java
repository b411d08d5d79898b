package dev.jbox.registry.client;

import dev.jbox.image.Digest;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One progress bar per layer on a terminal, as {@code docker pull} draws them: progressbar's
 * interactive consumer gives each bar a line of its own and moves the cursor to redraw it, so
 * layers moving in parallel each keep their line. A bar ends with the layer's status.
 */
final class BarProgress extends BlobLines {
    private final Map<Digest, ProgressBar> bars = new ConcurrentHashMap<>();

    BarProgress(PrintStream out) {
        super(out);
    }

    @Override
    void opened(Digest blob, long size) {
        bar(blob, Math.max(size, 1));
    }

    @Override
    void moved(Digest blob, long bytes) {
        bar(blob, 1).stepTo(bytes);
    }

    @Override
    void status(Digest blob, String text) {
        bar(blob, 1).setExtraMessage(text); // a blob that did not move ("Already exists") still gets its line
    }

    @Override
    void closed(Digest blob) {
        ProgressBar bar = bar(blob, 1);
        bar.stepTo(bar.getMax());
        bar.close();
    }

    private synchronized ProgressBar bar(Digest blob, long max) {
        return bars.computeIfAbsent(blob, d -> new ProgressBarBuilder()
                .setTaskName(Progress.id(d))
                .setInitialMax(max)
                .setUnit("MB", 1_000_000)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .setConsumer(new InteractiveConsoleProgressBarConsumer(out))
                .hideEta()
                .build());
    }

    @Override
    public void close() {
        bars.values().forEach(ProgressBar::close);
        out.flush();
    }
}

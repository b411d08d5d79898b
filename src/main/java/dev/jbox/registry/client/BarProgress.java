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
final class BarProgress implements Progress {
    private final PrintStream out;
    private final Map<Digest, ProgressBar> bars = new ConcurrentHashMap<>();

    BarProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void line(String text) {
        out.println(text);
        out.flush();
    }

    @Override
    public TransferListener start(Digest blob, long size, String action) {
        ProgressBar bar = bar(blob, action, Math.max(size, 1));
        bar.setExtraMessage(action);
        return new TransferListener() {
            @Override
            public void progress(long bytes) {
                bar.stepTo(bytes);
            }

            @Override
            public void retrying(int attempt, long offset, String why) {
                bar.setExtraMessage("retrying (try " + attempt + ")");
            }
        };
    }

    private synchronized ProgressBar bar(Digest blob, String action, long max) {
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
    public void finished(Digest blob, String status) {
        ProgressBar bar = bars.get(blob);
        if (bar == null) {
            bar = bar(blob, "", 1); // a blob that did not move ("Already exists") still gets its line
        }
        bar.stepTo(bar.getMax());
        bar.setExtraMessage(status);
        bar.close();
    }

    @Override
    public void close() {
        bars.values().forEach(ProgressBar::close);
        out.flush();
    }
}

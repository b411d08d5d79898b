package dev.jbox.bench.report;

import dev.jbox.bench.overhead.OverheadResults;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Each workload's time against native, per environment, on a logarithmic axis with a line at
 * 1 (native): a container sits on the line, an emulated VM one or two decades to its right.
 */
final class OverheadChart {
    private static final Color[] COLORS = {new Color(0x2b8a3e), new Color(0xe8590c), new Color(0x1c7ed6)};

    private OverheadChart() {
    }

    static void write(Path png, Overheads overheads) throws IOException {
        write(png, "Overhead against native, same workloads, one run", overheads);
    }

    /** The chart with {@code title}, to which the VM's accelerator is added. */
    static void write(Path png, String title, Overheads overheads) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<OverheadResults.Environment> envs = overheads.others();
        double smallest = 1;
        double largest = 1;
        for (OverheadResults.WorkloadInfo w : overheads.workloads()) {
            for (OverheadResults.Environment env : envs) {
                double slowdown = overheads.slowdown(env, w.name());
                smallest = Math.min(smallest, slowdown);
                largest = Math.max(largest, slowdown);
                data.addValue(slowdown, overheads.shortName(env), w.name());
            }
        }
        CategoryAxis names = new CategoryAxis();
        names.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        LogAxis ratio = HorizontalBars.logAxis("time × native (median; 1 = native speed; log scale)");
        // Room left of 1 for a container that came out faster, right of the largest for its label.
        ratio.setRange(Math.min(0.5, smallest / 1.5), largest * 2.5);
        BarRenderer bars = new BarRenderer();
        for (int i = 0; i < envs.size(); i++) {
            bars.setSeriesPaint(i, COLORS[i % COLORS.length]);
        }
        HorizontalBars.style(bars, ratio.getLowerBound(), v -> Fmt.ratio(v) + "×");
        bars.setItemMargin(0.05);
        CategoryPlot plot = HorizontalBars.plot(data, names, ratio, bars);
        plot.addRangeMarker(new ValueMarker(1.0, Color.BLACK, new BasicStroke(1.2f)));
        HorizontalBars.save(png, title + " (VM: "
                + overheads.accelerator().toUpperCase(java.util.Locale.ROOT) + ")", plot,
                140 + 30 * envs.size() * overheads.workloads().size());
    }
}

package dev.jbox.bench.report;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

/** Chapter 5's chart: each push and pull, by client, one bar per server (medians, seconds, log scale). */
final class RegistryChart {
    /** One bar: a transfer and client, the server it ran against, its median in seconds. */
    record Bar(String category, String server, double seconds) {
    }

    private RegistryChart() {
    }

    static void write(Path png, String title, List<Bar> bars) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        bars.forEach(b -> data.addValue(b.seconds(), b.server(), b.category()));
        CategoryAxis names = new CategoryAxis();
        names.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        names.setMaximumCategoryLabelWidthRatio(0.5f);
        LogAxis seconds = HorizontalBars.logAxis("seconds (median, log scale)");
        seconds.setUpperMargin(0.15);
        BarRenderer renderer = new BarRenderer();
        HorizontalBars.style(renderer, 0.1, v -> Fmt.num(v) + " s");
        renderer.setSeriesPaint(0, new Color(0x2b8a3e));
        renderer.setSeriesPaint(1, new Color(0x7048e8));
        renderer.setItemMargin(0.05);
        int categories = data.getColumnCount();
        HorizontalBars.save(png, title, HorizontalBars.plot(data, names, seconds, renderer), 140 + 44 * categories);
    }
}

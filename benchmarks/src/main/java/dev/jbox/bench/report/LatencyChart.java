package dev.jbox.bench.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * One bar per measured start, median, on a logarithmic axis: a container in a warm engine
 * and a VM boot differ by three orders of magnitude, which a linear axis would hide. Bars are
 * coloured by what measured them (warm engine, whole process, peer, VM).
 */
final class LatencyChart {
    private static final Map<Row.Group, Color> COLORS = Map.ofEntries(
            Map.entry(Row.Group.ENGINE, new Color(0x2b8a3e)),
            Map.entry(Row.Group.CHAPTER2, new Color(0x5c940d)),
            Map.entry(Row.Group.CHAPTER3, new Color(0x087f5b)),
            Map.entry(Row.Group.CHAPTER4, new Color(0x087f5b)),
            Map.entry(Row.Group.COPY_UP, new Color(0xf08c00)),
            Map.entry(Row.Group.BUILD, new Color(0x1c7ed6)),
            Map.entry(Row.Group.EXTRACT, new Color(0x7048e8)),
            Map.entry(Row.Group.PROCESS, new Color(0x1c7ed6)),
            Map.entry(Row.Group.NETWORK, new Color(0x0ca678)),
            Map.entry(Row.Group.PEER, new Color(0x7048e8)),
            Map.entry(Row.Group.WARM_PEER, new Color(0xae3ec9)),
            Map.entry(Row.Group.VM, new Color(0xe8590c)));
    private static final String SERIES = "median";

    private LatencyChart() {
    }

    static void write(Path png, String title, List<Row> rows) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Row r : rows) {
            data.addValue(r.stats().median(), SERIES, r.chartLabel());
        }
        CategoryAxis names = new CategoryAxis();
        names.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        names.setMaximumCategoryLabelWidthRatio(0.6f);
        LogAxis millis = HorizontalBars.logAxis("milliseconds (median, log scale)");
        millis.setUpperMargin(0.12);
        BarRenderer bars = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return COLORS.get(rows.get(column).group());
            }

            @Override
            public LegendItemCollection getLegendItems() {
                LegendItemCollection items = new LegendItemCollection();
                for (Row.Group g : Row.Group.values()) {
                    if (rows.stream().anyMatch(r -> r.group() == g)) {
                        items.add(new LegendItem(g.title, COLORS.get(g)));
                    }
                }
                return items;
            }
        };
        HorizontalBars.style(bars, 0.1, v -> Fmt.num(v) + " ms");
        bars.setMaximumBarWidth(0.08);
        HorizontalBars.save(png, title, HorizontalBars.plot(data, names, millis, bars), 120 + 38 * rows.size());
    }
}

package dev.jbox.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * One bar per measured start, median, on a logarithmic axis: a container in a warm engine
 * and a VM boot differ by three orders of magnitude, which a linear axis would hide. Bars are
 * coloured by what measured them (warm engine, whole process, peer, VM).
 */
final class LatencyChart {
    private static final Map<Row.Group, Color> COLORS = Map.of(
            Row.Group.ENGINE, new Color(0x2b8a3e),
            Row.Group.CHAPTER2, new Color(0x5c940d),
            Row.Group.PROCESS, new Color(0x1c7ed6),
            Row.Group.PEER, new Color(0x7048e8),
            Row.Group.VM, new Color(0xe8590c));
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
        LogAxis millis = new LogAxis("milliseconds (median, log scale)");
        millis.setSmallestValue(0.1);
        millis.setUpperMargin(0.12);
        millis.setBase(10);
        millis.setTickUnit(new NumberTickUnit(1), false, true); // one tick a decade
        millis.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
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
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setBase(0.1); // a log axis has no zero to grow bars from
        bars.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator() {
            @Override
            public String generateLabel(CategoryDataset dataset, int row, int column) {
                return Fmt.num(dataset.getValue(row, column).doubleValue()) + " ms";
            }
        });
        bars.setDefaultItemLabelsVisible(true);
        // Labels right of the bar ends: above them they would run into the bar on top.
        bars.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        bars.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        bars.setMaximumBarWidth(0.08);
        CategoryPlot plot = new CategoryPlot(data, names, millis, bars);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlineStroke(new BasicStroke(0.5f));
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 120 + 38 * rows.size());
    }
}

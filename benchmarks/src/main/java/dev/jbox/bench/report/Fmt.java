package dev.jbox.bench.report;

import java.util.Locale;

/** How the report writes numbers: about three significant figures, ratios of medians. */
final class Fmt {
    private Fmt() {
    }

    /** 0.412, 6.93, 41.2, 1234. */
    static String num(double v) {
        String pattern = v < 1 ? "%.3f" : v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f";
        return String.format(Locale.ROOT, pattern, v);
    }

    static String ms(Row r) {
        return num(r.stats().median());
    }

    /** The ratio of two medians: two decimals near 1, where small differences matter; fewer far above, more far below. */
    /** A difference that may be negative, with a real minus sign: "−0.300", "1.25". */
    static String signed(double v) {
        return (v < 0 ? "−" : "") + num(Math.abs(v));
    }

    static String ratio(double r) {
        return String.format(Locale.ROOT, r >= 100 ? "%.0f" : r >= 10 ? "%.1f" : r >= 0.1 ? "%.2f" : "%.3f", r);
    }

    static String ratio(Row r, Row base) {
        return ratio(r.stats().median() / base.stats().median());
    }

    static String times(Row r, Row base) {
        return ratio(r, base) + " times";
    }

    static String range(double low, double high) {
        return num(low) + "-" + num(high);
    }

    /** /proc/loadavg's 1-, 5- and 15-minute load averages, labelled. */
    static String load(String loadavg) {
        String[] w = loadavg.split(" ");
        return w.length >= 3 ? w[0] + " / " + w[1] + " / " + w[2] + " (1, 5, 15 min)" : loadavg;
    }
}

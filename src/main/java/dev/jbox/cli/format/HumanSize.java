package dev.jbox.cli.format;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Docker's sizes (go-units HumanSizeWithPrecision): decimal units (1 kB = 1000 B), the number
 * with {@code precision} significant digits and no trailing zeros: "4.26MB", "0B", "512B".
 */
public final class HumanSize {
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};

    private HumanSize() {
    }

    public static String of(long bytes, int precision) {
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < UNITS.length - 1) {
            size /= 1000;
            unit++;
        }
        BigDecimal rounded = new BigDecimal(size).round(new MathContext(precision)).stripTrailingZeros();
        return rounded.toPlainString() + UNITS[unit];
    }
}

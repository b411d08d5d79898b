package dev.jbox.cgroups;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Docker reads numbers on its command line: sizes like {@code 512m} or {@code 1.5g} (binary
 * units, as go-units' RAMInBytes) and CPU counts like {@code 1.5} (as the CLI's NanoCPUs). The
 * errors say what Docker's say; an IllegalArgumentException carries them.
 */
public final class DockerUnits {
    // A number, an optional space, an optional unit letter, then an optional "i" and "b": 10mb, 1 GiB, 512m, 42.
    private static final Pattern SIZE = Pattern.compile("(?i)^(\\d+(\\.\\d+)*) ?([kmgtp])?i?b?$");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private DockerUnits() {
    }

    /** Bytes in a size with an optional binary unit: {@code 512m} is 536870912. */
    public static long ramInBytes(String size) {
        Matcher m = SIZE.matcher(size);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid size: '" + size + "'");
        }
        BigDecimal number;
        try {
            number = new BigDecimal(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid size: '" + size + "'"); // 1.2.3 matches the pattern
        }
        String unit = m.group(3) == null ? "" : m.group(3).toLowerCase(Locale.ROOT);
        int power = unit.isEmpty() ? 0 : "kmgtp".indexOf(unit) + 1;
        BigInteger bytes = number.multiply(BigDecimal.valueOf(1024).pow(power)).toBigInteger(); // truncated, as Go's int64()
        if (bytes.bitLength() > 63) {
            throw new IllegalArgumentException("invalid size: '" + size + "' (too large)");
        }
        return bytes.longValueExact();
    }

    /** Billionths of a CPU in {@code 1.5}, {@code 0.25} or {@code 3/2}: 1500000000, as Docker's --cpus. */
    public static long nanoCpus(String value) {
        BigInteger[] fraction = rational(value);
        BigInteger[] nano = fraction[0].multiply(BigInteger.valueOf(1_000_000_000L)).divideAndRemainder(fraction[1]);
        if (nano[1].signum() != 0) {
            throw new IllegalArgumentException("value is too precise");
        }
        if (nano[0].bitLength() > 63) {
            throw new IllegalArgumentException("failed to parse " + value + " as a rational number");
        }
        return nano[0].longValueExact();
    }

    /**
     * {numerator, denominator} of a number written as a decimal ({@code 1.5}, {@code 1e-3}) or a
     * fraction ({@code 3/2}), as Go's big.Rat reads it.
     */
    private static BigInteger[] rational(String value) {
        try {
            int slash = value.indexOf('/');
            if (slash < 0 && DECIMAL.matcher(value).matches()) {
                BigDecimal d = new BigDecimal(value);
                if (Math.abs(d.scale()) > 30) { // 1e-99 or 1e99: no CPU count, and too big to compute with
                    throw new IllegalArgumentException(d.scale() > 0 ? "value is too precise"
                            : "failed to parse " + value + " as a rational number");
                }
                return d.scale() <= 0
                        ? new BigInteger[] {d.toBigIntegerExact(), BigInteger.ONE}
                        : new BigInteger[] {d.unscaledValue(), BigInteger.TEN.pow(d.scale())};
            }
            if (slash > 0) {
                BigInteger den = new BigInteger(value.substring(slash + 1));
                if (den.signum() > 0) {
                    return new BigInteger[] {new BigInteger(value.substring(0, slash)), den};
                }
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("failed to parse " + value + " as a rational number");
    }

    /** Bytes as Docker prints them, in binary units with four significant digits: {@code 512MiB}, {@code 1.5GiB}. */
    public static String bytesSize(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int i = 0;
        while (bytes >= 1024 && i < units.length - 1) {
            bytes /= 1024;
            i++;
        }
        return new BigDecimal(bytes).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString() + units[i];
    }
}

package dev.jbox.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.StringJoiner;

/**
 * How Go's fmt and text/template see a JSON value: how it prints ({@code [a b]} for a list,
 * {@code map[k:v]} with sorted keys for an object, {@code 1e+06} for a big float), whether it
 * counts as true in {@code {{if}}}, and how two values compare. Docker runs its templates on
 * Go values; jbox runs them on the JSON tree of {@code inspect}, and prints it the same way.
 */
public final class GoValues {
    private GoValues() {
    }

    /** A value as {@code {{.X}}} prints it: a null or missing value is Go's {@code <no value>}. */
    static String print(JsonNode v) {
        return v == null || v.isNull() ? "<no value>" : format(v);
    }

    /** fmt's %v: strings bare, lists in brackets, objects as Go maps with sorted keys, null as {@code <nil>}. */
    static String format(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "<nil>";
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isNumber()) {
            return v.isIntegralNumber() ? v.bigIntegerValue().toString() : formatFloat(v.doubleValue());
        }
        if (v.isBoolean()) {
            return Boolean.toString(v.booleanValue());
        }
        if (v.isArray()) {
            StringJoiner j = new StringJoiner(" ", "[", "]");
            v.forEach(e -> j.add(format(e)));
            return j.toString();
        }
        StringJoiner j = new StringJoiner(" ", "map[", "]");
        for (String key : sortedKeys(v)) {
            j.add(key + ":" + format(v.get(key)));
        }
        return j.toString();
    }

    /** Go's %v of a float64 (strconv's shortest %g): e-notation when the exponent is below -4 or 6 and up. */
    static String formatFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = b.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - b.scale();
        if (exponent >= -4 && exponent < 6) {
            return b.toPlainString();
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }

    /** Go's truth: false, 0, "", an empty list or object, and nil are false; the rest is true. */
    static boolean truth(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber()) {
            return v.doubleValue() != 0;
        }
        if (v.isTextual()) {
            return !v.textValue().isEmpty();
        }
        return v.size() > 0;
    }

    /** The kind of a value in words, for errors: string, number, bool, list, object or nil. */
    static String kind(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "nil";
        }
        if (v.isTextual()) {
            return "string";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        return v.isArray() ? "list" : "object";
    }

    /** An object's keys in Go's order for maps (sorted), as fmt and {{range}} walk them. */
    static List<String> sortedKeys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        keys.sort(null);
        return keys;
    }

    /** An object's keys as it holds them (inspect's order), for the hint in an error. */
    static String keysOf(JsonNode object) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys.isEmpty() ? "no keys" : String.join(", ", keys);
    }

    /**
     * A number as Go's template parser reads it: 42, -7, 0x1F, 0o17, 0b101, 1_000 are integers;
     * 1.5, 1e3, .5 are floats. Null if it is not a number Go would read (or is complex: 1i).
     */
    static JsonNode parseNumber(String text) {
        String t = text.replace("_", "");
        boolean negative = t.startsWith("-");
        String unsigned = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
        String lower = unsigned.toLowerCase();
        try {
            int radix = lower.startsWith("0x") ? 16 : lower.startsWith("0o") ? 8 : lower.startsWith("0b") ? 2 : 10;
            if (radix != 10) {
                long v = Long.parseLong(unsigned.substring(2), radix);
                return LongNode.valueOf(negative ? -v : v);
            }
            if (lower.matches("[0-9]+")) {
                long v = lower.length() > 1 && lower.startsWith("0") ? Long.parseLong(lower, 8) : Long.parseLong(lower);
                return LongNode.valueOf(negative ? -v : v);
            }
            if (lower.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?")) {
                return DoubleNode.valueOf(Double.parseDouble(t));
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    /**
     * Go's eq: nil equals only nil; numbers compare with numbers, strings with strings, bools with
     * bools; a list or object cannot be compared; anything else is Go's "incompatible types".
     */
    static boolean equal(JsonNode a, JsonNode b) {
        if (a.isContainerNode() || b.isContainerNode()) {
            throw new IllegalArgumentException("non-comparable type " + (a.isContainerNode() ? kind(a) : kind(b)));
        }
        if (a.isNull() || b.isNull()) {
            return a.isNull() && b.isNull();
        }
        if (a.isBoolean() || b.isBoolean()) {
            if (a.isBoolean() != b.isBoolean()) {
                throw new IllegalArgumentException("incompatible types for comparison");
            }
            return a.booleanValue() == b.booleanValue();
        }
        return compare(a, b) == 0;
    }

    /** Go's lt, le, gt, ge: numbers with numbers, strings with strings; negative, zero or positive. */
    static int compare(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.isIntegralNumber() && b.isIntegralNumber() ? a.bigIntegerValue().compareTo(b.bigIntegerValue())
                    : Double.compare(a.doubleValue(), b.doubleValue());
        }
        if (a.isTextual() && b.isTextual()) {
            return a.textValue().compareTo(b.textValue());
        }
        if (!(a.isNumber() || a.isTextual()) || !(b.isNumber() || b.isTextual())) {
            throw new IllegalArgumentException("invalid type for comparison");
        }
        throw new IllegalArgumentException("incompatible types for comparison");
    }

    /** Go's strconv.Quote: in double quotes, with \" \\ \n \t and the like escaped, printable text kept. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case 7 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case 11 -> b.append("\\v");
                default -> {
                    if (printable(c)) {
                        b.appendCodePoint(c);
                    } else if (c < 0x80) {
                        b.append(String.format("\\x%02x", c));
                    } else if (c <= 0xFFFF) {
                        b.append(String.format("\\u%04x", c));
                    } else {
                        b.append(String.format("\\U%08x", c));
                    }
                }
            }
        });
        return b.append('"').toString();
    }

    private static boolean printable(int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                    Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}

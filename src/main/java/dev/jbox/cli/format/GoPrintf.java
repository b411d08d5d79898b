package dev.jbox.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * The part of Go's fmt that templates use: Sprint, Sprintln and Sprintf with the verbs %v %s %d
 * %q %t %f %x %X and %%, flags {@code - + 0}, width and precision. A wrong argument prints as Go
 * prints it ({@code %!d(string=abc)}, {@code %!s(MISSING)}); a verb jbox lacks is an error.
 */
final class GoPrintf {
    static final String VERBS = "%v %s %d %q %t %f %x %X %%";

    private GoPrintf() {
    }

    /** fmt.Sprint: a space between two operands when neither is a string. */
    static String sprint(List<JsonNode> args) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0 && !isString(args.get(i - 1)) && !isString(args.get(i))) {
                b.append(' ');
            }
            b.append(GoValues.format(args.get(i)));
        }
        return b.toString();
    }

    /** fmt.Sprintln: always a space between operands, and a newline at the end. */
    static String sprintln(List<JsonNode> args) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            b.append(i > 0 ? " " : "").append(GoValues.format(args.get(i)));
        }
        return b.append('\n').toString();
    }

    static String sprintf(String format, List<JsonNode> args) {
        StringBuilder out = new StringBuilder();
        int arg = 0;
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            Spec s = new Spec();
            while (i < format.length() && "-+0 #".indexOf(format.charAt(i)) >= 0) {
                s.flags += format.charAt(i++);
            }
            int start = i;
            while (i < format.length() && Character.isDigit(format.charAt(i))) {
                i++;
            }
            s.width = i > start ? Integer.parseInt(format.substring(start, i)) : -1;
            if (i < format.length() && format.charAt(i) == '.') {
                start = ++i;
                while (i < format.length() && Character.isDigit(format.charAt(i))) {
                    i++;
                }
                s.precision = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
            }
            if (i >= format.length()) {
                out.append("%!(NOVERB)");
                break;
            }
            char verb = format.charAt(i++);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if ("vsdqtfxX".indexOf(verb) < 0) {
                throw new IllegalArgumentException("jbox's printf does not support %" + verb + "; it supports " + VERBS);
            }
            if (arg >= args.size()) {
                out.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            out.append(s.pad(verb(verb, s, args.get(arg++))));
        }
        if (arg < args.size()) {
            out.append("%!(EXTRA ");
            for (int k = arg; k < args.size(); k++) {
                out.append(k > arg ? ", " : "").append(goType(args.get(k))).append('=').append(GoValues.format(args.get(k)));
            }
            out.append(')');
        }
        return out.toString();
    }

    private static final class Spec {
        String flags = "";
        int width = -1;
        int precision = -1;

        String pad(String s) {
            int length = s.codePointCount(0, s.length());
            if (width <= length) {
                return s;
            }
            String fill = " ".repeat(width - length);
            if (flags.contains("-")) {
                return s + fill;
            }
            if (flags.contains("0") && !s.isEmpty() && (Character.isDigit(s.charAt(s.length() - 1)))) {
                boolean signed = s.startsWith("-") || s.startsWith("+");
                return (signed ? s.substring(0, 1) : "") + "0".repeat(width - length) + (signed ? s.substring(1) : s);
            }
            return fill + s;
        }
    }

    private static String verb(char verb, Spec s, JsonNode v) {
        switch (verb) {
            case 'v', 's' -> {
                if (verb == 's' && !(isString(v) || v.isContainerNode())) {
                    return bad(verb, v);
                }
                String text = GoValues.format(v);
                return s.precision >= 0 && isString(v) && text.codePointCount(0, text.length()) > s.precision
                        ? text.substring(0, text.offsetByCodePoints(0, s.precision)) : sign(s, v, text);
            }
            case 'd' -> {
                return v.isIntegralNumber() ? sign(s, v, v.bigIntegerValue().toString()) : bad(verb, v);
            }
            case 'q' -> {
                return isString(v) ? GoValues.quote(v.textValue()) : bad(verb, v);
            }
            case 't' -> {
                return v.isBoolean() ? Boolean.toString(v.booleanValue()) : bad(verb, v);
            }
            case 'f' -> {
                return v.isNumber() ? sign(s, v, String.format("%." + (s.precision < 0 ? 6 : s.precision) + "f", v.doubleValue()))
                        : bad(verb, v);
            }
            default -> {
                String hex;
                if (v.isIntegralNumber()) {
                    BigInteger n = v.bigIntegerValue();
                    hex = (n.signum() < 0 ? "-" : "") + n.abs().toString(16);
                } else if (isString(v)) {
                    hex = HexFormat.of().formatHex(v.textValue().getBytes(StandardCharsets.UTF_8));
                } else {
                    return bad(verb, v);
                }
                return verb == 'X' ? hex.toUpperCase() : hex;
            }
        }
    }

    private static String sign(Spec s, JsonNode v, String text) {
        return s.flags.contains("+") && v.isNumber() && !text.startsWith("-") ? "+" + text : text;
    }

    /** Go's way to print an argument that does not fit its verb: %!d(string=abc). */
    private static String bad(char verb, JsonNode v) {
        return "%!" + verb + "(" + goType(v) + "=" + GoValues.format(v) + ")";
    }

    private static String goType(JsonNode v) {
        if (v == null || v.isNull()) {
            return "<nil>";
        }
        if (v.isNumber()) {
            return v.isIntegralNumber() ? "int" : "float64";
        }
        return v.isTextual() ? "string" : v.isBoolean() ? "bool" : v.isArray() ? "[]interface {}" : "map[string]interface {}";
    }

    private static boolean isString(JsonNode v) {
        return v != null && v.isTextual();
    }
}

package dev.jbox.cli.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * The functions a template can call: Go's built-ins ({@code and or not len index eq ne lt le gt ge
 * print println printf}) and the ones Docker adds ({@code json split join title lower upper pad
 * truncate}). {@code and} and {@code or} are listed here but run by the executor, which must
 * evaluate their arguments lazily as Go does.
 */
final class TemplateFunctions {
    /** A function's body; it throws IllegalArgumentException with Go's words for a bad argument. */
    interface Body {
        JsonNode call(List<JsonNode> args);
    }

    /** How many arguments it takes ({@code max} -1: any number from {@code min} on), and what it does. */
    record Function(int min, int max, Body body) {
    }

    private static final ObjectMapper COMPACT = new ObjectMapper();

    /** For the rows of a table and for inspect. */
    static final Map<String, Function> STANDARD = standard();

    /**
     * For a table's header row, as Docker makes it: the template runs over the column names, and
     * the functions that would change a value leave the name as it is.
     */
    static final Map<String, Function> HEADER = header();

    private TemplateFunctions() {
    }

    static Set<String> names() {
        return STANDARD.keySet();
    }

    private static Map<String, Function> standard() {
        Map<String, Function> f = new TreeMap<>();
        f.put("and", new Function(1, -1, a -> a.get(a.size() - 1)));
        f.put("or", new Function(1, -1, a -> a.get(a.size() - 1)));
        f.put("not", new Function(1, 1, a -> BooleanNode.valueOf(!GoValues.truth(a.get(0)))));
        f.put("len", new Function(1, 1, a -> LongNode.valueOf(length(a.get(0)))));
        f.put("index", new Function(1, -1, TemplateFunctions::index));
        f.put("eq", new Function(2, -1, a -> {
            for (JsonNode other : a.subList(1, a.size())) {
                if (GoValues.equal(a.get(0), other)) {
                    return BooleanNode.TRUE;
                }
            }
            return BooleanNode.FALSE;
        }));
        f.put("ne", new Function(2, 2, a -> BooleanNode.valueOf(!GoValues.equal(a.get(0), a.get(1)))));
        f.put("lt", new Function(2, 2, a -> BooleanNode.valueOf(GoValues.compare(a.get(0), a.get(1)) < 0)));
        f.put("le", new Function(2, 2, a -> BooleanNode.valueOf(GoValues.compare(a.get(0), a.get(1)) <= 0)));
        f.put("gt", new Function(2, 2, a -> BooleanNode.valueOf(GoValues.compare(a.get(0), a.get(1)) > 0)));
        f.put("ge", new Function(2, 2, a -> BooleanNode.valueOf(GoValues.compare(a.get(0), a.get(1)) >= 0)));
        f.put("print", new Function(0, -1, a -> TextNode.valueOf(GoPrintf.sprint(a))));
        f.put("println", new Function(0, -1, a -> TextNode.valueOf(GoPrintf.sprintln(a))));
        f.put("printf", new Function(1, -1, a -> TextNode.valueOf(GoPrintf.sprintf(string(a.get(0)), a.subList(1, a.size())))));
        f.put("json", new Function(1, 1, a -> TextNode.valueOf(json(a.get(0)))));
        f.put("split", new Function(2, 2, a -> split(string(a.get(0)), string(a.get(1)))));
        f.put("join", new Function(2, 2, a -> TextNode.valueOf(join(a.get(0), string(a.get(1))))));
        f.put("title", new Function(1, 1, a -> TextNode.valueOf(title(string(a.get(0))))));
        f.put("lower", new Function(1, 1, a -> TextNode.valueOf(string(a.get(0)).toLowerCase())));
        f.put("upper", new Function(1, 1, a -> TextNode.valueOf(string(a.get(0)).toUpperCase())));
        f.put("pad", new Function(3, 3, a -> {
            String s = string(a.get(0));
            return TextNode.valueOf(s.isEmpty() ? s : " ".repeat(integer(a.get(1))) + s + " ".repeat(integer(a.get(2))));
        }));
        f.put("truncate", new Function(2, 2, a -> {
            String s = string(a.get(0));
            int n = integer(a.get(1));
            return TextNode.valueOf(s.codePointCount(0, s.length()) <= n ? s : s.substring(0, s.offsetByCodePoints(0, n)));
        }));
        return f;
    }

    private static Map<String, Function> header() {
        Map<String, Function> f = new TreeMap<>(STANDARD);
        for (String name : List.of("json", "split", "join", "title", "lower", "upper", "truncate")) {
            Function real = STANDARD.get(name);
            f.put(name, new Function(real.min(), real.max(), a -> a.get(0)));
        }
        return f;
    }

    /** Go's len: bytes of a string (UTF-8), elements of a list or object. */
    private static int length(JsonNode v) {
        if (v.isTextual()) {
            return v.textValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (v.isContainerNode()) {
            return v.size();
        }
        throw new IllegalArgumentException("len of type " + GoValues.kind(v));
    }

    /** index x 1 "k": a list or string by number, an object by key; a missing key gives nil, as a Go map's does. */
    private static JsonNode index(List<JsonNode> a) {
        JsonNode v = a.get(0);
        for (JsonNode key : a.subList(1, a.size())) {
            if (v == null || v.isNull()) {
                throw new IllegalArgumentException("index of untyped nil");
            }
            if (v.isArray() || v.isTextual()) {
                if (!key.isIntegralNumber()) {
                    throw new IllegalArgumentException("cannot index slice/array with type " + GoValues.kind(key));
                }
                // a string indexes by byte, and gives the byte's value, as in Go
                byte[] bytes = v.isTextual() ? v.textValue().getBytes(StandardCharsets.UTF_8) : null;
                long i = key.longValue();
                if (i < 0 || i >= (bytes != null ? bytes.length : v.size())) {
                    throw new IllegalArgumentException("index out of range: " + i);
                }
                v = bytes != null ? LongNode.valueOf(bytes[(int) i] & 0xff) : v.get((int) i);
            } else if (v.isObject()) {
                if (!key.isTextual()) {
                    throw new IllegalArgumentException("value has type " + GoValues.kind(key) + "; should be string");
                }
                v = v.has(key.textValue()) ? v.get(key.textValue()) : zeroValue(v);
            } else {
                throw new IllegalArgumentException("can't index item of type " + GoValues.kind(v));
            }
        }
        return v;
    }

    /**
     * What a Go map gives for a key it lacks: its element type's zero value. The JSON tree has no
     * element type, so a map of strings (like Docker's Config.Labels, a map[string]string) gives
     * "", and any other map gives nil.
     */
    private static JsonNode zeroValue(JsonNode map) {
        for (JsonNode value : map) {
            if (!value.isTextual()) {
                return NullNode.getInstance();
            }
        }
        return TextNode.valueOf("");
    }

    /** Docker's json: compact, on one line, '<' '>' '&' left alone. */
    static String json(JsonNode v) {
        try {
            return COMPACT.writeValueAsString(v == null ? NullNode.getInstance() : v);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** Go's strings.Split: every piece, empty ones too; an empty separator splits into characters. */
    private static JsonNode split(String s, String sep) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (sep.isEmpty()) {
            s.codePoints().forEach(c -> out.add(new String(Character.toChars(c))));
            return out;
        }
        int from = 0;
        for (int at = s.indexOf(sep); at >= 0; at = s.indexOf(sep, from)) {
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        return out.add(s.substring(from));
    }

    /** Go's strings.Join; Docker's takes a []string, jbox prints any element as fmt would. */
    private static String join(JsonNode list, String sep) {
        if (!list.isArray()) {
            throw new IllegalArgumentException("wrong type for value; expected []string; got " + GoValues.kind(list));
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < list.size(); i++) {
            b.append(i > 0 ? sep : "").append(GoValues.format(list.get(i)));
        }
        return b.toString();
    }

    /** Go's strings.Title: the first letter of each word in upper case. */
    private static String title(String s) {
        StringBuilder b = new StringBuilder();
        IntPredicate separator = c -> !(Character.isLetterOrDigit(c) || c == '_');
        int previous = ' ';
        for (int c : s.codePoints().toArray()) {
            b.appendCodePoint(separator.test(previous) ? Character.toTitleCase(c) : c);
            previous = c;
        }
        return b.toString();
    }

    private static String string(JsonNode v) {
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("wrong type for value; expected string; got " + GoValues.kind(v));
        }
        return v.textValue();
    }

    private static int integer(JsonNode v) {
        if (v == null || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("wrong type for value; expected int; got " + GoValues.kind(v));
        }
        return v.intValue();
    }
}

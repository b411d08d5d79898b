package dev.jbox.cli.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cuts a Go template into tokens: the text between actions, and inside each {@code {{ }}} the
 * fields, variables, words, literals and punctuation of Go's text/template. Trim markers
 * ({@code {{- } and {@code  -}}}) and comments are dealt with here, so the parser never sees them.
 */
final class TemplateLexer {
    enum Type {
        TEXT, LEFT, RIGHT, FIELD, DOT, VARIABLE, IDENTIFIER, STRING, NUMBER, BOOL, NIL, PIPE, LEFT_PAREN, RIGHT_PAREN,
        DECLARE, ASSIGN, COMMA, IF, ELSE, END, RANGE, WITH, BREAK, CONTINUE, DEFINE, TEMPLATE, BLOCK, EOF
    }

    /**
     * One token. {@code value} is the unquoted text of a string, {@code spaceBefore} says whether
     * white space separated it from the token before (Go chains {@code (x).Field} only without).
     */
    record Token(Type type, String text, String value, int pos, boolean spaceBefore) {
        @Override
        public String toString() {
            return switch (type) {
                case EOF -> "EOF";
                case RIGHT -> "\"}}\"";
                case LEFT -> "\"{{\"";
                default -> text.length() == 1 ? "\"" + text + "\"" : "<" + text + ">";
            };
        }
    }

    private static final Map<String, Type> KEYWORDS = Map.of("if", Type.IF, "else", Type.ELSE, "end", Type.END,
            "range", Type.RANGE, "with", Type.WITH, "break", Type.BREAK, "continue", Type.CONTINUE,
            "define", Type.DEFINE, "template", Type.TEMPLATE, "block", Type.BLOCK);

    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private boolean space;

    private TemplateLexer(String src) {
        this.src = src;
    }

    static List<Token> lex(String src) {
        TemplateLexer l = new TemplateLexer(src);
        l.run();
        return l.tokens;
    }

    private void run() {
        boolean trimText = false;
        while (true) {
            int left = src.indexOf("{{", pos);
            String text = src.substring(pos, left < 0 ? src.length() : left);
            if (trimText) {
                text = stripLeadingSpace(text);
            }
            boolean trimLeft = left >= 0 && left + 3 < src.length() && src.charAt(left + 2) == '-'
                    && isSpace(src.charAt(left + 3));
            if (trimLeft) {
                text = stripTrailingSpace(text);
            }
            if (!text.isEmpty()) {
                tokens.add(new Token(Type.TEXT, text, text, pos, false));
            }
            if (left < 0) {
                break;
            }
            pos = left + (trimLeft ? 4 : 2);
            if (src.startsWith("/*", pos)) {
                trimText = comment(left);
            } else {
                tokens.add(new Token(Type.LEFT, "{{", null, left, false));
                trimText = insideAction();
            }
        }
        tokens.add(new Token(Type.EOF, "", null, src.length(), false));
    }

    /** Skips a comment, which must end the action; true if it ends with a trim marker. */
    private boolean comment(int start) {
        int end = src.indexOf("*/", pos + 2);
        if (end < 0) {
            throw TemplateException.parse(src, start, "unclosed comment");
        }
        pos = end + 2;
        if (atRightTrim()) {
            pos += 4;
            return true;
        }
        if (src.startsWith("}}", pos)) {
            pos += 2;
            return false;
        }
        throw TemplateException.parse(src, start, "comment ends before closing delimiter");
    }

    /** Lexes one action up to and including its {@code }}}; true if it ends with a trim marker. */
    private boolean insideAction() {
        space = false;
        while (true) {
            if (atRightTrim()) {
                add(Type.RIGHT, pos + 1, pos + 4);
                return true;
            }
            if (src.startsWith("}}", pos)) {
                add(Type.RIGHT, pos, pos + 2);
                return false;
            }
            if (pos >= src.length()) {
                throw TemplateException.parse(src, pos, "unclosed action");
            }
            char c = src.charAt(pos);
            if (isSpace(c)) {
                pos++;
                space = true;
                continue;
            }
            switch (c) {
                case '|' -> add(Type.PIPE, pos, pos + 1);
                case '(' -> add(Type.LEFT_PAREN, pos, pos + 1);
                case ')' -> add(Type.RIGHT_PAREN, pos, pos + 1);
                case ',' -> add(Type.COMMA, pos, pos + 1);
                case '=' -> add(Type.ASSIGN, pos, pos + 1);
                case ':' -> {
                    if (!src.startsWith(":=", pos)) {
                        throw TemplateException.parse(src, pos, "expected :=");
                    }
                    add(Type.DECLARE, pos, pos + 2);
                }
                case '"' -> quoted();
                case '`' -> raw();
                case '\'' -> throw TemplateException.parse(src, pos,
                        "jbox does not support character constants ('x'); use a string (\"x\")");
                case '$' -> word(Type.VARIABLE, pos + 1);
                case '.' -> {
                    if (pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))) {
                        number();
                    } else if (pos + 1 < src.length() && isAlphaNumeric(src.charAt(pos + 1))) {
                        word(Type.FIELD, pos + 1);
                    } else {
                        add(Type.DOT, pos, pos + 1);
                    }
                }
                default -> {
                    if (Character.isDigit(c) || (c == '-' || c == '+') && pos + 1 < src.length()
                            && (Character.isDigit(src.charAt(pos + 1)) || src.charAt(pos + 1) == '.')) {
                        number();
                    } else if (isAlphaNumeric(c)) {
                        identifier();
                    } else {
                        throw TemplateException.parse(src, pos, String.format("bad character U+%04X '%c'", (int) c, c));
                    }
                }
            }
        }
    }

    private boolean atRightTrim() {
        return pos + 3 < src.length() && isSpace(src.charAt(pos)) && src.charAt(pos + 1) == '-'
                && src.startsWith("}}", pos + 2);
    }

    private void add(Type type, int start, int end) {
        add(type, start, end, src.substring(start, end));
    }

    private void add(Type type, int start, int end, String value) {
        tokens.add(new Token(type, src.substring(start, end), value, start, space));
        pos = end;
        space = false;
    }

    /** $name, .Name: Go allows letters, digits and _ in them, and wants a separator after. */
    private void word(Type type, int from) {
        int end = from;
        while (end < src.length() && isAlphaNumeric(src.charAt(end))) {
            end++;
        }
        checkTerminator(end);
        add(type, pos, end);
    }

    private void identifier() {
        int end = pos;
        while (end < src.length() && isAlphaNumeric(src.charAt(end))) {
            end++;
        }
        checkTerminator(end);
        String w = src.substring(pos, end);
        Type t = w.equals("true") || w.equals("false") ? Type.BOOL : w.equals("nil") ? Type.NIL
                : KEYWORDS.getOrDefault(w, Type.IDENTIFIER);
        add(t, pos, end);
    }

    private void checkTerminator(int at) {
        if (at >= src.length()) {
            return;
        }
        char c = src.charAt(at);
        if (!(isSpace(c) || ".,|:()".indexOf(c) >= 0 || src.startsWith("}}", at))) {
            throw TemplateException.parse(src, at, String.format("bad character U+%04X '%c'", (int) c, c));
        }
    }

    private void number() {
        int end = pos + 1;
        while (end < src.length()) {
            char c = src.charAt(end);
            char before = src.charAt(end - 1);
            boolean sign = (c == '+' || c == '-') && "eEpP".indexOf(before) >= 0 && !src.startsWith("0x", pos);
            if (!(isAlphaNumeric(c) || c == '.' || sign)) {
                break;
            }
            end++;
        }
        String text = src.substring(pos, end);
        if (GoValues.parseNumber(text) == null) {
            throw TemplateException.parse(src, pos, "bad number syntax: \"" + text + "\"");
        }
        add(Type.NUMBER, pos, end);
    }

    private void quoted() {
        StringBuilder value = new StringBuilder();
        int i = pos + 1;
        while (true) {
            if (i >= src.length() || src.charAt(i) == '\n') {
                throw TemplateException.parse(src, pos, "unterminated quoted string");
            }
            char c = src.charAt(i);
            if (c == '"') {
                break;
            }
            if (c == '\\' && i + 1 < src.length()) {
                i = escape(i + 1, value);
                continue;
            }
            value.append(c);
            i++;
        }
        add(Type.STRING, pos, i + 1, value.toString());
    }

    /** Go's escapes in "...": \n \t \r \\ \" \a \b \f \v, \xHH, \\uHHHH and \\UHHHHHHHH. */
    private int escape(int at, StringBuilder value) {
        char c = src.charAt(at);
        switch (c) {
            case 'n' -> value.append('\n');
            case 't' -> value.append('\t');
            case 'r' -> value.append('\r');
            case 'a' -> value.append('\007');
            case 'b' -> value.append('\b');
            case 'f' -> value.append('\f');
            case 'v' -> value.append('\013');
            case '\\', '"' -> value.append(c);
            case 'x', 'u', 'U' -> {
                int digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
                try {
                    value.appendCodePoint(Integer.parseInt(src.substring(at + 1, at + 1 + digits), 16));
                } catch (RuntimeException e) {
                    throw TemplateException.parse(src, at, "invalid syntax in quoted string: bad \\" + c + " escape");
                }
                return at + 1 + digits;
            }
            default -> throw TemplateException.parse(src, at, "invalid syntax in quoted string: unknown escape \\" + c);
        }
        return at + 1;
    }

    private void raw() {
        int end = src.indexOf('`', pos + 1);
        if (end < 0) {
            throw TemplateException.parse(src, pos, "unterminated raw quoted string");
        }
        add(Type.STRING, pos, end + 1, src.substring(pos + 1, end));
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isAlphaNumeric(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    private static String stripLeadingSpace(String s) {
        int start = 0;
        while (start < s.length() && isSpace(s.charAt(start))) {
            start++;
        }
        return s.substring(start);
    }

    private static String stripTrailingSpace(String s) {
        int end = s.length();
        while (end > 0 && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }
}

package dev.jbox.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The small piece of shell Docker's builder speaks itself, in the instructions it substitutes
 * (FROM, COPY, ADD, ENV, ARG, LABEL, WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL): quotes,
 * the escape character, {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}} and
 * {@code ${VAR:+alternative}} (and their forms without the colon). RUN, CMD and ENTRYPOINT are
 * left alone: the shell in the container expands those.
 */
public final class ShellWords {
    private final char escape;

    public ShellWords(char escape) {
        this.escape = escape;
    }

    /** One word: quotes removed, escapes applied, variables of {@code env} expanded (an unknown one is empty). */
    public String expand(String word, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        boolean inDouble = false;
        int i = 0;
        while (i < word.length()) {
            char c = word.charAt(i);
            char next = i + 1 < word.length() ? word.charAt(i + 1) : 0;
            if (c == '\'' && !inDouble) {
                int end = word.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unmatched ' in: " + word);
                }
                out.append(word, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                inDouble = !inDouble;
                i++;
            } else if (c == escape && next != 0 && (!inDouble || next == '"' || next == '$' || next == '`' || next == escape)) {
                out.append(next); // in double quotes only these are escaped; elsewhere the escape stays
                i += 2;
            } else if (c == '$') {
                i = variable(word, i, env, out);
            } else {
                out.append(c);
                i++;
            }
        }
        if (inDouble) {
            throw new IllegalArgumentException("unmatched \" in: " + word);
        }
        return out.toString();
    }

    /** Splits on unquoted white space, then expands each word: COPY's sources, EXPOSE's ports, VOLUME's paths. */
    public List<String> words(String text, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        for (String raw : rawWords(text)) {
            out.add(expand(raw, env));
        }
        return out;
    }

    /** Splits on unquoted, unescaped white space, quotes kept: how ENV and LABEL find their KEY=VALUE pairs. */
    public List<String> rawWords(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            if (c == escape && quote != '\'' && i + 1 < text.length()) {
                word.append(c).append(text.charAt(++i));
                continue;
            }
            if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
            word.append(c);
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unmatched " + quote + " in: " + text);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Expands the variable at {@code word[i] == '$'}; returns the index after it. */
    private int variable(String word, int i, Map<String, String> env, StringBuilder out) {
        if (i + 1 >= word.length()) {
            out.append('$');
            return i + 1;
        }
        char next = word.charAt(i + 1);
        if (next == '{') {
            int end = closingBrace(word, i + 2);
            braced(word.substring(i + 2, end), env, out);
            return end + 1;
        }
        int j = i + 1;
        while (j < word.length() && (Character.isLetterOrDigit(word.charAt(j)) || word.charAt(j) == '_')) {
            j++;
        }
        if (j == i + 1) {
            out.append('$'); // "$" not followed by a name stays itself, as in Docker
            return i + 1;
        }
        out.append(env.getOrDefault(word.substring(i + 1, j), ""));
        return j;
    }

    private static int closingBrace(String word, int from) {
        int depth = 1;
        for (int k = from; k < word.length(); k++) {
            if (word.charAt(k) == '{') {
                depth++;
            } else if (word.charAt(k) == '}' && --depth == 0) {
                return k;
            }
        }
        throw new IllegalArgumentException("missing '}' in: " + word);
    }

    // tag::braced[]
    /** ${NAME}, ${NAME:-word}, ${NAME-word}, ${NAME:+word}, ${NAME+word}, as Docker's shell lexer reads them. */
    private void braced(String inner, Map<String, String> env, StringBuilder out) {
        int k = 0;
        while (k < inner.length() && (Character.isLetterOrDigit(inner.charAt(k)) || inner.charAt(k) == '_')) {
            k++;
        }
        String name = inner.substring(0, k);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("bad substitution: ${" + inner + "}");
        }
        String value = env.get(name);
        String rest = inner.substring(k);
        if (rest.isEmpty()) {
            out.append(value == null ? "" : value);
            return;
        }
        boolean colon = rest.startsWith(":");
        String op = colon ? rest.substring(1, Math.min(2, rest.length())) : rest.substring(0, 1);
        String arg = rest.substring(colon ? 2 : 1);
        boolean set = colon ? value != null && !value.isEmpty() : value != null;
        switch (op) {
            case "-" -> out.append(set ? value : expand(arg, env));
            case "+" -> out.append(set ? expand(arg, env) : "");
            case "?" -> {
                if (!set) {
                    throw new IllegalArgumentException(name + ": " + (arg.isEmpty() ? "is not set" : expand(arg, env)));
                }
                out.append(value);
            }
            default -> throw new IllegalArgumentException("unsupported modifier '" + rest + "' in ${" + inner
                    + "}; use ${VAR}, ${VAR:-default} or ${VAR:+alternative}");
        }
    }
    // end::braced[]
}

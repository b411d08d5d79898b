package dev.jbox.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The context's {@code .dockerignore}, read as Docker reads it: one pattern a line, {@code #}
 * comments, {@code !} re-includes, Go's {@code filepath.Match} syntax plus {@code **} for any
 * number of directories. The last pattern that matches a path decides, and a pattern that
 * matches a directory also matches everything below it.
 */
public final class DockerIgnore {
    private record Rule(Pattern pattern, boolean exclude) {
    }

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static DockerIgnore of(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean include = line.startsWith("!");
            String p = include ? line.substring(1).strip() : line;
            p = Path.of("/" + p).normalize().toString().substring(1); // filepath.Clean, leading '/' dropped
            if (p.isEmpty()) {
                continue;
            }
            rules.add(new Rule(Pattern.compile(regex(p)), !include));
        }
        return new DockerIgnore(rules);
    }

    /** The context's .dockerignore, or one that ignores nothing. */
    public static DockerIgnore read(Path context) {
        Path file = context.resolve(".dockerignore");
        if (!Files.isRegularFile(file)) {
            return of(List.of());
        }
        try {
            return of(Files.readAllLines(file));
        } catch (IOException e) {
            throw new dev.jbox.JboxException("cannot read " + file + ": " + e.getMessage() + "; fix or remove it");
        }
    }

    /** Whether {@code rel} (a context-relative path, '/'-separated) is left out of the build. */
    public boolean ignores(String rel) {
        boolean ignored = false;
        for (Rule r : rules) {
            if (matchesOrParentMatches(r.pattern(), rel)) {
                ignored = r.exclude();
            }
        }
        return ignored;
    }

    /** Whether a re-include could bring back something below an ignored directory (then it must be walked). */
    public boolean hasExceptions() {
        return rules.stream().anyMatch(r -> !r.exclude());
    }

    private static boolean matchesOrParentMatches(Pattern p, String rel) {
        if (p.matcher(rel).matches()) {
            return true;
        }
        for (int slash = rel.lastIndexOf('/'); slash > 0; slash = rel.lastIndexOf('/', slash - 1)) {
            if (p.matcher(rel.substring(0, slash)).matches()) {
                return true;
            }
        }
        return false;
    }

    // tag::regex[]
    /** A Docker ignore pattern as a regular expression: * and ? stay within a name, ** crosses directories. */
    static String regex(String pattern) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                i++;
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
                    i++;
                    re.append("(.*/)?"); // "**/" : zero or more directories
                } else {
                    re.append(".*");
                }
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '[') {
                int end = pattern.indexOf(']', i + 1);
                if (end < 0) {
                    re.append("\\[");
                } else {
                    String cls = pattern.substring(i + 1, end);
                    re.append('[').append(cls.startsWith("^") || cls.startsWith("!") ? "^" + cls.substring(1) : cls).append(']');
                    i = end;
                }
            } else if (c == '\\' && i + 1 < pattern.length()) {
                re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }
    // end::regex[]
}

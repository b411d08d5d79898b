package dev.jbox.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A chapter's walk-through: shell commands ("$ " lines) each followed by the output it must
 * print. The same file is included in the book, so the book shows exactly what the tests ran.
 * In expected output, a line "..." matches any number of lines and "..." inside a line any text.
 */
public record Walkthrough(Path file, List<Step> steps) {
    public record Step(int line, String command, List<String> expected) {
    }

    public static Walkthrough parse(Path file) throws IOException {
        return parse(file, Files.readAllLines(file));
    }

    static Walkthrough parse(Path file, List<String> lines) {
        List<Step> steps = new ArrayList<>();
        String command = null;
        int commandLine = 0;
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("$ ")) {
                if (command != null) {
                    steps.add(new Step(commandLine, command, List.copyOf(expected)));
                }
                StringBuilder c = new StringBuilder(line.substring(2));
                commandLine = i + 1;
                while (c.toString().endsWith("\\") && i + 1 < lines.size()) {
                    c.append('\n').append(lines.get(++i));
                }
                command = c.toString();
                expected.clear();
            } else if (line.startsWith("#") || line.isBlank()) {
                if (command != null) {
                    steps.add(new Step(commandLine, command, List.copyOf(expected)));
                    command = null;
                }
            } else if (command != null) {
                expected.add(line);
            } else {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": output without a command: " + line);
            }
        }
        if (command != null) {
            steps.add(new Step(commandLine, command, List.copyOf(expected)));
        }
        return new Walkthrough(file, List.copyOf(steps));
    }

    /** Whether {@code actual} output lines match {@code expected}, with "..." wildcards. */
    public static boolean matches(List<String> expected, List<String> actual) {
        return matches(expected, 0, actual, 0);
    }

    private static boolean matches(List<String> expected, int e, List<String> actual, int a) {
        if (e == expected.size()) {
            return a == actual.size();
        }
        if (expected.get(e).equals("...")) {
            for (int skip = a; skip <= actual.size(); skip++) {
                if (matches(expected, e + 1, actual, skip)) {
                    return true;
                }
            }
            return false;
        }
        return a < actual.size() && lineMatches(expected.get(e), actual.get(a)) && matches(expected, e + 1, actual, a + 1);
    }

    static boolean lineMatches(String expected, String actual) {
        if (!expected.contains("...")) {
            return expected.equals(actual);
        }
        StringBuilder regex = new StringBuilder();
        String[] parts = expected.split(Pattern.quote("..."), -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(actual).matches();
    }
}

package dev.jbox.build;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbox.JboxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile, parsed as Docker's parser reads one: parser directives first ({@code # escape=`},
 * {@code # syntax=...}, which is tolerated and ignored), then instructions, one per logical line
 * (a line ending in the escape character goes on on the next; comment lines are dropped, even in
 * the middle of a continued instruction), with the JSON form recognised where it parses.
 *
 * @param name   how errors name the file (the path the user gave)
 * @param escape the escape character: {@code \} unless a directive says {@code `}
 */
public record Dockerfile(String name, char escape, List<Instruction> instructions) {
    private static final Pattern DIRECTIVE = Pattern.compile("#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(\\S+)\\s*");
    private static final Pattern INSTRUCTION = Pattern.compile("\\s*(\\S+)\\s*(.*)", Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The instructions jbox builds, and the flags each accepts. */
    private static final Map<String, Set<String>> KNOWN = Map.ofEntries(
            Map.entry("FROM", Set.of("platform")), Map.entry("RUN", Set.of()),
            Map.entry("COPY", Set.of("from", "chown", "chmod")), Map.entry("ADD", Set.of("chown", "chmod")),
            Map.entry("ENV", Set.of()), Map.entry("ARG", Set.of()), Map.entry("WORKDIR", Set.of()),
            Map.entry("USER", Set.of()), Map.entry("CMD", Set.of()), Map.entry("ENTRYPOINT", Set.of()),
            Map.entry("LABEL", Set.of()), Map.entry("EXPOSE", Set.of()), Map.entry("VOLUME", Set.of()),
            Map.entry("SHELL", Set.of()), Map.entry("STOPSIGNAL", Set.of()), Map.entry("MAINTAINER", Set.of()));
    /** Docker's instructions jbox does not build: named in the error so the user knows it is not a typo. */
    private static final Set<String> UNSUPPORTED = Set.of("ONBUILD", "HEALTHCHECK");

    public Dockerfile {
        instructions = List.copyOf(instructions);
    }

    /** Parses {@code text}; {@code name} names the file in errors. */
    public static Dockerfile parse(String name, String text) {
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        char escape = '\\';
        int i = 0;
        // Parser directives: only at the very top, before any comment, blank line or instruction.
        for (; i < lines.length; i++) {
            Matcher m = DIRECTIVE.matcher(lines[i]);
            if (!m.matches()) {
                break;
            }
            String directive = m.group(1).toLowerCase(Locale.ROOT);
            if (directive.equals("escape")) {
                String v = m.group(2);
                if (!v.equals("\\") && !v.equals("`")) {
                    throw error(name, i + 1, "invalid escape directive '" + v + "'; write '# escape=\\' or '# escape=`'");
                }
                escape = v.charAt(0);
            } else if (!directive.equals("syntax") && !directive.equals("check")) {
                break; // not a directive Docker knows: a comment, which ends the directives
            }
        }
        List<Instruction> out = new ArrayList<>();
        StringBuilder logical = new StringBuilder();
        int start = -1;
        for (; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                continue; // comments go even inside a continued instruction; blank continuation lines too
            }
            if (start < 0) {
                start = i + 1;
            }
            String right = line.stripTrailing();
            if (right.charAt(right.length() - 1) == escape) {
                logical.append(right, 0, right.length() - 1);
                continue;
            }
            logical.append(line);
            out.add(instruction(name, start, logical.toString()));
            logical.setLength(0);
            start = -1;
        }
        if (start >= 0) {
            out.add(instruction(name, start, logical.toString()));
        }
        Dockerfile parsed = new Dockerfile(name, escape, out);
        parsed.checkOrder();
        return parsed;
    }

    private static Instruction instruction(String file, int line, String logical) {
        Matcher m = INSTRUCTION.matcher(logical);
        if (!m.matches()) {
            throw error(file, line, "cannot read '" + logical.strip() + "'; write KEYWORD ARGUMENTS, e.g. RUN echo hi");
        }
        String keyword = m.group(1).toUpperCase(Locale.ROOT);
        String rest = m.group(2).strip();
        if (UNSUPPORTED.contains(keyword)) {
            throw error(file, line, keyword + " is not supported by jbox build; remove it");
        }
        Set<String> allowed = KNOWN.get(keyword);
        if (allowed == null) {
            throw error(file, line, "unknown instruction: " + m.group(1) + "; the instructions are " + String.join(", ",
                    new java.util.TreeSet<>(KNOWN.keySet())));
        }
        Map<String, String> flags = new LinkedHashMap<>();
        while (rest.startsWith("--")) {
            int end = 0;
            while (end < rest.length() && !Character.isWhitespace(rest.charAt(end))) {
                end++;
            }
            String flag = rest.substring(2, end);
            int eq = flag.indexOf('=');
            String flagName = eq < 0 ? flag : flag.substring(0, eq);
            if (!allowed.contains(flagName)) {
                throw error(file, line, "unknown flag --" + flagName + " for " + keyword
                        + (allowed.isEmpty() ? "; " + keyword + " takes no flags" : "; it takes --" + String.join(", --", new java.util.TreeSet<>(allowed))));
            }
            flags.put(flagName, eq < 0 ? "true" : flag.substring(eq + 1));
            rest = rest.substring(end).strip();
        }
        if (rest.isEmpty() && !keyword.equals("CMD") && !keyword.equals("ENTRYPOINT")) {
            throw error(file, line, keyword + " needs an argument, e.g. " + example(keyword));
        }
        return new Instruction(line, keyword, flags, rest, json(rest), logical.strip());
    }

    /** The JSON form ["a", "b"] if {@code rest} is one, else null (Docker then reads it as the shell form). */
    private static List<String> json(String rest) {
        if (!rest.startsWith("[") || !rest.endsWith("]")) {
            return null;
        }
        try {
            return JSON.readValue(rest, new TypeReference<List<String>>() { });
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private void checkOrder() {
        if (instructions.isEmpty()) {
            throw error(name, 1, "the file holds no instructions; start it with FROM IMAGE (e.g. FROM busybox)");
        }
        for (Instruction in : instructions) {
            if (in.keyword().equals("FROM")) {
                return;
            }
            if (!in.keyword().equals("ARG")) {
                throw error(name, in.line(), in.keyword() + " comes before the first FROM; put FROM IMAGE first"
                        + " (only ARG may come before it)");
            }
        }
        throw error(name, instructions.get(instructions.size() - 1).line(), "no FROM instruction; add FROM IMAGE (or FROM scratch)");
    }

    private static String example(String keyword) {
        return switch (keyword) {
            case "FROM" -> "FROM busybox";
            case "COPY", "ADD" -> keyword + " app.tar /app/";
            case "ENV" -> "ENV KEY=value";
            case "ARG" -> "ARG VERSION=1";
            case "WORKDIR" -> "WORKDIR /app";
            case "USER" -> "USER 1000:1000";
            case "LABEL" -> "LABEL version=1";
            case "EXPOSE" -> "EXPOSE 80/tcp";
            case "VOLUME" -> "VOLUME /data";
            case "SHELL" -> "SHELL [\"/bin/sh\", \"-c\"]";
            case "STOPSIGNAL" -> "STOPSIGNAL SIGTERM";
            default -> keyword + " echo hello";
        };
    }

    /** An error in one instruction: one line naming the file, the line and what to do. */
    public JboxException error(Instruction in, String message) {
        return error(name, in.line(), message);
    }

    static JboxException error(String file, int line, String message) {
        return new JboxException(file + ":" + line + ": " + message);
    }
}

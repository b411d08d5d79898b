package dev.jbox.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** The repository's README.md, read the way a reader follows it: a section, and its shell commands. */
public final class Readme {
    private Readme() {
    }

    public static String text() {
        try {
            return Files.readString(Cli.REPO.resolve("README.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of the section headed {@code ## title}, up to the next such heading. */
    public static String section(String title) {
        String readme = text();
        int start = readme.indexOf("\n## " + title + "\n");
        if (start < 0) {
            throw new AssertionError("README.md has no section '## " + title + "'");
        }
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start + 1, end < 0 ? readme.length() : end);
    }

    /** Every {@code ```sh} block of the section, as a reader would paste it. */
    public static List<String> commands(String section) {
        return shellBlocks(section(section));
    }

    /** Every {@code ```sh} block of {@code markdown}. */
    public static List<String> shellBlocks(String markdown) {
        List<String> commands = new ArrayList<>();
        for (int at = markdown.indexOf("```sh\n"); at >= 0; at = markdown.indexOf("```sh\n", at + 1)) {
            int from = at + "```sh\n".length();
            commands.add(markdown.substring(from, markdown.indexOf("```", from)).strip());
        }
        return commands;
    }

    /** The Quick start's commands: the first run, then the test suite. */
    public static List<String> quickStart() {
        return commands("Quick start");
    }
}

package dev.jbox.lab;

import dev.jbox.JboxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One graded exercise: {@code chapters/NN-name/checks/exercise-K.txt}, a walk-through whose
 * commands test the student's work in {@code $LAB}. Its first line is a comment naming the
 * exercise, e.g. {@code # Exercise 2: escape from a read-only jail with fchdir(2)}.
 */
public record Check(int exercise, String title, Path file) {
    static final Pattern FILE_NAME = Pattern.compile("exercise-(\\d+)\\.txt");
    private static final Pattern TITLE = Pattern.compile("#\\s*(?:[Ee]xercise\\s+\\d+\\s*[:.-]\\s*)?(.*\\S)\\s*");

    public static Check read(Path file) {
        Matcher name = FILE_NAME.matcher(file.getFileName().toString());
        if (!name.matches()) {
            throw new JboxException(file + " is not a check: name it exercise-K.txt, K the exercise's number");
        }
        String first;
        try (var lines = Files.lines(file)) {
            first = lines.findFirst().orElse("");
        } catch (IOException e) {
            throw new JboxException("cannot read " + file + ": " + e.getMessage());
        }
        Matcher title = TITLE.matcher(first);
        if (!title.matches()) {
            throw new JboxException(file + " must start with a comment line naming the exercise,"
                    + " e.g. '# Exercise " + name.group(1) + ": what it asks for'");
        }
        return new Check(Integer.parseInt(name.group(1)), title.group(1), file);
    }
}

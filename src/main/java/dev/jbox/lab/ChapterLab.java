package dev.jbox.lab;

import dev.jbox.JboxException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The graded part of a chapter's lab: its {@link Exercise}s (methods of the engine),
 * the reference solutions (the engine's own files, in {@code src/main/java}) and
 * {@code lab/NN/} (the skeletons, where the student's work lives), relative to the repository's top directory.
 */
public record ChapterLab(int number, Path repository, Path dir) {

    /** The chapter's lab, or an error naming the chapters that have graded exercises. */
    public static ChapterLab find(Path repository, int number) {
        String prefix = String.format("%02d-", number);
        Path chapters = repository.resolve("chapters");
        List<ChapterLab> graded = all(repository);
        try (Stream<Path> dirs = list(chapters)) {
            Path dir = dirs.filter(d -> d.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new JboxException("there is no chapter " + number + " in " + chapters
                            + "; chapters with graded exercises: " + numbers(graded)));
            ChapterLab lab = new ChapterLab(number, repository, dir);
            if (lab.exercises().isEmpty()) {
                throw new JboxException("chapter " + number + " has no graded exercises; chapters with graded exercises: "
                        + numbers(graded));
            }
            return lab;
        }
    }

    /** Every chapter that has graded exercises, in order. */
    public static List<ChapterLab> all(Path repository) {
        try (Stream<Path> dirs = list(repository.resolve("chapters"))) {
            return dirs.filter(d -> d.getFileName().toString().matches("\\d\\d-.+"))
                    .map(d -> new ChapterLab(Integer.parseInt(d.getFileName().toString().substring(0, 2)), repository, d))
                    .filter(lab -> !lab.exercises().isEmpty())
                    .toList();
        }
    }

    /**
     * The repository this jbox was built from (the jar lives in its {@code target/}), else the
     * nearest directory at or above the working directory that holds {@code chapters/}.
     */
    public static Path locateRepository() {
        var source = ChapterLab.class.getProtectionDomain().getCodeSource();
        if (source != null) {
            try {
                for (Path p = Path.of(source.getLocation().toURI()); p != null; p = p.getParent()) {
                    if (p.getFileName() != null && p.getFileName().toString().equals("target") && isRepository(p.getParent())) {
                        return p.getParent();
                    }
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                // not a file: fall back to the working directory
            }
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (isRepository(p)) {
                return p;
            }
        }
        throw new JboxException("cannot find the jbox repository (a directory holding chapters/); run jbox from inside it");
    }

    private static boolean isRepository(Path dir) {
        return dir != null && Files.isDirectory(dir.resolve("chapters"));
    }

    public List<Exercise> exercises() {
        return Exercise.of(number);
    }

    /**
     * The reference solutions: the engine's own source directory, where the files the student
     * writes live in their finished form (no copy that could drift from the engine). Every
     * exercise of a chapter is in one package, so one directory holds them all.
     */
    public Path solutions() {
        List<Path> dirs = exercises().stream().map(e -> repository.resolve(e.source()).getParent()).distinct().toList();
        if (dirs.size() != 1) {
            throw new IllegalStateException("chapter " + number + "'s exercises are in " + dirs + "; keep them in one package");
        }
        return dirs.get(0);
    }

    /** Where the student's work lives by default: {@code lab/NN}. */
    public Path studentDir() {
        return repository.resolve("lab").resolve(String.format("%02d", number));
    }

    private static Stream<Path> list(Path dir) {
        try {
            return Files.list(dir).sorted();
        } catch (IOException e) {
            throw new JboxException("cannot list " + dir + ": " + e.getMessage());
        }
    }

    private static String numbers(List<ChapterLab> labs) {
        return labs.isEmpty() ? "none" : String.join(", ", labs.stream().map(l -> String.valueOf(l.number())).toList());
    }
}

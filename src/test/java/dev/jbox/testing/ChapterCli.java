package dev.jbox.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The launcher as a chapter's tests call it: {@code run} gets {@code --chapter N} (the chapter
 * under test) and the test class's own run flags (e.g. {@code --network none}); every other
 * command goes as it is. Also what the chapter-4 tests check afterwards: the mounts left on the
 * host below their directories, and the entries of the store's directories.
 */
public final class ChapterCli {
    private final Path store;
    private final List<String> runFlags;
    private int chapter;

    public ChapterCli(Path store, String... runFlags) {
        this.store = store;
        this.runFlags = List.of(runFlags);
    }

    /** The chapter the next commands run with (a {@link ChapterTest} sets it first). */
    public void chapter(int chapter) {
        this.chapter = chapter;
    }

    public Cli.Result ok(String... args) {
        return Cli.ok(store, withChapter(args));
    }

    public Cli.Result jbox(String... args) {
        return Cli.jbox(store, withChapter(args));
    }

    private String[] withChapter(String... args) {
        if (!args[0].equals("run") || List.of(args).contains("--chapter")) {
            return args; // a run that names its own chapter (a check of what an earlier one refuses) keeps it
        }
        List<String> all = new ArrayList<>(List.of("run", "--chapter", Integer.toString(chapter)));
        all.addAll(runFlags);
        all.addAll(List.of(args).subList(1, args.length));
        return all.toArray(String[]::new);
    }

    /** The host's mounts below any of {@code dirs} (there should be none once a command has returned). */
    public static List<String> hostMounts(Path... dirs) {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .filter(l -> Stream.of(dirs).anyMatch(d -> l.contains(d.toString()))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names in the store's directory {@code dir} ("volumes", "containers"), sorted, its lock file aside. */
    public List<String> entries(String dir) {
        Path d = store.resolve(dir);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".lock") && !n.equals(".locks")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

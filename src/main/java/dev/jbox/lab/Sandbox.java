package dev.jbox.lab;

import dev.jbox.JboxException;
import dev.jbox.DataRoot;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.KernelException;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.engine.Engine;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one check runs: a temporary directory holding the engine's store ({@code JBOX_ROOT}) and
 * {@code TMPDIR}, so the check's containers and files never mix with the user's. A check ends
 * with its own cleanup commands; {@link #cleanUp()} removes whatever it still left behind (a
 * container, a mount, a file), even after a failed or timed-out check, and says what that was.
 */
final class Sandbox {
    private static final int SIGKILL = 9;
    private static final Pattern OCTAL_ESCAPE = Pattern.compile("\\\\([0-7]{3})");

    private final Path dir;

    private Sandbox(Path dir) {
        this.dir = dir;
    }

    static Sandbox create() {
        try {
            Path dir = Files.createTempDirectory("jbox-lab-").toRealPath();
            Files.createDirectories(dir.resolve("store"));
            Files.createDirectories(dir.resolve("tmp"));
            return new Sandbox(dir);
        } catch (IOException e) {
            throw new JboxException("cannot create a temporary directory for the checks: " + e.getMessage()
                    + "; check that " + System.getProperty("java.io.tmpdir") + " is writable");
        }
    }

    Map<String, String> env() {
        return Map.of("JBOX_ROOT", store().toString(), "TMPDIR", tmp().toString());
    }

    /** A directory of the sandbox that is not the check's {@code TMPDIR}: what is left there is no leftover. */
    Path scratch(String name) {
        try {
            return Files.createDirectories(dir.resolve(name));
        } catch (IOException e) {
            throw new JboxException("cannot create " + dir.resolve(name) + ": " + e.getMessage());
        }
    }

    private Path store() {
        return dir.resolve("store");
    }

    private Path tmp() {
        return dir.resolve("tmp");
    }

    /** Removes the sandbox and all it holds; returns one line per thing the check should have removed itself. */
    List<String> cleanUp() {
        List<String> leftovers = new ArrayList<>();
        removeContainers(leftovers);
        unmountAll(leftovers);
        try (var files = Files.list(tmp())) {
            files.forEach(f -> leftovers.add("left the temporary file " + f.getFileName() + " (removed)"));
        } catch (IOException e) {
            // nothing listable, nothing left
        }
        deleteTree(leftovers);
        return leftovers;
    }

    private void removeContainers(List<String> leftovers) {
        Engine engine = new Engine(new DataRoot(store()));
        for (ContainerRecord c : engine.list()) {
            boolean running = engine.state(c).running();
            engine.remove(c, true);
            leftovers.add("left the container " + c.name() + (running ? " running (killed and removed)" : " (removed)"));
        }
    }

    /** Whatever is still mounted in the sandbox (a check's bind mount, say), deepest first. */
    private void unmountAll(List<String> leftovers) {
        List<String> mounted = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String point = unescape(line.split(" ")[4]);
                if (point.startsWith(dir + "/")) {
                    mounted.add(point);
                }
            }
        } catch (IOException e) {
            leftovers.add("cannot read /proc/self/mountinfo to look for mounts left in " + dir + ": " + e.getMessage());
            return;
        }
        mounted.sort(Comparator.comparingInt(String::length).reversed());
        for (String point : mounted) {
            try {
                Kernel.umount(point, Kernel.MNT_DETACH);
                leftovers.add("left a mount on " + dir.relativize(Path.of(point)) + " (unmounted)");
            } catch (KernelException e) {
                leftovers.add("left a mount on " + point + " that cannot be unmounted: " + e.getMessage());
            }
        }
    }

    /** mountinfo writes space, tab, newline and backslash in paths as octal escapes. */
    static String unescape(String field) {
        Matcher m = OCTAL_ESCAPE.matcher(field);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 8))));
        }
        return m.appendTail(out).toString();
    }

    /** Deletes the sandbox without crossing into another file system, should a mount have survived. */
    private void deleteTree(List<String> leftovers) {
        try {
            Object device = Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (!device.equals(Files.getAttribute(d, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
                        leftovers.add("kept " + d + ": another file system is mounted there; unmount it and remove it");
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    Files.delete(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    try {
                        Files.delete(d);
                    } catch (java.nio.file.DirectoryNotEmptyException kept) {
                        // holds a directory kept above
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            leftovers.add("cannot remove " + dir + ": " + e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

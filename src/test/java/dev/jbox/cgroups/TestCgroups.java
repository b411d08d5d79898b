package dev.jbox.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A parent cgroup of the tests' own, {@code jbox-test-cg-<random>}, in every hierarchy, and its
 * removal afterwards - by brute force, independent of the code under test, so a failing test
 * leaves nothing behind: every process in it is killed, every directory removed deepest first.
 */
final class TestCgroups {
    final String parent = "jbox-test-cg-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Path> roots;

    TestCgroups(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** The machine's hierarchies, as the engine would use them. */
    static TestCgroups onMachine() {
        return new TestCgroups(CgroupMounts.ofMachine().roots());
    }

    /** The parent in every hierarchy. */
    List<Path> parentDirectories() {
        return roots.stream().map(r -> r.resolve(parent)).toList();
    }

    /**
     * Gives the parent the most CPU weight there is (v1 cpu.shares 262144, v2 cpu.weight 10000),
     * so on a machine loaded by other work a CPU test gets the CPU time it asks for, and what it
     * measures is its own limit rather than the neighbours. Call after the parent exists.
     */
    void favourParent() {
        for (Path dir : parentDirectories()) {
            try {
                if (Files.exists(dir.resolve("cpu.shares"))) {
                    Files.writeString(dir.resolve("cpu.shares"), "262144");
                }
                if (Files.exists(dir.resolve("cpu.weight"))) {
                    Files.writeString(dir.resolve("cpu.weight"), "10000");
                }
            } catch (IOException e) {
                throw new AssertionError("cannot raise the CPU weight of " + dir, e);
            }
        }
    }

    /** Whether any directory of the parent is left. */
    boolean anyLeft() {
        return parentDirectories().stream().anyMatch(Files::exists);
    }

    void removeAll() {
        List<Path> dirs = new ArrayList<>();
        for (Path top : parentDirectories()) {
            if (Files.isDirectory(top)) {
                try (Stream<Path> walk = Files.walk(top)) {
                    walk.filter(Files::isDirectory).forEach(dirs::add);
                } catch (IOException e) {
                    throw new AssertionError("cannot list " + top, e);
                }
            }
        }
        dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path dir : dirs) {
            thaw(dir);
        }
        for (int attempt = 0; attempt < 200 && dirs.stream().anyMatch(Files::exists); attempt++) {
            for (Path dir : dirs) {
                for (int pid : CgroupDirs.pids(List.of(dir))) {
                    dev.jbox.kernel.Kernel.kill(pid, 9);
                }
                try {
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    // processes still dying: next round
                }
            }
            sleep();
        }
        if (anyLeft()) {
            throw new AssertionError("test cgroups left behind: " + parentDirectories());
        }
    }

    private static void thaw(Path dir) {
        try {
            if (Files.exists(dir.resolve("freezer.state"))) {
                Files.writeString(dir.resolve("freezer.state"), "THAWED");
            }
            if (Files.exists(dir.resolve("cgroup.freeze"))) {
                Files.writeString(dir.resolve("cgroup.freeze"), "0");
            }
        } catch (IOException e) {
            // the root of a hierarchy has no freezer files
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(25);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.jbox.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a cgroup test makes - held processes, scratch files under /var/tmp, its parent cgroup -
 * and the clean-up of all of it, called from @AfterEach so a failing test leaves nothing.
 */
final class TestBench implements AutoCloseable {
    final TestCgroups cgroups;
    private final List<HeldProcess> processes = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();

    TestBench(TestCgroups cgroups) {
        this.cgroups = cgroups;
    }

    /** A script held at its "go" line. */
    HeldProcess held(String script) {
        HeldProcess p = new HeldProcess(script);
        processes.add(p);
        return p;
    }

    /** A script moved into {@code cgroup}, then let go. */
    HeldProcess runIn(CgroupManager cgroup, String script) {
        HeldProcess p = held(script);
        cgroup.apply(p.pid());
        return p.go();
    }

    /** An empty directory whose entries {@code names} are removed with it. */
    Path directory(String... names) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "jbox-test-cg-");
        for (String n : names) {
            files.add(dir.resolve(n));
        }
        files.add(dir);
        return dir;
    }

    /** An empty file on /var/tmp's disk. */
    Path file() throws IOException {
        Path f = Files.createTempFile(Path.of("/var/tmp"), "jbox-test-cg-", ".data");
        files.add(f);
        return f;
    }

    @Override
    public void close() throws IOException {
        processes.forEach(HeldProcess::close);
        cgroups.removeAll();
        for (Path f : files) {
            Files.deleteIfExists(f);
        }
    }
}

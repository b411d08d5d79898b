package dev.jbox.lab;

import java.nio.file.Path;
import java.util.List;

/**
 * One graded exercise: a method of the engine the student writes (or a few that belong together), in
 * {@code source} (a file of the engine, relative to the repository), whose skeleton is {@code lab/NN/}
 * plus its file name. Two exercises may share a file: the student writes one file, graded twice.
 */
public record Exercise(int chapter, int number, String title, String source) {
    static final List<Exercise> ALL = List.of(
            new Exercise(1, 1, "Jail.enter: unshare CLONE_FS, chroot, chdir", "src/main/java/dev/jbox/chroot/Jail.java"),
            new Exercise(2, 1, "UnshareFlags.of: the namespaces to unshare", "src/main/java/dev/jbox/namespaces/UnshareFlags.java"),
            new Exercise(2, 2, "PivotRoot.into: pivot_root and detach the host", "src/main/java/dev/jbox/namespaces/PivotRoot.java"),
            new Exercise(3, 1, "V1Limits.files: Docker's limits as cgroup v1 files", "src/main/java/dev/jbox/cgroups/V1Limits.java"),
            new Exercise(3, 2, "V2Limits.files: Docker's limits as cgroup v2 files", "src/main/java/dev/jbox/cgroups/V2Limits.java"),
            // Both directions of one translation, in one file: each exercise's check calls only its own methods.
            new Exercise(4, 1, "Whiteouts.parse, makeWhiteout, makeOpaque: OCI to overlay", "src/main/java/dev/jbox/layers/Whiteouts.java"),
            new Exercise(4, 2, "Whiteouts.toOci, isWhiteout, isOpaque: overlay to OCI", "src/main/java/dev/jbox/layers/Whiteouts.java"),
            new Exercise(5, 1, "BlobIngest.append, commit: verify an upload before it is a blob", "src/main/java/dev/jbox/registry/BlobIngest.java"));

    public static List<Exercise> of(int chapter) {
        return ALL.stream().filter(e -> e.chapter == chapter).toList();
    }

    /** The file the student edits, e.g. {@code Jail.java}. */
    public String fileName() {
        return Path.of(source).getFileName().toString();
    }

    /** e.g. {@code dev.jbox.chroot.Jail}. */
    public String className() {
        return source.substring("src/main/java/".length(), source.length() - ".java".length()).replace('/', '.');
    }
}

package dev.jbox.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What one test could leave running, taken before and after it ({@link EachTestCleansUp}): every
 * process and its namespaces, this JVM's threads, the mounts this JVM sees, the network links.
 * {@link #leftBehindIn} keeps only what is the test's own: its child processes, processes whose
 * root or mount table lies in one of its directories (a container of its store), this JVM's
 * threads, mounts in its directories, and veths with the suite's network prefix.
 */
public record Leftovers(List<ProcessInfo> processes, List<ProcessInfo> jvmThreads, Set<String> namespaces,
        Set<String> mounts, Set<String> links) {
    public static Leftovers take() {
        List<ProcessInfo> threads = ProcessInfo.allThreads();
        Set<String> namespaces = MachineSnapshot.namespaces(threads);
        return new Leftovers(ProcessInfo.all(), threads.stream().filter(t -> t.dir().startsWith("/proc/"
                + ProcessHandle.current().pid() + "/")).toList(), namespaces, mountsNow(), linksNow());
    }

    /** What {@code after} holds that is the test's and was not here before; empty if it cleaned up. */
    public List<String> leftBehindIn(Leftovers after, List<Path> testDirs) {
        List<String> left = new ArrayList<>();
        Set<String> known = processes.stream().map(ProcessInfo::key).collect(Collectors.toSet());
        Set<Long> children = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
        for (ProcessInfo p : after.processes) {
            if (known.contains(p.key())) {
                continue;
            }
            Set<String> made = newNamespaces(p);
            boolean child = children.contains(p.id());
            // A container (namespaces of its own, or another root) the test started, or one of its store's:
            // a helper process in the host's namespaces (a test's held process) is the test's @AfterEach's business.
            if ((!made.isEmpty() || !p.root().equals("/")) && (child || p.mentionsAny(testDirs))) {
                left.add("process " + p.id() + " (" + p.comm() + ")" + (p.root().equals("/") ? "" : " root " + p.root())
                        + (made.isEmpty() ? "" : " in namespaces the test made: " + made)
                        + (child ? ", a child of the test JVM" : ""));
            }
        }
        for (ProcessInfo t : after.jvmThreads) {
            Set<String> made = newNamespaces(t);
            if (!made.isEmpty()) {
                left.add("thread " + t.id() + " (" + t.comm() + ") of the test JVM in namespaces the test made: " + made);
            }
        }
        for (String m : after.mounts) {
            if (!mounts.contains(m) && testDirs.stream().anyMatch(d -> m.startsWith(d + "/") || m.startsWith(d + " "))) {
                left.add("mount " + m);
            }
        }
        for (String link : after.links) {
            if (!links.contains(link) && link.startsWith(Cli.NETWORK_PREFIX + "-")) {
                left.add("veth " + link);
            }
        }
        return left;
    }

    private Set<String> newNamespaces(ProcessInfo p) {
        Set<String> made = new TreeSet<>(p.namespaces().values());
        made.removeAll(namespaces);
        return made;
    }

    /** "MOUNTPOINT (ID)" of every mount this JVM sees. */
    private static Set<String> mountsNow() {
        Set<String> mounts = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                mounts.add(f[4] + " (" + f[0] + ")");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/mountinfo", e);
        }
        return mounts;
    }

    private static Set<String> linksNow() {
        try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /sys/class/net", e);
        }
    }
}

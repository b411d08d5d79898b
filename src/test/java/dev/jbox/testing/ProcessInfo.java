package dev.jbox.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A process (or one thread of it) as /proc shows it: its name, its root, and the namespaces it is
 * in. The root alone cannot find a chapter-2 container: {@code readlink /proc/PID/root} of a
 * process that pivot_rooted in a mount namespace of its own reads "/". Its namespaces can.
 *
 * @param id        pid, or tid for a thread
 * @param started   when it started (clock ticks since boot): with the id, names it even if the id is reused
 * @param namespaces "mnt" to "mnt:[4026531841]", and so on for every namespace it is in
 */
public record ProcessInfo(Path dir, long id, long started, String comm, String root, Map<String, String> namespaces) {
    /** Every process of the machine; kernel threads included, processes that end meanwhile left out. */
    public static List<ProcessInfo> all() {
        return read(Path.of("/proc"));
    }

    /** Every process of the machine and every thread of each: threads can be in namespaces of their own. */
    public static List<ProcessInfo> allThreads() {
        List<ProcessInfo> threads = new ArrayList<>();
        for (ProcessInfo p : all()) {
            threads.addAll(read(p.dir.resolve("task")));
        }
        return threads;
    }

    /** The mount namespace of this test JVM: the host's, as far as the tests are concerned. */
    public static final String HOST_MNT = namespaces(Path.of("/proc/self")).get("mnt");

    public boolean inAnotherMountNamespace() {
        return namespaces.containsKey("mnt") && !namespaces.get("mnt").equals(HOST_MNT);
    }

    /** pid@start: a process, even across pid reuse. */
    public String key() {
        return id + "@" + started;
    }

    /** Its mount table, as it sees it ({@code /proc/PID/mountinfo}); empty if it has ended. */
    public String mountTable() {
        try {
            return Files.readString(dir.resolve("mountinfo"));
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether its root, or its mount table, names any of these directories by their last component. */
    public boolean mentionsAny(Collection<Path> dirs) {
        String where = root + "\n" + (inAnotherMountNamespace() ? mountTable() : "");
        return dirs.stream().map(d -> "/" + d.getFileName()).anyMatch(name -> where.contains(name + "/")
                || where.contains(name + " ") || where.contains(name + "\n") || where.endsWith(name));
    }

    @Override
    public String toString() {
        return id + " " + comm + (root.equals("/") ? "" : " root=" + root) + " " + namespaces.values();
    }

    private static List<ProcessInfo> read(Path procDir) {
        List<ProcessInfo> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(procDir)) {
            for (Path d : s.toList()) {
                String name = d.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    // Fields after the name: state is field 3, starttime field 22.
                    String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long started = Long.parseLong(rest[19]);
                    String root = Files.readSymbolicLink(d.resolve("root")).toString();
                    found.add(new ProcessInfo(d, Long.parseLong(name), started, comm, root, namespaces(d)));
                } catch (IOException | RuntimeException e) {
                    // ended meanwhile, or a kernel thread without a root
                }
            }
        } catch (IOException e) {
            // the process whose threads we list ended
        }
        return found;
    }

    private static Map<String, String> namespaces(Path dir) {
        Map<String, String> ns = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir.resolve("ns"))) {
            for (Path n : s.toList()) {
                ns.put(n.getFileName().toString(), Files.readSymbolicLink(n).toString());
            }
        } catch (IOException e) {
            // ended meanwhile
        }
        return ns;
    }
}

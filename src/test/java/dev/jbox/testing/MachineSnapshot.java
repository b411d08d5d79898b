package dev.jbox.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What the machine holds that jbox could leak: mounts, namespaces held by processes, processes in
 * another mount namespace or root, this JVM's child processes and engine threads, network
 * namespaces and links, cgroups, iptables rules, ip_forward and temporary files. Two snapshots,
 * before and after the suite, must be equal. {@link EachTestCleansUp} checks each test on its own.
 */
public record MachineSnapshot(Map<String, Set<String>> things) {
    public static MachineSnapshot take() {
        Map<String, Set<String>> t = new TreeMap<>();
        t.put("mounts", mounts());
        List<ProcessInfo> processes = ProcessInfo.all();
        t.put("processes in another root", processesInOtherRoots(processes));
        // A pivoted container process reads "/" as its root: its mount namespace gives it away.
        t.put("processes in another mount namespace", processesInOtherMountNamespaces(processes));
        t.put("namespaces held by processes", namespaces(ProcessInfo.allThreads()));
        t.put("child processes of the test JVM", children());
        t.put("engine threads", engineThreads());
        t.put("network namespaces", list(Path.of("/run/netns")));
        t.put("network links", links());
        t.put("cgroups named jbox", cgroups());
        t.put("iptables rules naming jbox", iptables());
        t.put("temporary files named jbox", tempFiles());
        t.put("network settings jbox may change", sysctls());
        return new MachineSnapshot(t);
    }

    /** What {@code after} holds that this snapshot did not, by kind; empty when nothing leaked. */
    public Map<String, Set<String>> leaksIn(MachineSnapshot after) {
        Map<String, Set<String>> leaks = new TreeMap<>();
        after.things.forEach((kind, now) -> {
            Set<String> extra = new TreeSet<>(now);
            extra.removeAll(things.getOrDefault(kind, Set.of()));
            if (!extra.isEmpty()) {
                leaks.put(kind, extra);
            }
        });
        return leaks;
    }

    private static Set<String> mounts() {
        Set<String> mounts = new TreeSet<>();
        for (String line : lines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            mounts.add(f[4] + " (" + (dash > 0 ? f[dash + 1] : "?") + ")");
        }
        return mounts;
    }

    private static Set<String> processesInOtherRoots(List<ProcessInfo> processes) {
        Set<String> procs = new TreeSet<>();
        processes.stream().filter(p -> !p.root().equals("/")).forEach(p -> procs.add(p.id() + " " + p.comm() + " root=" + p.root()));
        return procs;
    }

    private static Set<String> processesInOtherMountNamespaces(List<ProcessInfo> processes) {
        Set<String> procs = new TreeSet<>();
        processes.stream().filter(ProcessInfo::inAnotherMountNamespace)
                .forEach(p -> procs.add(p.id() + " " + p.comm() + " " + p.namespaces().get("mnt")));
        return procs;
    }

    /** Every namespace some process or thread is in, e.g. "net:[4026532281]". */
    static Set<String> namespaces(List<ProcessInfo> threads) {
        Set<String> ns = new TreeSet<>();
        threads.forEach(t -> ns.addAll(t.namespaces().values()));
        return ns;
    }

    private static Set<String> children() {
        Set<String> kids = new TreeSet<>();
        ProcessHandle.current().descendants()
                .forEach(h -> kids.add(h.pid() + " " + h.info().command().orElse("?")));
        return kids;
    }

    private static Set<String> engineThreads() {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("jbox-")) {
                names.add(t.getName());
            }
        }
        return names;
    }

    private static Set<String> links() {
        return list(Path.of("/sys/class/net"));
    }

    private static Set<String> cgroups() {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(Path.of("/sys/fs/cgroup"), 4)) {
            walk.filter(Files::isDirectory)
                    .filter(d -> d.getFileName() != null && d.getFileName().toString().contains("jbox"))
                    .forEach(d -> found.add(d.toString()));
        } catch (IOException | RuntimeException e) {
            // no cgroup file system here
        }
        return found;
    }

    private static Set<String> iptables() {
        Set<String> rules = new TreeSet<>();
        for (String tool : List.of("iptables-save", "ip6tables-save")) {
            for (String line : command(tool)) {
                if (line.toLowerCase().contains("jbox")) {
                    rules.add(tool + ": " + line);
                }
            }
        }
        return rules;
    }

    /** jbox turns ip_forward on for its networks and must put it back when the last one goes. */
    private static Set<String> sysctls() {
        Set<String> values = new TreeSet<>();
        for (String key : List.of("net/ipv4/ip_forward")) {
            try {
                values.add(key.replace('/', '.') + "=" + Files.readString(Path.of("/proc/sys", key)).strip());
            } catch (IOException e) {
                // no IPv4 here: nothing to change either
            }
        }
        return values;
    }

    private static Set<String> tempFiles() {
        Set<String> files = new TreeSet<>();
        for (Path dir : List.of(Path.of(System.getProperty("java.io.tmpdir")), Path.of("/tmp"), Path.of("/dev/shm"))) {
            for (Path p : listPaths(dir)) {
                if (p.getFileName().toString().startsWith("jbox")) {
                    files.add(p.toString());
                }
            }
        }
        return files;
    }

    private static List<String> command(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out.lines().toList() : List.of();
        } catch (IOException e) {
            return List.of(); // the tool is not installed: nothing of ours can be in it either
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static Set<String> list(Path dir) {
        Set<String> names = new TreeSet<>();
        listPaths(dir).forEach(p -> names.add(p.getFileName().toString()));
        return names;
    }

    private static List<Path> listPaths(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            return new ArrayList<>();
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}

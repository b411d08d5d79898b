package dev.jbox.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Facts about host processes read from /proc, where a pid is made unambiguous by its start
 * time. The CLI never reads /proc itself: it asks the engine, which asks here.
 */
public final class ProcessTable {
    private ProcessTable() {
    }

    // tag::start-time[]
    /** Field 22 of /proc/PID/stat (clock ticks since boot), or -1 if there is no such process. */
    public static long startTime(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) is in parentheses and may itself hold spaces or ')'.
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(after[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Whether the process {@code pid} that started at {@code startTime} still runs (a zombie does not). */
    public static boolean alive(int pid, long startTime) {
        if (pid <= 0 || startTime < 0 || startTime(pid) != startTime) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
    // end::start-time[]

    /** Each namespace of {@code pid} as the kernel names it, e.g. "pid:[4026532301]": equal names mean the same namespace. */
    public static Map<String, String> namespaces(int pid) {
        Map<String, String> ns = new LinkedHashMap<>();
        for (String n : List.of("mnt", "pid", "uts", "ipc", "net", "cgroup", "user")) {
            try {
                ns.put(n, Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + n)).toString());
            } catch (IOException e) {
                // the process ended meanwhile
            }
        }
        return ns;
    }

    /** One mount of a process's mount namespace, from /proc/PID/mountinfo. */
    public record Mount(String destination, String type, String source, String options) {
    }

    /** The mounts {@code pid} sees (its mount namespace), empty if it has ended. */
    public static List<Mount> mounts(int pid) {
        List<Mount> mounts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/mountinfo"))) {
                String[] f = line.split(" ");
                int dash = List.of(f).indexOf("-");
                mounts.add(new Mount(f[4], f[dash + 1], f[dash + 2], f[5]));
            }
        } catch (IOException e) {
            // ended meanwhile
        }
        return mounts;
    }

    /** Bytes received and sent on every interface but lo of {@code pid}'s network namespace ({0, 0} if it ended). */
    public static long[] networkBytes(int pid) {
        long rx = 0, tx = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/net/dev"))) {
                int colon = line.indexOf(':');
                if (colon < 0 || line.substring(0, colon).strip().equals("lo")) {
                    continue;
                }
                String[] f = line.substring(colon + 1).trim().split("\\s+");
                rx += Long.parseLong(f[0]);
                tx += Long.parseLong(f[8]);
            }
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
        return new long[] {rx, tx};
    }

    /** The parent pid and command line of {@code pid}, for {@code jbox top}; null if it ended. */
    public static String[] parentAndCommand(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String ppid = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1];
            String cmd = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ').strip();
            return new String[] {ppid, cmd.isEmpty() ? "[" + stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')) + "]" : cmd};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

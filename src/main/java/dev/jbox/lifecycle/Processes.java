package dev.jbox.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about host processes read from /proc, where a pid is made unambiguous by its start time. */
public final class Processes {
    private Processes() {
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
}

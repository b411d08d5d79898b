package dev.jbox.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What jbox-init's shim wrote about a container: "pid N" when pid 1 exists, then "exit N" or
 * "signal N" when it ended. Read by whichever jbox process asks, long after the one that started it.
 *
 * @param pid      pid 1 as the host sees it, or 0 if not reported yet
 * @param ended    whether the container's pid 1 has ended
 * @param exitCode its exit code, or 128+N for signal N, when ended
 */
public record ShimStatus(int pid, boolean ended, int exitCode) {
    public static ShimStatus read(Path file) {
        int pid = 0;
        boolean ended = false;
        int code = 0;
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.split(" ");
                if (f.length != 2) {
                    continue; // a line being written
                }
                switch (f[0]) {
                    case "pid" -> pid = Integer.parseInt(f[1]);
                    case "exit" -> { ended = true; code = Integer.parseInt(f[1]); }
                    case "signal" -> { ended = true; code = 128 + Integer.parseInt(f[1]); }
                    default -> { }
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not there yet, or half written: nothing reported
        }
        return new ShimStatus(pid, ended, code);
    }
}

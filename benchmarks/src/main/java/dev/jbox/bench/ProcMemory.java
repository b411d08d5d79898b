package dev.jbox.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A process's memory as /proc/PID/smaps_rollup sums it over all its mappings, in KiB.
 * RSS counts every resident page the process maps, shared or not; PSS divides each shared
 * page by the number of processes mapping it, so the PSS of a group of processes adds up to
 * the memory they really take; USS (private clean + dirty) is what would be freed if it exited.
 */
public record ProcMemory(long rssKiB, long pssKiB, long ussKiB) {
    /** The process's memory now; fails if it has gone. */
    public static ProcMemory of(long pid) {
        Path file = Path.of("/proc", Long.toString(pid), "smaps_rollup");
        Map<String, Long> kib = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] words = line.split("\\s+");
                if (words.length == 3 && words[0].endsWith(":") && words[2].equals("kB")) {
                    kib.put(words[0].substring(0, words[0].length() - 1), Long.parseLong(words[1]));
                }
            }
        } catch (IOException e) {
            throw new BenchException("cannot read " + file + " (" + e.getMessage() + "): the process has gone,"
                    + " or the kernel is older than 4.14");
        }
        if (!kib.containsKey("Rss") || !kib.containsKey("Pss")) {
            throw new BenchException(file + " has no Rss or Pss line; the kernel's format is not the one this reads");
        }
        return new ProcMemory(kib.get("Rss"), kib.get("Pss"),
                kib.getOrDefault("Private_Clean", 0L) + kib.getOrDefault("Private_Dirty", 0L));
    }
}

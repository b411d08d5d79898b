package dev.jbox.vm;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** Runs QEMU once and times the markers the guest prints (see {@link Guest}). */
public final class Boot {
    private static final int TAIL_LINES = 12;

    private Boot() {
    }

    /**
     * Boots and waits for QEMU to exit, killing it after {@code deadline}. Lines the guest
     * prints between its markers (a command's output) go to {@code commandOutput}.
     */
    public static BootResult run(List<String> qemu, Duration deadline, Consumer<String> commandOutput) {
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(qemu).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new VmException("cannot start " + qemu.get(0) + ": " + e.getMessage());
        }
        // A JVM stopped from outside (a test run's timeout, Ctrl-C) takes its guest with it.
        Thread reaper = new Thread(process::destroyForcibly, "qemu-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        AtomicBoolean killed = new AtomicBoolean();
        Thread watchdog = new Thread(() -> {
            try {
                if (!process.waitFor(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    killed.set(true);
                    process.destroyForcibly();
                }
            } catch (InterruptedException ignored) {
                // the boot ended first
            }
        }, "qemu-deadline");
        watchdog.setDaemon(true);
        watchdog.start();

        long up = -1;
        long commandEnd = -1;
        Integer commandExit = null;
        double rss = 0;
        Double pss = null;
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader console = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = console.readLine()) != null; ) {
                long now = System.nanoTime();
                line = line.replace("\r", "");
                if (up < 0 && line.contains(Guest.UP)) {
                    up = now;
                    rss = Math.max(rss, peakRssMiB(process.pid()));
                    pss = pssMiB(process.pid());
                } else if (up >= 0 && commandExit == null && line.startsWith(Guest.EXITED)) {
                    commandEnd = now;
                    commandExit = Integer.parseInt(line.substring(Guest.EXITED.length()).strip());
                    rss = Math.max(rss, peakRssMiB(process.pid()));
                } else if (up >= 0 && commandExit == null) {
                    commandOutput.accept(line);
                }
                tail.addLast(line);
                if (tail.size() > TAIL_LINES) {
                    tail.removeFirst();
                }
            }
            int code = process.waitFor();
            long end = System.nanoTime();
            watchdog.interrupt();
            if (up < 0) {
                String why = killed.get() ? "did not say it was up within " + deadline.toSeconds() + " s"
                        : "stopped (QEMU exit code " + code + ") before it said it was up";
                throw new VmException("the guest " + why + "; the console ended with: " + String.join(" | ", tail));
            }
            return new BootResult(millis(up - start), millis(end - start),
                    commandEnd < 0 ? null : millis(commandEnd - up), commandExit, rss, pss);
        } catch (IOException e) {
            throw new VmException("lost QEMU's console: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmException("interrupted while the guest was booting");
        } finally {
            // Whatever went wrong here (a failing consumer included), no guest outlives its boot.
            process.destroyForcibly();
            watchdog.interrupt();
            removeHook(reaper);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is exiting, and the hook is running or has run
        }
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** PSS of {@code pid} in MiB (shared pages divided among their users), or null if it is already gone. */
    private static Double pssMiB(long pid) {
        return kibLine(pid, "smaps_rollup", "Pss:").map(kib -> kib / 1024.0).orElse(null);
    }

    /** VmHWM of {@code pid} in MiB, or 0 if it is already gone. */
    private static double peakRssMiB(long pid) {
        return kibLine(pid, "status", "VmHWM:").map(kib -> kib / 1024.0).orElse(0.0);
    }

    /** The number on the line of /proc/PID/FILE that starts with {@code key} (a figure in kB). */
    private static Optional<Long> kibLine(long pid, String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), file))) {
                if (line.startsWith(key)) {
                    return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // QEMU may be exiting already; the reading is then missing, not wrong
        }
        return Optional.empty();
    }
}

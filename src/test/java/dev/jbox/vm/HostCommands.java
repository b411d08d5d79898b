package dev.jbox.vm;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The few host programs the guest machinery runs (apt-get, dpkg-deb, qemu), and what they print. */
final class HostCommands {
    private HostCommands() {
    }

    /**
     * Runs {@code command} in {@code dir} ({@code null}: here) and returns what it printed, both
     * streams in one (these tools print little, and on failure the error is what matters).
     */
    static String output(Path dir, List<String> command) {
        String line = String.join(" ", command);
        try {
            Process p = new ProcessBuilder(command).directory(dir == null ? null : dir.toFile())
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int code = p.waitFor();
            if (code != 0) {
                throw new VmException("'" + line + "' exited with " + code + ": " + out.strip().replace('\n', ' '));
            }
            return out;
        } catch (IOException e) {
            throw new VmException("cannot run '" + line + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmException("interrupted while running '" + line + "'");
        }
    }

    /** Whether {@code program} is an executable in a directory of PATH. */
    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}

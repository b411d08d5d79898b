package dev.jbox.network;

import dev.jbox.JboxException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Iptables} as the programs {@code iptables-save} and {@code iptables-restore --noflush}:
 * one process to read every table, one to apply a batch of changes atomically, instead of one
 * {@code iptables} process (3-5 ms each) per rule and check.
 * Rules could be written over netlink too (nf_tables), but iptables' text is what readers know
 * and what Docker, podman and ufw show, so {@code iptables -S} explains what jbox did.
 */
final class IptablesProgram implements Iptables {
    private final List<String> prefix;

    private IptablesProgram(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
    }

    /** iptables acting on {@code netns}: directly if the engine runs there, through {@code nsenter} otherwise. */
    static IptablesProgram in(Netns netns) {
        return new IptablesProgram(netns.isCurrent() ? List.of() : List.of("nsenter", "--net=" + netns.path()));
    }

    @Override
    public List<String> save() {
        return run(List.of("iptables-save"), null).lines().toList();
    }

    @Override
    public void restore(String script) {
        run(List.of("iptables-restore", "--noflush", "-w"), script);
    }

    private String run(List<String> program, String input) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(program);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream stdin = p.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = p.waitFor();
            if (exit != 0) {
                String first = output.lines().filter(l -> !l.isBlank()).findFirst().orElse("exit code " + exit);
                throw new JboxException(String.join(" ", program) + " failed: " + first
                        + (input == null ? "" : " (applying: " + input.replace('\n', ' ').trim() + ")"));
            }
            return output;
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("error=2")) {
                throw new JboxException(command.get(0) + " is not installed; install it (apt-get install iptables"
                        + (prefix.isEmpty() ? "" : " util-linux") + ")");
            }
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JboxException("interrupted while running " + String.join(" ", command));
        }
    }
}

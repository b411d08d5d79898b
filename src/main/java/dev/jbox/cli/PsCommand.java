package dev.jbox.cli;

import dev.jbox.engine.Engine;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.lifecycle.ContainerState;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ps", description = "List containers (running ones unless -a).")
final class PsCommand extends ContainerCommand implements Callable<Integer> {
    @Option(names = {"-a", "--all"}, description = "Show all containers, not only running ones.")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only print ids.")
    boolean quiet;

    @Override
    public Integer call() {
        Engine engine = engine();
        String format = "%-14s%-12s%-24s%-18s%-30s%s%n";
        if (!quiet) {
            System.out.printf(format, "CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "NAMES");
        }
        for (ContainerRecord c : engine.list()) {
            ContainerState s = engine.state(c);
            if (!all && !s.running()) {
                continue;
            }
            if (quiet) {
                System.out.println(c.shortId());
                continue;
            }
            System.out.printf(format, c.shortId(), truncate(c.image(), 10), truncate('"' + String.join(" ", c.command()) + '"', 22),
                    ago(Instant.parse(c.created())), status(s), c.name());
        }
        return 0;
    }

    /** Docker's wording: "Up 5 seconds", "Exited (0) 3 minutes ago". */
    static String status(ContainerState s) {
        return switch (s.status()) {
            case RUNNING -> "Up";
            case EXITED -> "Exited (" + s.exitCode() + ")" + (s.finishedAt() == null ? "" : " " + ago(s.finishedAt()));
            case CREATED -> "Created";
            case DEAD -> "Dead";
        };
    }

    static String ago(Instant when) {
        long s = Math.max(0, Duration.between(when, Instant.now()).toSeconds());
        if (s < 60) {
            return s + " second" + (s == 1 ? "" : "s") + " ago";
        }
        if (s < 3600) {
            return s / 60 + " minute" + (s / 60 == 1 ? "" : "s") + " ago";
        }
        if (s < 86400) {
            return s / 3600 + " hour" + (s / 3600 == 1 ? "" : "s") + " ago";
        }
        return s / 86400 + " day" + (s / 86400 == 1 ? "" : "s") + " ago";
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}

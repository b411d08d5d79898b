package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.engine.Engine;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "kill", description = "Send a signal (default SIGKILL) to a container's pid 1.")
final class KillCommand extends ContainerCommand implements Callable<Integer> {
    private static final Map<String, Integer> SIGNALS = Map.ofEntries(Map.entry("HUP", 1), Map.entry("INT", 2),
            Map.entry("QUIT", 3), Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("USR2", 12),
            Map.entry("TERM", 15), Map.entry("CONT", 18), Map.entry("STOP", 19), Map.entry("WINCH", 28));

    @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL", description = "Name (TERM, SIGTERM) or number (default KILL).")
    String signal = "KILL";

    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    List<String> names;

    @Override
    public Integer call() {
        int number = parse(signal);
        Engine engine = engine();
        for (String name : names) {
            engine.kill(engine.find(name), number);
            System.out.println(name);
        }
        return 0;
    }

    static int parse(String signal) {
        String s = signal.toUpperCase().replaceFirst("^SIG", "");
        if (s.chars().allMatch(Character::isDigit) && !s.isEmpty()) {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= 64) {
                return n;
            }
        }
        Integer n = SIGNALS.get(s);
        if (n == null) {
            throw new JboxException("unknown signal '" + signal + "'; use a name such as TERM or KILL, or a number 1-64");
        }
        return n;
    }
}

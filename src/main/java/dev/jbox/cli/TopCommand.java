package dev.jbox.cli;

import dev.jbox.engine.Engine;
import dev.jbox.lifecycle.ProcessTable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "top", description = "List a running container's processes, with host pids (chapter 3: its cgroup's).")
final class TopCommand extends ContainerCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CONTAINER")
    String container;

    @Override
    public Integer call() {
        Engine engine = engine();
        String format = "%-8s%-8s%s%n";
        System.out.printf(format, "PID", "PPID", "CMD");
        for (int pid : engine.processes(engine.find(container))) {
            String[] p = ProcessTable.parentAndCommand(pid);
            if (p != null) {
                System.out.printf(format, pid, p[0], p[1]);
            }
        }
        return 0;
    }
}

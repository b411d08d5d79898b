package dev.jbox.cli;

import dev.jbox.cgroups.Machine;
import dev.jbox.engine.Engine;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "update", description = "Change the cgroup limits of running containers (chapter 3).")
final class UpdateCommand extends ContainerCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    CgroupOptions cgroup;

    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    List<String> names;

    @Override
    public Integer call() {
        var changes = cgroup.flags().toUpdate(Machine.current());
        Engine engine = engine();
        for (String name : names) {
            engine.update(engine.find(name), changes);
            System.out.println(name);
        }
        return 0;
    }
}

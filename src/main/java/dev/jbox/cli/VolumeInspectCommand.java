package dev.jbox.cli;

import dev.jbox.Json;
import dev.jbox.volumes.VolumeStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "inspect", description = "Show volumes as JSON, with Docker's fields.")
final class VolumeInspectCommand implements Callable<Integer> {
    @ParentCommand
    VolumeCommand parent;

    @Parameters(paramLabel = "VOLUME", arity = "1..*")
    List<String> names;

    @Override
    public Integer call() {
        VolumeStore volumes = parent.volumes();
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : names) {
            VolumeStore.Volume v = volumes.find(name);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("CreatedAt", v.created().toInstant().toString());
            m.put("Driver", "local");
            m.put("Labels", v.anonymous() ? Map.of("com.docker.volume.anonymous", "") : null);
            m.put("Mountpoint", v.mountpoint().toString());
            m.put("Name", v.name());
            m.put("Options", null);
            m.put("Scope", "local");
            out.add(m);
        }
        System.out.println(Json.text(out));
        return 0;
    }
}

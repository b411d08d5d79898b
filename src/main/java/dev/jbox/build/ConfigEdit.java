package dev.jbox.build;

import dev.jbox.image.ConfigFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The run config of an image being built, changed field by field by the metadata instructions. */
final class ConfigEdit {
    String user, workingDir, stopSignal;
    List<String> env, entrypoint, cmd;
    Map<String, Object> exposedPorts, volumes;
    Map<String, String> labels;

    ConfigEdit(ConfigFile.Config c) {
        user = c.user();
        workingDir = c.workingDir();
        stopSignal = c.stopSignal();
        env = c.env() == null ? new ArrayList<>() : new ArrayList<>(c.env());
        entrypoint = c.entrypoint();
        cmd = c.cmd();
        exposedPorts = c.exposedPorts() == null ? new TreeMap<>() : new TreeMap<>(c.exposedPorts());
        volumes = c.volumes() == null ? new TreeMap<>() : new TreeMap<>(c.volumes());
        labels = c.labels() == null ? new TreeMap<>() : new TreeMap<>(c.labels());
    }

    /** Sets KEY=VALUE in Env, in the place the key had, as Docker does. */
    void setEnv(String key, String value) {
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).startsWith(key + "=")) {
                env.set(i, key + "=" + value);
                return;
            }
        }
        env.add(key + "=" + value);
    }

    ConfigFile.Config build() {
        return new ConfigFile.Config(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal);
    }
}

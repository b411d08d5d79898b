package dev.jbox.layers;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbox.JboxException;
import dev.jbox.image.ConfigFile;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jbox commit -c}: the Dockerfile instructions that change only the image config, as
 * Docker's commit takes them: CMD, ENTRYPOINT (JSON array or shell form), ENV KEY=VALUE and WORKDIR.
 */
final class ConfigChanges {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigChanges() {
    }

    static ConfigFile.Config apply(ConfigFile.Config c, String change) {
        ConfigFile.Config config = c != null ? c : new ConfigFile.Config(null, null, null, null, null, null, null, null, null);
        String line = change.strip();
        int space = line.indexOf(' ');
        String instruction = (space < 0 ? line : line.substring(0, space)).toUpperCase();
        String rest = space < 0 ? "" : line.substring(space + 1).strip();
        return switch (instruction) {
            case "CMD" -> new ConfigFile.Config(config.user(), config.exposedPorts(), config.env(), config.entrypoint(),
                    command(rest, change), config.volumes(), config.workingDir(), config.labels(), config.stopSignal());
            case "ENTRYPOINT" -> new ConfigFile.Config(config.user(), config.exposedPorts(), config.env(),
                    command(rest, change), config.cmd(), config.volumes(), config.workingDir(), config.labels(),
                    config.stopSignal());
            case "ENV" -> {
                if (!rest.contains("=") || rest.startsWith("=")) {
                    throw bad(change, "ENV takes KEY=VALUE");
                }
                List<String> env = new ArrayList<>(config.env() == null ? List.of() : config.env());
                String key = rest.substring(0, rest.indexOf('='));
                env.removeIf(e -> e.startsWith(key + "="));
                env.add(rest);
                yield new ConfigFile.Config(config.user(), config.exposedPorts(), env, config.entrypoint(), config.cmd(),
                        config.volumes(), config.workingDir(), config.labels(), config.stopSignal());
            }
            case "WORKDIR" -> {
                if (!rest.startsWith("/")) {
                    throw bad(change, "WORKDIR takes an absolute path");
                }
                yield new ConfigFile.Config(config.user(), config.exposedPorts(), config.env(), config.entrypoint(),
                        config.cmd(), config.volumes(), rest, config.labels(), config.stopSignal());
            }
            default -> throw bad(change, "jbox commit -c takes CMD, ENTRYPOINT, ENV or WORKDIR");
        };
    }

    /** The exec form (a JSON array) as it is; the shell form run by /bin/sh -c, as Docker does. */
    private static List<String> command(String rest, String change) {
        if (rest.startsWith("[")) {
            try {
                return JSON.readValue(rest, new TypeReference<List<String>>() { });
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw bad(change, "the JSON array is not valid: " + e.getOriginalMessage());
            }
        }
        if (rest.isEmpty()) {
            throw bad(change, "give a command");
        }
        return List.of("/bin/sh", "-c", rest);
    }

    private static JboxException bad(String change, String why) {
        return new JboxException("cannot apply -c '" + change + "': " + why + ", e.g. -c 'CMD [\"sh\"]'");
    }
}

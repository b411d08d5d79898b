package dev.jbox.cli;

import dev.jbox.registry.client.ClientConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of the commands that talk to a registry: pull, push, login, logout. */
final class RegistryClientOptions {
    @Option(names = "--config", paramLabel = "DIR",
            description = "Where the logins are (config.json; default: $DOCKER_CONFIG, else ~/.jbox).")
    Path configDir;

    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "Allow plain HTTP to this registry (repeatable; also $JBOX_INSECURE_REGISTRIES, comma-separated)."
                    + " Registries on this machine (localhost, 127.0.0.0/8, ::1) are allowed anyway.")
    List<String> insecure = new ArrayList<>();

    ClientConfig config() {
        return ClientConfig.of(configDir, insecure);
    }
}

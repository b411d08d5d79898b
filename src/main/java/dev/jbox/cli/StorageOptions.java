package dev.jbox.cli;

import dev.jbox.engine.RunRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Chapter 4's flags of {@code jbox run}: volumes, bind and tmpfs mounts, a read-only root and
 * the user, spelled as Docker spells them. They are passed on as given; the volumes feature
 * parses and checks them, so the engine's other callers get the same errors.
 */
final class StorageOptions {
    @Option(names = {"-v", "--volume"}, paramLabel = "[HOST-DIR|VOLUME:]CONTAINER-DIR[:ro]",
            description = "Bind-mount a host directory (an absolute path), mount a named volume, or an anonymous one.")
    List<String> volumes = new ArrayList<>();
    @Option(names = "--mount", paramLabel = "type=bind|volume|tmpfs,source=,target=[,readonly][,tmpfs-size=]",
            description = "A mount in Docker's long form.")
    List<String> mounts = new ArrayList<>();
    @Option(names = "--tmpfs", paramLabel = "CONTAINER-DIR[:OPTIONS]",
            description = "Mount an empty tmpfs (noexec,nosuid,nodev unless OPTIONS say exec, suid, dev).")
    List<String> tmpfs = new ArrayList<>();
    @Option(names = "--read-only", description = "Mount the root file system read-only (volumes and tmpfs mounts stay writable).")
    boolean readOnly;
    @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]",
            description = "Run as this user: names from the image's /etc/passwd and /etc/group, or numbers.")
    String user;

    RunRequest.Builder applyTo(RunRequest.Builder request) {
        return request.volumes(volumes).mounts(mounts).tmpfs(tmpfs).readOnly(readOnly).user(user);
    }
}

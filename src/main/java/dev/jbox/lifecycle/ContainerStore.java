package dev.jbox.lifecycle;

import dev.jbox.DataRoot;
import dev.jbox.FileTrees;
import dev.jbox.JboxException;
import dev.jbox.Json;
import dev.jbox.LockFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The containers the engine knows, one directory each under {@code containers/ID}: config.json
 * (a {@link ContainerRecord}), status (written by jbox-init's shim) and container.log (the output
 * of a detached container). There is no daemon: every jbox command reads these files afresh.
 * This class only keeps the files; what a container holds on the machine (a network endpoint, a
 * cgroup) is released by the engine's features before the directory goes.
 */
public final class ContainerStore {
    private final Path dir;

    public ContainerStore(DataRoot root) {
        this.dir = root.containers();
    }

    public Path dirOf(ContainerRecord c) {
        return dir.resolve(c.id());
    }

    public Path logOf(ContainerRecord c) {
        return dirOf(c).resolve("container.log");
    }

    /**
     * Makes the directory of a new container, holding the store's lock so two names never clash;
     * {@code template} fills in the record once its id and name are known.
     */
    public ContainerRecord create(String requestedName, Function<ContainerRecord.Builder, ContainerRecord.Builder> template) {
        if (requestedName != null && !Names.valid(requestedName)) {
            throw new JboxException("invalid container name '" + requestedName
                    + "': use letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
        try (LockFile ignored = LockFile.acquire(dir.resolve(".lock"))) {
            List<ContainerRecord> all = list();
            String name = requestedName;
            if (name != null) {
                String taken = name;
                all.stream().filter(c -> c.name().equals(taken)).findFirst().ifPresent(c -> {
                    throw new JboxException("the container name '" + taken + "' is already in use by container "
                            + c.shortId() + "; remove it (jbox rm " + taken + ") or choose another --name");
                });
            } else {
                do {
                    name = Names.randomName();
                } while (nameTaken(all, name));
            }
            ContainerRecord c = template.apply(ContainerRecord.builder().id(Names.newId()).name(name)
                    .created(Instant.now().toString())).build();
            try {
                Files.createDirectories(dirOf(c));
            } catch (IOException e) {
                throw new JboxException("cannot create " + dirOf(c) + ": " + e.getMessage());
            }
            save(c);
            return c;
        }
    }

    private static boolean nameTaken(List<ContainerRecord> all, String name) {
        return all.stream().anyMatch(c -> c.name().equals(name));
    }

    public void save(ContainerRecord c) {
        Json.writeAtomically(dirOf(c).resolve("config.json"), c);
    }

    /** Every container, oldest first. */
    public List<ContainerRecord> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<ContainerRecord> all = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(dir)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                try {
                    all.add(Json.mapper().readValue(d.resolve("config.json").toFile(), ContainerRecord.class));
                } catch (IOException e) {
                    // being created or removed right now
                }
            }
        } catch (IOException e) {
            throw new JboxException("cannot list " + dir + ": " + e.getMessage());
        }
        all.sort(Comparator.comparing(ContainerRecord::created));
        return all;
    }

    /** A container by name, full id or unique id prefix, as Docker resolves them. */
    public ContainerRecord find(String ref) {
        List<ContainerRecord> all = list();
        for (ContainerRecord c : all) {
            if (c.name().equals(ref) || c.id().equals(ref)) {
                return c;
            }
        }
        List<ContainerRecord> byPrefix = ref.isEmpty() ? List.of()
                : all.stream().filter(c -> c.id().startsWith(ref)).toList();
        if (byPrefix.size() == 1) {
            return byPrefix.get(0);
        }
        if (byPrefix.size() > 1) {
            throw new JboxException("'" + ref + "' names " + byPrefix.size() + " containers; give more of the id");
        }
        throw new JboxException("no such container: '" + ref + "'; 'jbox ps -a' lists the containers");
    }

    // tag::state[]
    public ContainerState state(ContainerRecord c) {
        Path statusFile = dirOf(c).resolve("status");
        ShimStatus s = ShimStatus.read(statusFile);
        if (s.ended()) {
            Instant finished;
            try {
                finished = Files.getLastModifiedTime(statusFile).toInstant();
            } catch (IOException e) {
                finished = null;
            }
            return new ContainerState(ContainerState.Status.EXITED, s.exitCode(), finished);
        }
        if (c.pid() > 0 && ProcessTable.alive(c.pid(), c.pidStartTime())) {
            return new ContainerState(ContainerState.Status.RUNNING, 0, null);
        }
        if (c.pid() == 0 && ProcessTable.alive(c.shimPid(), c.shimStartTime())) {
            return new ContainerState(ContainerState.Status.CREATED, 0, null);
        }
        if (c.pid() == 0 && c.shimPid() == 0 && recentlyCreated(c)) {
            return new ContainerState(ContainerState.Status.CREATED, 0, null);
        }
        return new ContainerState(ContainerState.Status.DEAD, 0, null);
    }
    // end::state[]

    /** A container is "created" for a moment before its shim's pid is recorded. */
    private static boolean recentlyCreated(ContainerRecord c) {
        return Instant.parse(c.created()).isAfter(Instant.now().minusSeconds(30));
    }

    /** Deletes the container's directory (its record, status and log). */
    public void delete(ContainerRecord c) {
        FileTrees.delete(dirOf(c));
    }
}

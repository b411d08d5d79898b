package dev.jbox.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jbox.JboxException;
import dev.jbox.Store;
import dev.jbox.namespaces.ContainerStatus;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The containers the engine knows, one directory each under {@code containers/ID}: config.json
 * (a {@link ContainerRecord}), status (written by jbox-init's shim) and container.log (the output
 * of a detached container). There is no daemon: every jbox command reads these files afresh.
 */
public final class ContainerStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path dir;
    private final ContainerNetworking networking;

    public ContainerStore(Store store) {
        this.dir = store.containers();
        this.networking = new ContainerNetworking(this, store);
    }

    /** Plugs this store's containers into their networks and unplugs them. */
    public ContainerNetworking networking() {
        return networking;
    }

    public Path dirOf(ContainerRecord c) {
        return dir.resolve(c.id());
    }

    public Path logOf(ContainerRecord c) {
        return dirOf(c).resolve("container.log");
    }

    /** Makes the directory of a new container, holding the store's lock so two names never clash. */
    public ContainerRecord create(String requestedName, Supplier<ContainerRecord> template) {
        if (requestedName != null && !Names.valid(requestedName)) {
            throw new JboxException("invalid container name '" + requestedName
                    + "': use letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
        return locked(() -> {
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
            ContainerRecord t = template.get();
            ContainerRecord c = new ContainerRecord(Names.newId(), name, t.image(), t.command(), Instant.now().toString(),
                    t.hostname() != null ? t.hostname() : name, t.autoRemove(), t.init(), t.tty(), t.detached(),
                    t.chapter(), t.env(), t.workdir(), t.namespaces(), 0, -1, 0, -1, t.network(), t.ports(), null);
            try {
                Files.createDirectories(dirOf(c));
            } catch (IOException e) {
                throw new JboxException("cannot create " + dirOf(c) + ": " + e.getMessage());
            }
            save(c);
            return c;
        });
    }

    private static boolean nameTaken(List<ContainerRecord> all, String name) {
        return all.stream().anyMatch(c -> c.name().equals(name));
    }

    public void save(ContainerRecord c) {
        Path file = dirOf(c).resolve("config.json");
        Path tmp = dirOf(c).resolve("config.json.tmp");
        try {
            JSON.writeValue(tmp.toFile(), c);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new JboxException("cannot write " + file + ": " + e.getMessage());
        }
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
                    all.add(JSON.readValue(d.resolve("config.json").toFile(), ContainerRecord.class));
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
        ContainerStatus s = ContainerStatus.read(statusFile);
        if (s.ended()) {
            Instant finished;
            try {
                finished = Files.getLastModifiedTime(statusFile).toInstant();
            } catch (IOException e) {
                finished = null;
            }
            return new ContainerState(ContainerState.Status.EXITED, s.exitCode(), finished);
        }
        if (c.pid() > 0 && Processes.alive(c.pid(), c.pidStartTime())) {
            return new ContainerState(ContainerState.Status.RUNNING, 0, null);
        }
        if (c.pid() == 0 && Processes.alive(c.shimPid(), c.shimStartTime())) {
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

    /** Unplugs the container from its network (if it is on one), then deletes its directory. */
    public void remove(ContainerRecord c) {
        networking.disconnect(c);
        Path d = dirOf(c);
        try (Stream<Path> walk = Files.walk(d)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new JboxException("cannot remove " + d + ": " + e.getMessage());
        }
    }

    /**
     * Removes the ended containers that were run with --rm, and unplugs the other ended ones from
     * their networks (their addresses and host ports become free, as when Docker stops a
     * container): there is no daemon to do it when they end.
     */
    public void collectGarbage() {
        for (ContainerRecord c : list()) {
            ContainerState.Status s = state(c).status();
            if (s != ContainerState.Status.EXITED && s != ContainerState.Status.DEAD) {
                continue;
            }
            if (c.autoRemove()) {
                remove(c);
            } else if (c.endpoint() != null) {
                save(networking.disconnect(c));
            }
        }
    }

    private <T> T locked(Supplier<T> action) {
        try {
            Files.createDirectories(dir);
            try (FileChannel lock = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 var ignored = lock.lock()) {
                return action.get();
            }
        } catch (IOException e) {
            throw new JboxException("cannot lock " + dir + ": " + e.getMessage());
        }
    }
}

package dev.jbox.volumes;

import dev.jbox.JboxException;
import dev.jbox.LockFile;
import dev.jbox.engine.EngineContext;
import dev.jbox.engine.Feature;
import dev.jbox.engine.RunRequest;
import dev.jbox.image.ConfigFile;
import dev.jbox.image.ImageStore;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.lifecycle.ContainerStore;
import dev.jbox.spec.ContainerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Chapter 4's storage beside the layers: what a container writes to a volume or a bind mount
 * bypasses its writable layer, outlives it, and can be shared. The feature checks every mount
 * asked for before it makes anything, makes the volumes (seeded from the image as Docker does),
 * and puts the mounts in the spec; the runtime makes them inside the container's mount namespace.
 */
// tag::feature[]
public final class VolumesFeature implements Feature {
    /** How the list of the container's volumes marks one it made: rm -v and --rm remove those. */
    private static final String ANONYMOUS = "anonymous";

    private final ContainerStore containers;
    private final ImageStore images;
    private final VolumeStore volumes;

    public VolumesFeature(EngineContext context) {
        this.containers = context.containers();
        this.images = new ImageStore(context.root());
        this.volumes = new VolumeStore(context.root());
    }

    @Override
    public String name() {
        return "volumes and mounts";
    }

    @Override
    public Set<String> options() {
        return Set.of("--volume", "--mount", "--tmpfs", "--read-only");
    }

    @Override
    public ContainerRecord prepare(RunRequest request, ContainerRecord record, ContainerSpec.Builder spec) {
        List<RequestedMount> asked = RequestedMount.all(request, imageConfig(record));
        Path inUse = containers.dirOf(record).resolve(VolumeStore.IN_USE);
        List<VolumeStore.Volume> anonymous = new ArrayList<>();
        try {
            for (RequestedMount m : asked) {
                spec.mount(switch (m.type()) {
                    case BIND -> bind(m.source(), m);
                    case TMPFS -> new ContainerSpec.Mount(m.target(), "tmpfs", "tmpfs", m.options());
                    case VOLUME -> bind(volume(m, spec, inUse, anonymous).mountpoint().toString(), m);
                });
            }
        } catch (RuntimeException e) {
            anonymous.forEach(volumes::delete);
            throw e;
        }
        spec.readonlyRoot(request.readOnly());
        return record;
    }

    /**
     * The volume of {@code m}, made (and seeded) if it is new, and written down as this container's
     * before its lock is let go: a {@code volume rm} that takes the lock next sees the container.
     */
    private VolumeStore.Volume volume(RequestedMount m, ContainerSpec.Builder spec, Path inUse, List<VolumeStore.Volume> anonymous) {
        String name = m.source() == null ? VolumeStore.anonymousName() : m.source();
        try (LockFile ignored = volumes.lock(name)) {
            VolumeStore.Volume v = m.source() == null ? volumes.createAnonymous(name) : volumes.create(name);
            if (v.anonymous() && m.source() == null) {
                anonymous.add(v);
            }
            VolumeSeed.fromImage(spec.rootfs(), m.target(), v.mountpoint());
            Files.writeString(inUse, v.name() + (anonymous.contains(v) ? " " + ANONYMOUS : "") + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return v;
        } catch (IOException e) {
            throw new JboxException("cannot record the container's volumes in " + inUse + ": " + e);
        }
    }
    // end::feature[]

    private ConfigFile.Config imageConfig(ContainerRecord record) {
        return record.imageId() == null ? null : images.resolve(record.imageId()).config().config();
    }

    /** Docker's binds are recursive ("rbind"): what is mounted below the source comes along. */
    private static ContainerSpec.Mount bind(String source, RequestedMount m) {
        return new ContainerSpec.Mount(m.target(), "bind", source, List.of("rbind", m.readOnly() ? "ro" : "rw"));
    }

    /** rm -v, --rm or a failed create: the anonymous volumes the container made go with it, unless another container uses one. */
    @Override
    public void removed(ContainerRecord record, boolean withVolumes) {
        Path list = containers.dirOf(record).resolve(VolumeStore.IN_USE);
        if (!withVolumes || !Files.isRegularFile(list)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(list)) {
                if (line.endsWith(" " + ANONYMOUS)) {
                    volumes.removeUnused(line.substring(0, line.indexOf(' ')), containers::list, record.id());
                }
            }
        } catch (IOException e) {
            throw new JboxException("cannot read the container's volumes in " + list + ": " + e);
        }
    }
}

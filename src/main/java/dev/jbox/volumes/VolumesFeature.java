package dev.jbox.volumes;

import dev.jbox.JboxException;
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
import java.util.ArrayList;
import java.util.HashSet;
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
    /** The anonymous volumes a container made, one name a line, in its directory: --rm removes them. */
    private static final String ANONYMOUS_LIST = "anonymous-volumes";

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
        List<RequestedMount> asked = checked(request, record);
        List<VolumeStore.Volume> anonymous = new ArrayList<>();
        try {
            for (RequestedMount m : asked) {
                spec.mount(switch (m.type()) {
                    case BIND -> bind(m.source(), m);
                    case TMPFS -> new ContainerSpec.Mount(m.target(), "tmpfs", "tmpfs", m.options());
                    case VOLUME -> {
                        VolumeStore.Volume v = m.source() == null ? volumes.createAnonymous() : volumes.create(m.source());
                        if (v.anonymous()) {
                            anonymous.add(v);
                        }
                        VolumeSeed.fromImage(spec.rootfs(), m.target(), v.mountpoint());
                        yield bind(v.mountpoint().toString(), m);
                    }
                });
            }
            Files.write(containers.dirOf(record).resolve(ANONYMOUS_LIST), anonymous.stream().map(VolumeStore.Volume::name).toList());
        } catch (IOException | RuntimeException e) {
            anonymous.forEach(volumes::delete);
            throw e instanceof IOException io ? new JboxException("cannot record the container's volumes: " + io) : (RuntimeException) e;
        }
        spec.readonlyRoot(request.readOnly());
        return record;
    }
    // end::feature[]

    /** Every mount parsed and checked (host paths exist, no target twice), the image's VOLUMEs added: nothing made yet. */
    private List<RequestedMount> checked(RunRequest request, ContainerRecord record) {
        List<RequestedMount> asked = new ArrayList<>();
        request.volumes().forEach(v -> asked.add(RequestedMount.parseVolume(v)));
        request.mounts().forEach(v -> asked.add(RequestedMount.parseMount(v)));
        request.tmpfs().forEach(v -> asked.add(RequestedMount.parseTmpfs(v)));
        Set<String> targets = new HashSet<>();
        for (RequestedMount m : asked) {
            if (!targets.add(m.target())) {
                throw new JboxException("two mounts at " + m.target() + "; give each container path once");
            }
            if (m.type() == RequestedMount.Type.BIND && !Files.exists(Path.of(m.source()))) {
                throw new JboxException("bind source path does not exist: " + m.source() + "; create it first, or give a"
                        + " volume name (no '/') to have jbox make a volume");
            }
        }
        for (String target : imageVolumes(record)) {
            if (targets.add(target)) { // an image's VOLUME the run did not mount otherwise: an anonymous volume, as in Docker
                asked.add(RequestedMount.parseVolume(target));
            }
        }
        return asked;
    }

    private List<String> imageVolumes(ContainerRecord record) {
        if (record.imageId() == null) {
            return List.of();
        }
        ConfigFile.Config config = images.resolve(record.imageId()).config().config();
        return config == null || config.volumes() == null ? List.of() : config.volumes().keySet().stream().sorted().toList();
    }

    /** Docker's binds are recursive ("rbind"): what is mounted below the source comes along. */
    private static ContainerSpec.Mount bind(String source, RequestedMount m) {
        return new ContainerSpec.Mount(m.target(), "bind", source, List.of("rbind", m.readOnly() ? "ro" : "rw"));
    }

    /** rm, --rm or a failed create: a container that was run with --rm, or never ran, takes its anonymous volumes along. */
    @Override
    public void removed(ContainerRecord record) {
        Path list = containers.dirOf(record).resolve(ANONYMOUS_LIST);
        if (!(record.autoRemove() || record.pid() == 0) || !Files.isRegularFile(list)) {
            return;
        }
        try {
            for (String name : Files.readAllLines(list)) {
                if (volumes.exists(name)) {
                    volumes.delete(volumes.find(name));
                }
            }
        } catch (IOException e) {
            throw new JboxException("cannot read the container's anonymous volumes in " + list + ": " + e);
        }
    }
}

package dev.jbox.volumes;

import dev.jbox.JboxException;
import dev.jbox.engine.EngineContext;
import dev.jbox.engine.Feature;
import dev.jbox.engine.RunRequest;
import dev.jbox.image.ConfigFile;
import dev.jbox.image.ImageStore;
import dev.jbox.kernel.InRoot;
import dev.jbox.kernel.Kernel;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.spec.ContainerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Chapter 4: {@code --user} and the image's USER. The names are the image's: they are read from
 * /etc/passwd and /etc/group inside the container's root (resolved there, so a link in the image
 * cannot make jbox read the host's), and the numbers travel to jbox-init, which takes them just
 * before exec. A non-root user keeps no capability, as in Docker.
 */
public final class UserFeature implements Feature {
    /** More than this in /etc/passwd or /etc/group is no image's honest list of users. */
    private static final int MAX_FILE = 4 << 20;

    private final ImageStore images;

    public UserFeature(EngineContext context) {
        this.images = new ImageStore(context.root());
    }

    @Override
    public String name() {
        return "users";
    }

    @Override
    public Set<String> options() {
        return Set.of("--user");
    }

    // tag::prepare[]
    @Override
    public ContainerRecord prepare(RunRequest request, ContainerRecord record, ContainerSpec.Builder spec) {
        String user = request.user() != null ? request.user() : imageUser(record);
        if (user == null || user.isEmpty()) {
            return record; // root, as in every chapter before
        }
        ContainerUser resolved = resolveIn(spec.rootfs(), user);
        spec.user(resolved.ids());
        if (request.env().stream().noneMatch(e -> e.startsWith("HOME="))) {
            List<String> env = new ArrayList<>(spec.env().stream().filter(e -> !e.startsWith("HOME=")).toList());
            env.add("HOME=" + resolved.home());
            spec.env(env);
        }
        return record;
    }
    // end::prepare[]

    /**
     * {@code user} resolved with the /etc/passwd and /etc/group of the root at {@code root}: the
     * image's before the start, or a running container's as {@code /proc/PID/root} (jbox exec -u).
     */
    public static ContainerUser resolveIn(Path root, String user) {
        try (InRoot in = InRoot.open(root)) {
            return ContainerUser.resolve(user, read(in, "/etc/passwd"), read(in, "/etc/group"));
        }
    }

    private String imageUser(ContainerRecord record) {
        if (record.imageId() == null) {
            return null;
        }
        ConfigFile.Config config = images.resolve(record.imageId()).config().config();
        return config == null ? null : config.user();
    }

    /** A file of the image, or "" if it has none; only a regular file is read (a FIFO there would block jbox). */
    private static String read(InRoot root, String path) {
        int fd = root.find(path);
        if (fd < 0) {
            return "";
        }
        try {
            Path file = Path.of(InRoot.path(fd));
            if (!Files.isRegularFile(file)) {
                throw new JboxException(path + " in the image is not a regular file; jbox cannot look users up in it");
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes(MAX_FILE + 1);
                if (bytes.length > MAX_FILE) {
                    throw new JboxException(path + " in the image is larger than " + (MAX_FILE >> 20) + " MiB; jbox will not read it");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new JboxException("cannot read " + path + " in the image: " + e);
        } finally {
            Kernel.closeQuietly(fd);
        }
    }
}

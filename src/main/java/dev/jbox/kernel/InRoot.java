package dev.jbox.kernel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Paths inside a container's root, resolved by the kernel as the container would resolve them:
 * an image's symbolic link {@code /data -> /etc} leads to the root's own {@code /etc}, never the
 * host's, and {@code ..} stops at the root (openat2 with RESOLVE_IN_ROOT). What is found is held
 * as an O_PATH descriptor, and used through {@link #path(int)}, so nothing can swap a link in
 * between the check and the use. runc does the same with its "securejoin" and /proc/self/fd.
 */
public final class InRoot implements AutoCloseable {
    private static final long RESOLVE = Kernel.RESOLVE_IN_ROOT | Kernel.RESOLVE_NO_MAGICLINKS;
    private static final int ENOENT = 2;

    private final Path root;
    private final int rootFd;

    private InRoot(Path root, int rootFd) {
        this.root = root;
        this.rootFd = rootFd;
    }

    public static InRoot open(Path root) {
        return new InRoot(root, Kernel.open(root.toString(), Kernel.O_PATH | Kernel.O_DIRECTORY | Kernel.O_CLOEXEC, 0));
    }

    /** The path through which the kernel reaches what {@code fd} holds (a mount target, a file to read). */
    public static String path(int fd) {
        return "/proc/self/fd/" + fd;
    }

    /** An O_PATH descriptor of {@code path} (absolute, inside the root), or -1 if it does not exist. */
    public int find(String path) {
        try {
            return Kernel.openat2(rootFd, relative(path), Kernel.O_PATH | Kernel.O_CLOEXEC, 0, RESOLVE);
        } catch (KernelException e) {
            if (e.errno() == ENOENT) {
                return -1;
            }
            throw e;
        }
    }

    /**
     * An O_PATH descriptor of {@code path}, made first if missing: every missing directory on the
     * way, then the last one as a directory or (with {@code file}) an empty file - a mount point.
     * Each step is made in the directory the kernel resolved inside the root, so a link can at
     * most lead elsewhere in the root.
     */
    public int make(String path, boolean file) {
        List<String> parts = components(path);
        for (int i = 0; i < parts.size(); i++) {
            String prefix = String.join("/", parts.subList(0, i + 1));
            int fd = find(prefix);
            if (fd < 0) {
                int parent = i == 0 ? rootFd : find(String.join("/", parts.subList(0, i)));
                try {
                    if (i == parts.size() - 1 && file) {
                        Kernel.close(Kernel.openat2(parent, parts.get(i), Kernel.O_CREAT | Kernel.O_EXCL | Kernel.O_WRONLY
                                | Kernel.O_NOFOLLOW | Kernel.O_CLOEXEC, 0644, RESOLVE));
                    } else {
                        Kernel.mkdirat(parent, parts.get(i), 0755);
                    }
                } finally {
                    if (parent != rootFd) {
                        Kernel.closeQuietly(parent);
                    }
                }
                fd = find(prefix);
            }
            if (i == parts.size() - 1) {
                return fd;
            }
            Kernel.close(fd);
        }
        return find("/");
    }

    private static String relative(String path) {
        String rel = String.join("/", components(path));
        return rel.isEmpty() ? "." : rel;
    }

    private static List<String> components(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty() && !p.equals(".")) {
                parts.add(p);
            }
        }
        return parts;
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        Kernel.closeQuietly(rootFd);
    }
}

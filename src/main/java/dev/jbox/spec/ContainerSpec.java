package dev.jbox.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jbox.cgroups.Resources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a container is, as plain data shaped like the OCI runtime spec's config.json (the file
 * runc and crun read): the process, the root, the mounts, the Linux specifics, the host name.
 * It is checked when it is made, so a runtime never acts on a bad one, and it is stored in the
 * container's record. A chapter adds fields here (chapter 3: linux.resources); it never adds
 * branches to the runtimes that read the fields they know.
 *
 * <p>What is not here on purpose: which descriptors become stdin/stdout/stderr and where the
 * runtime keeps its status. Those belong to one start of the container ({@code Launch}), not to
 * what the container is.
 */
// tag::spec[]
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerSpec(Process process, Root root, String hostname, List<Mount> mounts, Linux linux) {
    /**
     * The container's first process. {@code init}: a tiny init stays pid 1 (docker run --init).
     * {@code user}: who it runs as (chapter 4), or null to stay root with no supplementary groups.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Process(List<String> args, List<String> env, String cwd, boolean terminal, long capabilities,
                          boolean noNewPrivileges, boolean init, User user) {
    }

    /** The ids the process runs with, resolved before the start (names come from the image's /etc/passwd and /etc/group). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record User(int uid, int gid, List<Integer> additionalGids) {
        public User {
            additionalGids = additionalGids == null ? List.of() : List.copyOf(additionalGids);
        }
    }

    /** The directory that becomes the container's {@code /}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Root(String path, boolean readonly) {
    }

    /** A mount made inside the container; jbox uses "bind" mounts of files of the engine. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Mount(String destination, String type, String source, List<String> options) {
    }

    /**
     * The namespaces to create (the mount namespace is implied), the kernel files to hide or
     * protect; from chapter 3 the cgroup limits and where the cgroup goes ("jbox/ID"), or nulls.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Linux(Set<Namespace> namespaces, List<String> maskedPaths, List<String> readonlyPaths,
                        Resources resources, String cgroupsPath) {
    }
    // end::spec[]

    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,62})?");
    private static final Pattern ENV_KEY = Pattern.compile("[^=\\x00]+");

    public ContainerSpec {
        process = new Process(List.copyOf(process.args()), List.copyOf(process.env()), process.cwd(), process.terminal(),
                process.capabilities(), process.noNewPrivileges(), process.init(), process.user());
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        linux = linux == null ? new Linux(Set.of(), List.of(), List.of(), null, null)
                : new Linux(linux.namespaces() == null || linux.namespaces().isEmpty() ? Set.of()
                        : Set.copyOf(EnumSet.copyOf(linux.namespaces())),
                        linux.maskedPaths() == null ? List.of() : List.copyOf(linux.maskedPaths()),
                        linux.readonlyPaths() == null ? List.of() : List.copyOf(linux.readonlyPaths()),
                        linux.resources(), linux.cgroupsPath());
        validate(process, root, hostname, mounts, linux);
    }

    // tag::validate[]
    /** runc validates config.json before it touches the kernel; so does this, with errors a user can act on. */
    private static void validate(Process process, Root root, String hostname, List<Mount> mounts, Linux linux) {
        if (process.args().isEmpty()) {
            throw new InvalidSpecException("process.args", "a container needs a command");
        }
        if (process.cwd() == null || !process.cwd().startsWith("/")) {
            throw new InvalidSpecException("process.cwd", "the working directory must be an absolute path inside"
                    + " the container, not '" + process.cwd() + "'");
        }
        for (String e : process.env()) {
            int eq = e.indexOf('=');
            if (eq <= 0 || !ENV_KEY.matcher(e.substring(0, eq)).matches()) {
                throw new InvalidSpecException("process.env", "'" + e + "' is not KEY=VALUE with a non-empty KEY");
            }
        }
        if (root == null || root.path() == null || !root.path().startsWith("/")) {
            throw new InvalidSpecException("root.path", "the root file system must be an absolute path");
        }
        if (hostname != null && !HOSTNAME.matcher(hostname).matches()) {
            throw new InvalidSpecException("hostname", "'" + hostname + "' is not a valid host name (letters, digits, '.', '_'"
                    + " and '-', at most 64, starting with a letter or digit)");
        }
        for (Mount m : mounts) {
            insideContainer("mounts.destination", m.destination());
        }
        for (String p : linux.maskedPaths()) {
            insideContainer("linux.maskedPaths", p);
        }
        for (String p : linux.readonlyPaths()) {
            insideContainer("linux.readonlyPaths", p);
        }
    }
    // end::validate[]

    private static void insideContainer(String field, String path) {
        if (path == null || !path.startsWith("/") || List.of(path.split("/")).contains("..")) {
            throw new InvalidSpecException(field, "'" + path + "' must be an absolute path without '..'");
        }
    }

    /** The root file system on the host. */
    @JsonIgnore
    public Path rootfs() {
        return Path.of(root.path());
    }

    /** The value of {@code PATH} in the environment, or the usual default. */
    @JsonIgnore
    public String path() {
        return process.env().stream().filter(e -> e.startsWith("PATH=")).map(e -> e.substring(5)).reduce((a, b) -> b)
                .orElse("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    }

    /** Whether the container gets {@code ns} (the mount namespace is not listed: it comes with pivot_root). */
    public boolean has(Namespace ns) {
        return linux.namespaces().contains(ns);
    }

    public static Builder builder(Path rootfs, List<String> args) {
        return new Builder(rootfs, args);
    }

    /** A copy to change: features fill their part of the spec one after another. */
    public Builder toBuilder() {
        Builder b = new Builder(rootfs(), process.args());
        b.env = process.env();
        b.cwd = process.cwd();
        b.terminal = process.terminal();
        b.capabilities = process.capabilities();
        b.noNewPrivileges = process.noNewPrivileges();
        b.init = process.init();
        b.user = process.user();
        b.readonlyRoot = root.readonly();
        b.hostname = hostname;
        b.mounts = new ArrayList<>(mounts);
        b.namespaces = linux.namespaces();
        b.maskedPaths = linux.maskedPaths();
        b.readonlyPaths = linux.readonlyPaths();
        b.resources = linux.resources();
        b.cgroupsPath = linux.cgroupsPath();
        return b;
    }

    public static final class Builder {
        private final Path rootfs;
        private List<String> args;
        private List<String> env = List.of();
        private String cwd = "/";
        private boolean terminal;
        private long capabilities = Capabilities.CONTAINER_DEFAULT;
        private boolean noNewPrivileges = true;
        private boolean init;
        private User user;
        private boolean readonlyRoot;
        private String hostname;
        private List<Mount> mounts = new ArrayList<>();
        private Set<Namespace> namespaces = Set.of();
        private List<String> maskedPaths = List.of();
        private List<String> readonlyPaths = List.of();
        private Resources resources;
        private String cgroupsPath;

        private Builder(Path rootfs, List<String> args) {
            this.rootfs = rootfs.toAbsolutePath();
            this.args = args;
        }

        public Builder args(List<String> v) { args = v; return this; }
        public Builder env(List<String> v) { env = v; return this; }
        public Builder cwd(String v) { cwd = v; return this; }
        public Builder terminal(boolean v) { terminal = v; return this; }
        public Builder capabilities(long v) { capabilities = v; return this; }
        public Builder noNewPrivileges(boolean v) { noNewPrivileges = v; return this; }
        public Builder init(boolean v) { init = v; return this; }
        public Builder readonlyRoot(boolean v) { readonlyRoot = v; return this; }
        public Builder user(User v) { user = v; return this; }

        /** Adds a mount the user asked for (-v, --mount, --tmpfs), made inside the root before the pivot. */
        public Builder mount(Mount m) {
            mounts.add(m);
            return this;
        }

        /** The root file system, for features that look into it (its /etc/passwd, an image's directory to copy). */
        public Path rootfs() {
            return rootfs;
        }

        /** The environment so far (the image's, then -e), e.g. to add HOME only when it is missing. */
        public List<String> env() {
            return env;
        }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder namespaces(Set<Namespace> v) { namespaces = v; return this; }

        public Builder withoutNamespace(Namespace ns) {
            Set<Namespace> fewer = EnumSet.noneOf(Namespace.class);
            fewer.addAll(namespaces);
            fewer.remove(ns);
            namespaces = fewer;
            return this;
        }
        public Builder maskedPaths(List<String> v) { maskedPaths = v; return this; }
        public Builder readonlyPaths(List<String> v) { readonlyPaths = v; return this; }
        public Builder resources(Resources v) { resources = v; return this; }
        public Builder cgroupsPath(String v) { cgroupsPath = v; return this; }

        /** Adds a mount that pid 1 makes inside its cgroup namespace (a cgroup file system). */
        public Builder mount(String destination, String type, List<String> options) {
            mounts.add(new Mount(destination, type, type, options));
            return this;
        }

        /** Adds a bind mount of the engine's file {@code source} at {@code destination} in the container. */
        public Builder bindFile(Path source, String destination) {
            mounts.add(new Mount(destination, "bind", source.toString(), List.of("bind")));
            return this;
        }

        public ContainerSpec build() {
            return new ContainerSpec(new Process(args, env, cwd, terminal, capabilities, noNewPrivileges, init, user),
                    new Root(rootfs.toString(), readonlyRoot), hostname, mounts,
                    new Linux(namespaces, maskedPaths, readonlyPaths, resources, cgroupsPath));
        }
    }
}

package dev.jbox.volumes;

import dev.jbox.JboxException;
import dev.jbox.engine.RunRequest;
import dev.jbox.image.ConfigFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One mount the user asked for, in any of Docker's three spellings, checked before anything is
 * made: {@code -v HOST:CTR[:ro]}, {@code -v NAME:CTR}, {@code -v CTR} (an anonymous volume),
 * {@code --mount type=bind|volume|tmpfs,source=,target=,readonly,tmpfs-size=,tmpfs-mode=} and
 * {@code --tmpfs CTR[:OPTIONS]}.
 *
 * @param source  a host path (BIND), a volume name or null for an anonymous one (VOLUME), null (TMPFS)
 * @param options for TMPFS, mount(2)'s words ("size=64m", "mode=1777", "noexec"...)
 */
public record RequestedMount(Type type, String source, String target, boolean readOnly, List<String> options) {
    public enum Type { BIND, VOLUME, TMPFS }

    /** Docker's rule for volume names: a letter or digit, then letters, digits, '_', '.' or '-'. */
    static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    /** What Docker gives a tmpfs unless told otherwise: no set-uid programs, no devices, nothing to run. */
    private static final List<String> TMPFS_DEFAULTS = List.of("nosuid", "nodev", "noexec");

    public RequestedMount {
        options = List.copyOf(options);
    }

    /**
     * Every mount of {@code request} parsed and checked (host paths exist, no target twice), and the
     * VOLUMEs of the image's {@code config} (null: none) the run mounts nothing else at, as
     * anonymous volumes (Docker's rule). Nothing is made yet.
     */
    public static List<RequestedMount> all(RunRequest request, ConfigFile.Config config) {
        List<RequestedMount> asked = new ArrayList<>();
        request.volumes().forEach(v -> asked.add(parseVolume(v)));
        request.mounts().forEach(v -> asked.add(parseMount(v)));
        request.tmpfs().forEach(v -> asked.add(parseTmpfs(v)));
        Set<String> targets = new HashSet<>();
        for (RequestedMount m : asked) {
            if (!targets.add(m.target())) {
                throw new JboxException("two mounts at " + m.target() + "; give each container path once");
            }
            if (m.type() == Type.BIND && !Files.exists(Path.of(m.source()))) {
                throw new JboxException("bind source path does not exist: " + m.source() + "; create it first, or give a"
                        + " volume name (no '/') to have jbox make a volume");
            }
        }
        List<String> imageVolumes = config == null || config.volumes() == null ? List.of()
                : config.volumes().keySet().stream().sorted().toList();
        for (String target : imageVolumes) {
            if (targets.add(target)) {
                asked.add(parseVolume(target));
            }
        }
        return asked;
    }

    /** Whether the mount point must be a file: a bind mount of one. */
    public boolean ofAFile() {
        return type == Type.BIND && !Files.isDirectory(Path.of(source));
    }

    // tag::volume-flag[]
    /** {@code -v}: CTR, SOURCE:CTR or SOURCE:CTR:MODE; a SOURCE starting with '/' is a host path, else a volume's name. */
    public static RequestedMount parseVolume(String flag) {
        String[] parts = flag.split(":", -1);
        if (parts.length > 3 || List.of(parts).contains("")) {
            throw bad("-v " + flag, "expected CONTAINER-PATH, HOST-PATH:CONTAINER-PATH[:ro] or VOLUME:CONTAINER-PATH[:ro]");
        }
        if (parts.length == 1) {
            return new RequestedMount(Type.VOLUME, null, target("-v " + flag, parts[0]), false, List.of());
        }
        boolean readOnly = parts.length == 3 && mode("-v " + flag, parts[2]);
        String target = target("-v " + flag, parts[1]);
        if (parts[0].startsWith("/")) {
            return new RequestedMount(Type.BIND, parts[0], target, readOnly, List.of());
        }
        return new RequestedMount(Type.VOLUME, volumeName("-v " + flag, parts[0]), target, readOnly, List.of());
    }
    // end::volume-flag[]

    /** {@code --mount}: comma-separated KEY=VALUE as Docker's CLI takes them (type defaults to volume). */
    public static RequestedMount parseMount(String flag) {
        String what = "--mount " + flag;
        Type type = Type.VOLUME;
        String source = null, target = null;
        boolean readOnly = false;
        List<String> tmpfs = new ArrayList<>();
        for (String field : flag.split(",")) {
            int eq = field.indexOf('=');
            String key = eq < 0 ? field : field.substring(0, eq), value = eq < 0 ? null : field.substring(eq + 1);
            switch (key) {
                case "type" -> type = switch (String.valueOf(value)) {
                    case "bind" -> Type.BIND;
                    case "volume" -> Type.VOLUME;
                    case "tmpfs" -> Type.TMPFS;
                    default -> throw bad(what, "type must be bind, volume or tmpfs, not '" + value + "'");
                };
                case "source", "src" -> source = value;
                case "target", "destination", "dst" -> target = value;
                case "readonly", "ro" -> readOnly = value == null || switch (value) {
                    case "true", "1" -> true;
                    case "false", "0" -> false;
                    default -> throw bad(what, key + " takes true or false, not '" + value + "'");
                };
                case "tmpfs-size" -> tmpfs.add("size=" + nonEmpty(what, key, value));
                case "tmpfs-mode" -> tmpfs.add("mode=" + nonEmpty(what, key, value));
                default -> throw bad(what, "unknown key '" + key + "'; jbox knows type, source, target, readonly,"
                        + " tmpfs-size and tmpfs-mode");
            }
        }
        if (target == null) {
            throw bad(what, "a target is needed, e.g. target=/data");
        }
        target = target(what, target);
        return switch (type) {
            case BIND -> {
                if (source == null || !source.startsWith("/")) {
                    throw bad(what, "a bind mount needs an absolute host path as source, not '" + source + "'");
                }
                if (!tmpfs.isEmpty()) {
                    throw bad(what, "tmpfs-size and tmpfs-mode are for type=tmpfs");
                }
                yield new RequestedMount(Type.BIND, source, target, readOnly, List.of());
            }
            case VOLUME -> {
                if (!tmpfs.isEmpty()) {
                    throw bad(what, "tmpfs-size and tmpfs-mode are for type=tmpfs");
                }
                yield new RequestedMount(Type.VOLUME, source == null ? null : volumeName(what, source), target, readOnly, List.of());
            }
            case TMPFS -> {
                if (source != null) {
                    throw bad(what, "a tmpfs has no source; drop source=" + source);
                }
                yield tmpfs(target, readOnly, tmpfs);
            }
        };
    }

    /** {@code --tmpfs CTR[:OPTIONS]}, OPTIONS as mount(8) takes them, e.g. size=64m,mode=1770,exec. */
    public static RequestedMount parseTmpfs(String flag) {
        int colon = flag.indexOf(':');
        String target = target("--tmpfs " + flag, colon < 0 ? flag : flag.substring(0, colon));
        List<String> options = colon < 0 || colon == flag.length() - 1 ? List.of() : List.of(flag.substring(colon + 1).split(","));
        return tmpfs(target, options.contains("ro"), options.stream().filter(o -> !o.equals("ro") && !o.equals("rw")).toList());
    }

    private static RequestedMount tmpfs(String target, boolean readOnly, List<String> asked) {
        List<String> options = new ArrayList<>();
        for (String d : TMPFS_DEFAULTS) {
            if (!asked.contains(d.substring(2))) { // "exec" undoes "noexec", and so on
                options.add(d);
            }
        }
        asked.stream().filter(o -> !List.of("exec", "suid", "dev").contains(o)).forEach(options::add);
        if (options.stream().noneMatch(o -> o.startsWith("mode="))) {
            options.add("mode=1777");
        }
        if (readOnly) {
            options.add("ro");
        }
        return new RequestedMount(Type.TMPFS, null, target, readOnly, options);
    }

    private static boolean mode(String what, String mode) {
        boolean readOnly = false;
        for (String m : mode.split(",")) {
            switch (m) {
                case "ro" -> readOnly = true;
                case "rw" -> readOnly = false;
                default -> throw bad(what, "unknown mode '" + m + "'; use ro or rw");
            }
        }
        return readOnly;
    }

    private static String target(String what, String target) {
        if (!target.startsWith("/")) {
            throw bad(what, "the container path must be absolute, not '" + target + "'");
        }
        if (List.of(target.split("/")).contains("..")) {
            throw bad(what, "the container path must not contain '..'");
        }
        String clean = target.replaceAll("/+", "/").replaceAll("(.)/$", "$1");
        if (clean.equals("/")) {
            throw bad(what, "the container's root cannot be a mount; use --read-only to protect it");
        }
        return clean;
    }

    private static String volumeName(String what, String name) {
        if (name.contains("/") || name.startsWith(".")) {
            throw bad(what, "'" + name + "' is a relative host path; bind mounts need an absolute one, e.g. $PWD/"
                    + name.replaceFirst("^\\./", ""));
        }
        if (!VOLUME_NAME.matcher(name).matches()) {
            throw bad(what, "'" + name + "' is not a valid volume name (two characters or more: a letter or digit, then letters, digits, '_', '.' or '-')");
        }
        return name;
    }

    private static String nonEmpty(String what, String key, String value) {
        if (value == null || value.isEmpty()) {
            throw bad(what, key + " needs a value");
        }
        return value;
    }

    private static JboxException bad(String what, String why) {
        return new JboxException("invalid " + what + ": " + why);
    }
}

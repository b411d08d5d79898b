package dev.jbox.namespaces;

import static dev.jbox.kernel.Kernel.MS_NODEV;
import static dev.jbox.kernel.Kernel.MS_NOEXEC;
import static dev.jbox.kernel.Kernel.MS_NOSUID;
import static dev.jbox.kernel.Kernel.MS_RDONLY;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A mount's options as the OCI spec lists them ("ro", "nosuid", "size=64m"...) split the way
 * mount(2) takes them: the words the kernel knows as flags, and the rest as the file system's
 * data string. "rbind" and "bind" say what kind of mount it is and are neither.
 */
record MountOptions(long flags, String data) {
    private static final Map<String, Long> FLAGS = Map.of("ro", MS_RDONLY, "nosuid", MS_NOSUID, "nodev", MS_NODEV,
            "noexec", MS_NOEXEC);
    private static final List<String> NEITHER = List.of("rw", "bind", "rbind", "suid", "dev", "exec");

    static MountOptions of(List<String> options) {
        long flags = 0;
        List<String> data = new ArrayList<>();
        for (String o : options) {
            if (FLAGS.containsKey(o)) {
                flags |= FLAGS.get(o);
            } else if (!NEITHER.contains(o)) {
                data.add(o);
            }
        }
        return new MountOptions(flags, data.isEmpty() ? null : String.join(",", data));
    }
}

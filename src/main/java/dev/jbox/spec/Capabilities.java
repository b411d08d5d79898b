package dev.jbox.spec;

import java.util.List;

/**
 * Which capabilities a container keeps: Docker's default set, less CAP_MKNOD. Root in a container
 * can still chown, kill its own processes, bind low ports and chroot, but cannot mount, load
 * modules, set the clock or change the host name of a namespace it does not own.
 *
 * <p>Docker keeps CAP_MKNOD because its device cgroup forbids opening the nodes a container makes;
 * jbox has no cgroups before chapter 3, and a container able to create /dev/vda could read the
 * host's disk. So CAP_MKNOD stays dropped until the device controller exists.
 */
public final class Capabilities {
    /** Docker's default list (moby's oci/caps/defaults.go), by name and bit number from linux/capability.h. */
    public static final List<String> DOCKER_DEFAULT_NAMES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    private static final int CHOWN = 0, DAC_OVERRIDE = 1, FOWNER = 3, FSETID = 4, KILL = 5, SETGID = 6, SETUID = 7,
            SETPCAP = 8, NET_BIND_SERVICE = 10, NET_RAW = 13, SYS_CHROOT = 18, MKNOD = 27, AUDIT_WRITE = 29,
            SETFCAP = 31;
    public static final long DOCKER_DEFAULT = bits(CHOWN, DAC_OVERRIDE, FSETID, FOWNER, MKNOD, NET_RAW, SETGID,
            SETUID, SETFCAP, SETPCAP, NET_BIND_SERVICE, SYS_CHROOT, KILL, AUDIT_WRITE);
    /** What a chapter-2 container keeps: Docker's set without CAP_MKNOD (see above). */
    public static final long CONTAINER_DEFAULT = DOCKER_DEFAULT & ~(1L << MKNOD);

    private Capabilities() {
    }

    private static long bits(int... caps) {
        long mask = 0;
        for (int c : caps) {
            mask |= 1L << c;
        }
        return mask;
    }
}

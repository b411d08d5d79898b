package dev.jbox.cgroups;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.jbox.JboxException;
import java.util.List;

/**
 * One entry of the OCI spec's {@code linux.resources.devices}: whether a process of the container
 * may make ({@code m}), read ({@code r}) or write ({@code w}) a device node of a given type and
 * number. Rules are read in order and the last one that matches an access decides, as in v1's
 * devices.allow/deny; an access no rule matches is allowed, as in a fresh v1 cgroup, which is why
 * every useful list starts with "deny all".
 *
 * @param allow  whether the rule allows (true) or denies (false)
 * @param type   {@code a} (all), {@code b} (block) or {@code c} (character)
 * @param major  the device's major number; null matches any
 * @param minor  the device's minor number; null matches any
 * @param access a non-empty combination of {@code r}, {@code w} and {@code m}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {
    public DeviceRule {
        type = type == null ? "a" : type;
        access = access == null ? "rwm" : access;
        if (!List.of("a", "b", "c").contains(type)) {
            throw new JboxException("device rule type '" + type + "' is not a, b or c");
        }
        if (access.isEmpty() || !access.chars().allMatch(ch -> "rwm".indexOf(ch) >= 0)
                || access.chars().distinct().count() != access.length()) {
            throw new JboxException("device rule access '" + access + "' must be a combination of r, w and m");
        }
        if ((major != null && major < 0) || (minor != null && minor < 0)) {
            throw new JboxException("device rule numbers must not be negative: " + major + ":" + minor);
        }
    }

    public static DeviceRule allow(String type, Long major, Long minor, String access) {
        return new DeviceRule(true, type, major, minor, access);
    }

    public static DeviceRule deny(String type, Long major, Long minor, String access) {
        return new DeviceRule(false, type, major, minor, access);
    }

    // tag::docker-devices[]
    /**
     * What a Docker container may use: nothing, then the usual character devices, then mknod of
     * any node (so images can carry device files) without the right to open them. Moby's default
     * spec gives the first eight lines (and denies /dev/fuse), runc appends the rest.
     */
    public static final List<DeviceRule> DOCKER_DEFAULTS = List.of(
            deny("a", null, null, "rwm"),        // start from nothing
            allow("c", 1L, 5L, "rwm"),           // /dev/zero
            allow("c", 1L, 3L, "rwm"),           // /dev/null
            allow("c", 1L, 9L, "rwm"),           // /dev/urandom
            allow("c", 1L, 8L, "rwm"),           // /dev/random
            allow("c", 5L, 0L, "rwm"),           // /dev/tty
            allow("c", 5L, 1L, "rwm"),           // /dev/console
            deny("c", 10L, 229L, "rwm"),         // /dev/fuse
            allow("c", null, null, "m"),         // mknod of any character device...
            allow("b", null, null, "m"),         // ...and any block device, but no reading or writing them
            allow("c", 1L, 7L, "rwm"),           // /dev/full
            allow("c", 136L, null, "rwm"),       // /dev/pts/*
            allow("c", 5L, 2L, "rwm"),           // /dev/ptmx
            allow("c", 10L, 200L, "rwm"));       // /dev/net/tun
    // end::docker-devices[]

    /** The rule as cgroup v1's devices.allow and devices.deny read it, e.g. {@code c 1:3 rwm}. */
    public String v1Line() {
        if (type.equals("a")) {
            return "a";
        }
        return type + " " + (major == null ? "*" : major) + ":" + (minor == null ? "*" : minor) + " " + access;
    }

    @Override
    public String toString() {
        return (allow ? "allow " : "deny ") + (type.equals("a") ? "a *:* " + access : v1Line());
    }
}

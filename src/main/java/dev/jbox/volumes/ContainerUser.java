package dev.jbox.volumes;

import dev.jbox.JboxException;
import dev.jbox.spec.ContainerSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --user} and the image's USER, resolved as runc resolves them: {@code uid}, {@code uid:gid},
 * {@code name} or {@code name:group}, names looked up in the image's own /etc/passwd and /etc/group
 * (never the host's). A number not in /etc/passwd is used as it is, with group 0 and home "/".
 * The supplementary groups are the primary one and those /etc/group lists the user's name in.
 *
 * @param home the home directory from /etc/passwd, for HOME
 */
public record ContainerUser(ContainerSpec.User ids, String home) {
    /** jbox-init takes at most this many supplementary groups. */
    static final int MAX_GROUPS = 64;

    // tag::resolve[]
    /** Resolves {@code user} against the contents of the image's /etc/passwd and /etc/group (empty if it has none). */
    public static ContainerUser resolve(String user, String passwd, String group) {
        int colon = user.indexOf(':');
        String who = colon < 0 ? user : user.substring(0, colon);
        String groupName = colon < 0 ? null : user.substring(colon + 1);
        if (who.isEmpty() || groupName != null && groupName.isEmpty()) {
            throw new JboxException("invalid --user '" + user + "': expected USER[:GROUP], names or numbers, e.g. 1000:1000 or nobody");
        }
        String[] entry = find(passwd, who, 2);
        Integer number = number(who);
        if (entry == null && number == null) {
            throw new JboxException("no user '" + who + "' in the image's /etc/passwd; give a number (--user 1000) or a user the image has");
        }
        int uid = entry != null ? Integer.parseInt(entry[2]) : number;
        int gid = entry != null && entry.length > 3 ? parseOr(entry[3], 0) : 0;
        if (groupName != null) {
            String[] g = find(group, groupName, 2);
            Integer n = number(groupName);
            if (g == null && n == null) {
                throw new JboxException("no group '" + groupName + "' in the image's /etc/group; give a number or a group the image has");
            }
            gid = g != null ? Integer.parseInt(g[2]) : n;
        }
        // The primary group is a supplementary one too, as containerd has made it since CVE-2023-25173:
        // otherwise a group the image denies access to could stay usable through it.
        Set<Integer> additional = new LinkedHashSet<>(List.of(gid));
        if (entry != null) {
            for (String[] g : entries(group)) {
                if (g.length > 3 && List.of(g[3].split(",")).contains(entry[0]) && number(g[2]) != null) {
                    additional.add(Integer.parseInt(g[2]));
                }
            }
        }
        if (additional.size() > MAX_GROUPS) {
            throw new JboxException("user '" + who + "' is in " + additional.size() + " groups in the image's /etc/group;"
                    + " jbox supports at most " + MAX_GROUPS);
        }
        String home = entry != null && entry.length > 5 && !entry[5].isEmpty() ? entry[5] : "/";
        return new ContainerUser(new ContainerSpec.User(uid, gid, new ArrayList<>(additional)), home);
    }
    // end::resolve[]

    /** The entry whose name (field 0) or, for a number, whose id (field {@code idField}) is {@code key}; the first wins. */
    private static String[] find(String file, String key, int idField) {
        for (String[] e : entries(file)) {
            if (e[0].equals(key)) {
                return e;
            }
        }
        if (number(key) != null) {
            for (String[] e : entries(file)) {
                if (e[idField].equals(key)) {
                    return e;
                }
            }
        }
        return null;
    }

    /** The well-formed lines (name:x:id:...) of a passwd or group file; others are skipped, as libc skips them. */
    private static List<String[]> entries(String file) {
        List<String[]> entries = new ArrayList<>();
        for (String line : file.split("\n")) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 3 && !fields[0].isEmpty() && !line.startsWith("#") && number(fields[2]) != null) {
                entries.add(fields);
            }
        }
        return entries;
    }

    private static Integer number(String s) {
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(Character::isDigit)) {
            return null;
        }
        long n = Long.parseLong(s);
        return n > Integer.MAX_VALUE ? null : (int) n;
    }

    private static int parseOr(String s, int otherwise) {
        Integer n = number(s);
        return n == null ? otherwise : n;
    }
}

package dev.jbox.cgroups;

import dev.jbox.JboxException;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/** The kernel's list syntax for CPUs and memory nodes, {@code 0-1,3}, as cpuset.cpus and --cpuset-cpus use it. */
public final class Cpuset {
    private Cpuset() {
    }

    /**
     * The numbers {@code list} names; empty for an empty list. {@code what} names the setting in the
     * error, which says what is wrong the way Docker does ({@code invalid format: 0-x}).
     */
    public static SortedSet<Integer> parse(String list, String what) {
        try {
            return parse(list);
        } catch (IllegalArgumentException e) {
            throw new JboxException(what + " '" + list + "' is not a list of numbers like 0-1,3: " + e.getMessage());
        }
    }

    /** The numbers {@code list} names; IllegalArgumentException "invalid format: LIST" if it is not a list. */
    public static SortedSet<Integer> parse(String list) {
        SortedSet<Integer> numbers = new TreeSet<>();
        if (list.isEmpty()) {
            return numbers;
        }
        for (String part : list.split(",", -1)) {
            int dash = part.indexOf('-');
            int first = number(dash < 0 ? part : part.substring(0, dash), list);
            int last = dash < 0 ? first : number(part.substring(dash + 1), list);
            if (last < first) {
                throw new IllegalArgumentException("invalid format: " + list);
            }
            for (int n = first; n <= last; n++) {
                numbers.add(n);
            }
        }
        return Collections.unmodifiableSortedSet(numbers);
    }

    private static int number(String s, String list) {
        if (s.isEmpty() || s.length() > 6 || !s.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("invalid format: " + list);
        }
        return Integer.parseInt(s);
    }
}

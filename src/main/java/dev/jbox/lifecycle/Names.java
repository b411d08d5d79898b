package dev.jbox.lifecycle;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/** Container ids (64 random hex digits, as Docker's) and names ("adjective_pioneer", as Docker's). */
public final class Names {
    static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> ADJECTIVES = List.of("brave", "calm", "eager", "fierce", "gentle", "happy",
            "jolly", "keen", "lucid", "merry", "nimble", "proud", "quiet", "sharp", "tender", "vivid", "witty", "zen");
    private static final List<String> PIONEERS = List.of("allen", "backus", "bell", "cerf", "dijkstra", "hamilton",
            "hopper", "kernighan", "knuth", "lamport", "liskov", "lovelace", "mccarthy", "pike", "ritchie",
            "thompson", "torvalds", "turing", "wirth");

    private Names() {
    }

    public static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static String randomName() {
        return ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + "_" + PIONEERS.get(RANDOM.nextInt(PIONEERS.size()));
    }

    public static boolean valid(String name) {
        return VALID.matcher(name).matches();
    }
}

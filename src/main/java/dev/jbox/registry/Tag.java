package dev.jbox.registry;

import java.util.regex.Pattern;

/** A tag as the spec allows it: up to 128 characters, a word character first. */
final class Tag {
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    private Tag() {
    }

    static boolean isTag(String reference) {
        return TAG.matcher(reference).matches();
    }
}

package dev.jbox.registry;

import java.util.regex.Pattern;

/**
 * A repository name as the distribution spec allows it: lower-case path components joined by
 * '/', each made of alphanumerics separated by '.', '_', '__' or dashes. The name becomes a
 * directory path in the store, so a name that passes here can never climb out of it ('..' and
 * empty components do not match).
 */
public record RepositoryName(String value) {
    private static final Pattern NAME = Pattern.compile(
            "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");
    /** Docker's limit; the spec leaves the length to the registry. */
    private static final int MAX_LENGTH = 255;

    public RepositoryName {
        if (value == null || value.length() > MAX_LENGTH || !NAME.matcher(value).matches()) {
            throw new RegistryError(ErrorCode.NAME_INVALID, "invalid repository name '" + value
                    + "': use lower-case components like library/busybox (at most " + MAX_LENGTH + " characters)");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}

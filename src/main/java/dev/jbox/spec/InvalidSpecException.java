package dev.jbox.spec;

import dev.jbox.JboxException;

/** A container spec that must not reach a runtime: names the field, as runc's validator does. */
public final class InvalidSpecException extends JboxException {
    public InvalidSpecException(String field, String problem) {
        super("invalid container spec, " + field + ": " + problem);
    }
}

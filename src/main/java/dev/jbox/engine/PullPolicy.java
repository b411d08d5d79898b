package dev.jbox.engine;

import dev.jbox.JboxException;
import java.util.Locale;

/** {@code jbox run --pull}, as Docker's: when chapter 5's engine asks the registry for the image. */
public enum PullPolicy {
    /** Pull only if the store does not have the image (the default). */
    MISSING,
    /** Ask the registry every time; it sends only what changed. */
    ALWAYS,
    /** Never pull: a missing image is an error. */
    NEVER;

    public static PullPolicy parse(String text) {
        for (PullPolicy p : values()) {
            if (p.name().equalsIgnoreCase(text.strip())) {
                return p;
            }
        }
        throw new JboxException("invalid --pull '" + text + "'; use missing, always or never");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

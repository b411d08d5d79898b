package dev.jbox.namespaces;

import dev.jbox.kernel.Kernel;

/** A new network namespace has only {@code lo}, and it starts down: bring it up, as Docker does. */
final class Loopback {
    private Loopback() {
    }

    static void up() {
        Kernel.setLinkUp("lo");
    }
}

package dev.jbox.cli;

import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.lifecycle.ContainerState;
import dev.jbox.lifecycle.ContainerStore;
import picocli.CommandLine.ParentCommand;

/** What the commands that act on an existing container share: the store, and waiting for an end. */
abstract class ContainerCommand {
    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @ParentCommand
    Main main;

    ContainerStore containers() {
        Main.requireRoot();
        ContainerStore store = new ContainerStore(main.store());
        store.collectGarbage();
        return store;
    }

    /** Polls until the container is no longer running; false if {@code seconds} passed first. */
    static boolean awaitEnd(ContainerStore store, ContainerRecord c, double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (store.state(c).status() == ContainerState.Status.RUNNING) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}

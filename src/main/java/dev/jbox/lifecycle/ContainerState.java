package dev.jbox.lifecycle;

import java.time.Instant;

/**
 * Where a container is in its life, worked out afresh each time from the shim's status file and
 * /proc, never from a field someone must remember to update: so after a crash of the engine,
 * {@code ps} still tells the truth.
 */
public record ContainerState(Status status, int exitCode, Instant finishedAt) {
    // tag::states[]
    public enum Status {
        /** set up, its program not started yet */
        CREATED,
        RUNNING,
        /** ended, with an exit code */
        EXITED,
        /** gone without a recorded exit code (its shim was killed, or the start was cut short) */
        DEAD;

        public String label() {
            return name().charAt(0) + name().substring(1).toLowerCase();
        }
    }
    // end::states[]

    public boolean running() {
        return status == Status.RUNNING;
    }
}

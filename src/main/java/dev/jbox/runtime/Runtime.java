package dev.jbox.runtime;

/**
 * A way to start containers. Each chapter of the book adds one runtime, which does what
 * the previous one did plus the chapter's concern; {@code --chapter N} picks one.
 */
public interface Runtime {
    /** Starts the container's first process and returns it, running. */
    Container start(ContainerSpec spec);
}

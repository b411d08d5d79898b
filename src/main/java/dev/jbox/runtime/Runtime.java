package dev.jbox.runtime;

/**
 * A way to start containers. Each chapter of the book adds one runtime, which does what
 * the previous one did plus the chapter's concern; {@code --chapter N} picks one.
 * As in the OCI runtime spec, starting is two steps: {@link #create} sets the container up
 * and {@link Container#start} lets its program run, so the engine can wire things in between.
 */
public interface Runtime {
    Container create(ContainerSpec spec);
}

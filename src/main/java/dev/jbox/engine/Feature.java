package dev.jbox.engine;

import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.spec.ContainerSpec;
import java.util.Set;

/**
 * One concern a chapter adds to the engine: namespaces, networking, cgroups... The engine calls
 * every feature of the container's chapter at three points of its life, in the order of the
 * chapter table, and in reverse order to release.
 */
// tag::feature[]
public interface Feature {
    /** What the chapter table and error messages call it, e.g. "networking". */
    String name();

    /** The options of {@code jbox run} that need this feature; chapters without it refuse them. */
    default Set<String> options() {
        return Set.of();
    }

    /**
     * Checks the request and fills this feature's part of the spec. Nothing is made on the
     * machine yet (files in the container's own directory aside, and chapter 4's overlay, which
     * the runtime needs mounted and {@link #release} unmounts). Returns the record, with
     * whatever the feature must remember.
     */
    default ContainerRecord prepare(RunRequest request, ContainerRecord record, ContainerSpec.Builder spec) {
        return record;
    }

    /**
     * The container exists and is held before its command (its pid 1 waits for "go"): act on
     * it, e.g. plug it into a network or put it in a cgroup. Returns the record with what was made.
     */
    default ContainerRecord created(ContainerRecord record, int pid) {
        return record;
    }

    /** A process was exec'd into the running container (jbox exec): e.g. put it in the container's cgroup too. */
    default void execed(ContainerRecord record, int pid) {
    }

    /**
     * Releases what {@link #created} made. Called once the container has ended or is removed,
     * by whichever jbox command notices - perhaps long after the engine that made it was killed -
     * so it works from the record alone, and is safe to call twice.
     */
    default ContainerRecord release(ContainerRecord record) {
        return record;
    }

    /**
     * The container is being deleted (rm, --rm, a failed create), after {@link #release}.
     * {@code withVolumes}: rm -v, --rm or a failed create, when its anonymous volumes go too.
     */
    default void removed(ContainerRecord record, boolean withVolumes) {
    }
}
// end::feature[]

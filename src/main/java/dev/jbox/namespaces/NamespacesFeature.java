package dev.jbox.namespaces;

import dev.jbox.JboxException;
import dev.jbox.engine.Feature;
import dev.jbox.engine.RunRequest;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.spec.ContainerSpec;
import dev.jbox.spec.Namespace;
import java.util.EnumSet;
import java.util.Set;

/**
 * Chapter 2's namespaces and lifecycle as the engine composes them: which namespaces the
 * container gets, its host name, Docker's protected kernel paths, an init as pid 1, and the
 * options that need a container that outlives the command (-d, --rm, --name).
 */
public final class NamespacesFeature implements Feature {
    @Override
    public String name() {
        return "namespaces and the container lifecycle";
    }

    @Override
    public Set<String> options() {
        return Set.of("-d", "--detach", "--rm", "--name", "-h", "--hostname", "--init", "--namespaces");
    }

    // tag::prepare[]
    @Override
    public ContainerRecord prepare(RunRequest request, ContainerRecord record, ContainerSpec.Builder spec) {
        if (request.detach() && request.tty()) {
            throw new JboxException("-d with -t is not supported: jbox has no daemon to hold a detached container's"
                    + " terminal; drop -t (the output goes to 'jbox logs')");
        }
        Set<Namespace> namespaces = request.namespaces() == null ? EnumSet.allOf(Namespace.class) : request.namespaces();
        spec.namespaces(namespaces)
                .hostname(request.hostname() != null ? request.hostname() : record.name())
                .init(request.init())
                .terminal(request.tty())
                .readonlyPaths(RootFilesystem.READ_ONLY_PATHS)
                .maskedPaths(RootFilesystem.MASKED_PATHS);
        return record;
    }
    // end::prepare[]
}

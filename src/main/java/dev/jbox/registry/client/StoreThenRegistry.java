package dev.jbox.registry.client;

import dev.jbox.JboxException;
import dev.jbox.engine.Feature;
import dev.jbox.engine.ImageSource;
import dev.jbox.engine.PullPolicy;
import dev.jbox.image.ImageStore;
import dev.jbox.image.Reference;
import dev.jbox.image.StoredImage;
import java.util.List;
import java.util.Set;

/**
 * Chapter 5's image source: the store's image if it has it, else a pull from the registry the
 * name points to, as {@code docker run} does ({@code --pull always} asks the registry every time,
 * {@code --pull never} not at all). The pull shows its progress on stderr, so that the
 * container's own output on stdout stays clean. As a feature it owns {@code --pull}, which the
 * earlier chapters therefore refuse.
 */
public final class StoreThenRegistry implements ImageSource, Feature {
    private final ClientConfig config;
    private final Progress progress;

    /** The CLI's defaults: logins from $DOCKER_CONFIG or ~/.jbox, insecure registries from $JBOX_INSECURE_REGISTRIES. */
    public StoreThenRegistry() {
        this(ClientConfig.of(null, List.of()), Progress.forConsole(System.err));
    }

    public StoreThenRegistry(ClientConfig config, Progress progress) {
        this.config = config;
        this.progress = progress;
    }

    @Override
    public String name() {
        return "the registry";
    }

    @Override
    public Set<String> options() {
        return Set.of("--pull");
    }

    // tag::find[]
    @Override
    public StoredImage find(ImageStore store, String name, PullPolicy policy) {
        StoredImage here = policy == PullPolicy.ALWAYS ? null : store.lookup(name);
        if (here != null) {
            return here;
        }
        if (policy == PullPolicy.NEVER) {
            throw new JboxException(store.noSuchImage(name).getMessage() + "; --pull never does not fetch it: drop --pull never,"
                    + " or run 'jbox pull " + name + "' first");
        }
        Reference ref = Reference.parse(name);
        if (policy == PullPolicy.MISSING) {
            progress.line("Unable to find image '" + ref.withDefaultTag().familiar() + "' locally");
        }
        return new ImagePuller(store, config, progress, Platform.host()).pull(ref.withDefaultTag()); // docker run says no "Using default tag"
    }
    // end::find[]
}

package dev.jbox.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbox.Json;
import dev.jbox.image.Digest;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code jbox registry gc}: mark and sweep, as Distribution's collector does. Every manifest of
 * every repository marks itself, its config and its layers (an index marks its children, which
 * are manifests of the repository too); every blob left unmarked is removed, with the repository
 * links that pointed at it. It runs only while no server holds the store.
 */
public final class GarbageCollector {
    public record Result(int kept, List<Digest> removed, long bytesFreed) {
    }

    private GarbageCollector() {
    }

    public static Result collect(RegistryStore store, boolean dryRun) {
        try (StoreLock lock = StoreLock.take(store.root(), "collecting garbage")) {
            Set<Digest> marked = mark(store);
            List<Digest> unmarked = store.blobs().list().stream().filter(d -> !marked.contains(d)).sorted(
                    java.util.Comparator.comparing(Digest::toString)).toList();
            long freed = 0;
            for (Digest d : unmarked) {
                freed += Math.max(0, store.blobs().size(d));
            }
            if (!dryRun) {
                for (Repository repo : store.repositories()) {
                    for (Digest d : repo.blobs()) {
                        if (unmarked.contains(d) || !store.blobs().contains(d)) {
                            repo.unlinkBlob(d);
                        }
                    }
                }
                for (Digest d : unmarked) {
                    store.blobs().delete(d);
                }
            }
            return new Result(marked.size(), unmarked, freed);
        } catch (IOException e) {
            throw new dev.jbox.JboxException("cannot collect the registry's garbage in " + store.root() + ": " + e.getMessage());
        }
    }

    private static Set<Digest> mark(RegistryStore store) throws IOException {
        Set<Digest> marked = new HashSet<>();
        for (Repository repo : store.repositories()) {
            for (Digest manifest : repo.manifests()) {
                if (!store.blobs().contains(manifest)) {
                    continue; // a dangling revision link; nothing to keep
                }
                marked.add(manifest);
                JsonNode m = Json.mapper().readTree(store.blobs().read(manifest));
                markDescriptor(m.path("config"), marked);
                m.path("layers").forEach(d -> markDescriptor(d, marked));
                m.path("manifests").forEach(d -> markDescriptor(d, marked));
            }
        }
        return marked;
    }

    private static void markDescriptor(JsonNode descriptor, Set<Digest> marked) {
        String digest = descriptor.path("digest").asText(null);
        if (digest != null) {
            marked.add(Digest.parse(digest));
        }
    }
}

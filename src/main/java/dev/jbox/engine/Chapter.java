package dev.jbox.engine;

import dev.jbox.DataRoot;
import dev.jbox.runtime.ContainerRuntime;
import java.util.List;
import java.util.function.Function;

/**
 * The engine as it stands at the end of one chapter of the book: the runtime that isolates and
 * starts the container's process, and the features around it, in the order they act.
 *
 * @param number   the chapter ({@code jbox run --chapter N})
 * @param title    what the chapter is about
 * @param runtime  makes the runtime for a data root (chapter 2's needs jbox-init installed there)
 * @param images   how a container of an image gets its root: a plain directory, or (chapter 4) layers
 * @param source   where the image comes from: the store, or (chapter 5) the store, then the registry
 * @param features every feature of this chapter and the earlier ones
 */
public record Chapter(int number, String title, Function<DataRoot, ContainerRuntime> runtime, ImageRoot images, ImageSource source,
                      List<Feature> features) {
    public Chapter {
        features = List.copyOf(features);
    }

    /** Whether this chapter's engine has {@code feature}. */
    public boolean has(Class<? extends Feature> feature) {
        return features.stream().anyMatch(feature::isInstance);
    }
}

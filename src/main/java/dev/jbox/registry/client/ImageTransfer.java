package dev.jbox.registry.client;

import dev.jbox.image.ImageStore;
import dev.jbox.image.Reference;

/** What a pull and a push both start from: the image store, how to reach registries, and what to show. */
abstract class ImageTransfer {
    final ImageStore store;
    final ClientConfig config;
    final Progress progress;

    ImageTransfer(ImageStore store, ClientConfig config, Progress progress) {
        this.store = store;
        this.config = config;
        this.progress = progress;
    }

    /** The name with "latest" if it has neither tag nor digest, said first as Docker says it. */
    Reference withDefaultTag(Reference name) {
        if (name.tag() == null && name.digest() == null) {
            progress.line("Using default tag: " + Reference.DEFAULT_TAG);
        }
        return name.withDefaultTag();
    }
}

package dev.jbox.engine;

import dev.jbox.JboxException;
import dev.jbox.image.ImageStore;
import dev.jbox.image.StoredImage;

/**
 * Where the engine gets the image a container runs, the chapter table's answer to "what if the
 * store does not have it": chapters 1-4 take the store's images only ({@link StoreOnly});
 * chapter 5 pulls a missing one from the registry its name points to ({@code registry.client.StoreThenRegistry}).
 */
public interface ImageSource {
    /** The image {@code name} (a reference or an image id) in {@code store}, fetched first if this source does that. */
    StoredImage find(ImageStore store, String name, PullPolicy policy);

    /** Chapters 1-4: the image store and nothing else; a missing image is the user's to pull. */
    final class StoreOnly implements ImageSource {
        @Override
        public StoredImage find(ImageStore store, String name, PullPolicy policy) {
            StoredImage image = store.lookup(name);
            if (image == null) {
                throw new JboxException(store.noSuchImage(name).getMessage() + "; chapters 1-4 do not pull: run 'jbox pull "
                        + name + "' first, or use --chapter 5");
            }
            return image;
        }
    }
}

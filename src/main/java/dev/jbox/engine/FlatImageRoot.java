package dev.jbox.engine;

import dev.jbox.DataRoot;
import dev.jbox.image.ImageStore;
import dev.jbox.image.StoredImage;
import dev.jbox.layers.FlatRootfs;
import dev.jbox.runtime.RootfsCheck;
import java.nio.file.Path;

/**
 * Chapters 1-3: a container of an image runs directly on one plain directory of the image's
 * files, made once from the image's layers and shared. What one container writes, the next one
 * sees: chapter 4's layers are the cure.
 */
public final class FlatImageRoot implements ImageRoot {
    private final DataRoot root;
    private final ImageStore images;

    public FlatImageRoot(EngineContext context) {
        this.root = context.root();
        this.images = new ImageStore(context.root());
    }

    @Override
    public String name() {
        return "a plain directory per image";
    }

    @Override
    public Path rootOf(StoredImage image, Path containerDir) {
        return RootfsCheck.check(FlatRootfs.ensure(root, images, image));
    }
}

package dev.jbox.engine;

import dev.jbox.image.StoredImage;
import java.nio.file.Path;

/**
 * How a chapter's engine roots a container of an image: chapters 1-3 on a plain directory of the
 * image's files (shared by every container of it), chapter 4 on an overlay of the image's layers
 * with a writable layer of the container's own. The chapter table says which; {@code --rootfs DIR}
 * needs neither.
 */
// tag::image-root[]
public interface ImageRoot {
    /** What the chapter table and the book call it, e.g. "a plain directory per image". */
    String name();

    /**
     * The directory the spec names as the container's root. {@code containerDir} is the
     * container's own directory, or null for a chapter-1 jail, which keeps none. Nothing is
     * mounted yet: a root that must be made per container is made by a feature's prepare.
     */
    Path rootOf(StoredImage image, Path containerDir);
}
// end::image-root[]

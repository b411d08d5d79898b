package dev.jbox.image;

import java.nio.file.Path;

/** An image as the runtime sees it: a root file system and how to run it. */
public record Image(String name, Path rootfs, ImageConfig config) {
}

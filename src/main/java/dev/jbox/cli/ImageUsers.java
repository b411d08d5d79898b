package dev.jbox.cli;

import dev.jbox.image.Digest;
import dev.jbox.image.ImageStore;
import dev.jbox.lifecycle.ContainerRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which image each container runs on, as its record says (or, for an older record, the directory its spec names): what rmi and prune must spare. */
final class ImageUsers {
    private ImageUsers() {
    }

    /** Image id -> the short id of a container that uses it. */
    static Map<Digest, String> of(List<ContainerRecord> containers, ImageStore images) {
        Map<Digest, String> users = new LinkedHashMap<>();
        for (ContainerRecord c : containers) {
            Digest id = c.imageId() != null ? Digest.parse(c.imageId())
                    : c.spec() == null ? null : images.imageOfRootfs(c.spec().rootfs());
            if (id != null) {
                users.putIfAbsent(id, c.shortId());
            }
        }
        return users;
    }
}

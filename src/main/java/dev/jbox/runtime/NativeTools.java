package dev.jbox.runtime;

import dev.jbox.JboxException;
import dev.jbox.DataRoot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The small static programs built from src/main/c travel inside the jar; this puts one on
 * disk, named by its digest, so a new build never runs an old binary and a running
 * container's binary is never overwritten.
 */
public final class NativeTools {
    private NativeTools() {
    }

    public static Path path(DataRoot store, String name) {
        byte[] bytes;
        try (InputStream in = NativeTools.class.getResourceAsStream("/native/" + name)) {
            if (in == null) {
                throw new JboxException(name + " is missing from the jbox jar; rebuild it (./jbox rebuilds when sources"
                        + " change; gcc and libc6-dev must be installed: vm/provision.sh)");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new JboxException("cannot read " + name + " from the jbox jar: " + e.getMessage());
        }
        String digest = dev.jbox.Digests.sha256Hex(bytes).substring(0, 16);
        Path target = store.root().resolve("bin").resolve(name + "-" + digest);
        if (Files.isRegularFile(target)) {
            return target;
        }
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "." + name, ".tmp");
            try {
                Files.write(tmp, bytes);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r-xr-xr-x"));
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // another jbox put the same bytes there first
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new JboxException("cannot install " + name + " into " + target.getParent() + ": " + e.getMessage());
        }
        return target;
    }
}

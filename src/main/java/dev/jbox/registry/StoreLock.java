package dev.jbox.registry;

import dev.jbox.JboxException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Only one of {@code registry serve} and {@code registry gc} may work on a store at a time: a
 * collector running beside a push would sweep the layers that the manifest still to come will
 * name (Distribution asks for read-only mode during its gc for the same reason). Fails at once
 * rather than waiting, with a line that says what holds the store.
 */
final class StoreLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static StoreLock take(Path root, String purpose) {
        Path file = root.resolve("registry.lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(root);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new StoreLock(channel, lock);
            }
        } catch (OverlappingFileLockException heldHere) {
            // held by this very process: the same answer as for another one
        } catch (IOException e) {
            throw new JboxException("cannot lock the registry store " + root + ": " + e.getMessage());
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // only the lock matters here
        }
        throw new JboxException("the registry store " + root + " is in use by another 'jbox registry' (serve or gc): stop it before "
                + purpose + ", or use another --root");
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new JboxException("cannot unlock the registry store: " + e.getMessage());
        }
    }
}

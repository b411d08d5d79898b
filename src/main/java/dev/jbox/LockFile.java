package dev.jbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises changes to a piece of the store (a network, the container list) between jbox
 * processes (an fcntl lock on a file) and between threads of this one (the file lock is per
 * process, and Java refuses to take it twice). Re-entrant, so an allocation made while attaching
 * takes the lock it already holds. There is no daemon: this lock is what orders two commands.
 */
public final class LockFile implements AutoCloseable {
    private static final Map<Path, ReentrantLock> THREADS = new ConcurrentHashMap<>();
    private static final Map<Path, FileChannel> FILES = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantLock lock;

    private LockFile(Path file, ReentrantLock lock) {
        this.file = file;
        this.lock = lock;
    }

    public static LockFile acquire(Path file) {
        Path key = file.toAbsolutePath().normalize();
        ReentrantLock lock = THREADS.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        if (lock.getHoldCount() == 1) {
            try {
                Files.createDirectories(key.getParent());
                FileChannel channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                channel.lock();
                FILES.put(key, channel);
            } catch (IOException e) {
                lock.unlock();
                throw new JboxException("cannot lock " + key + ": " + e.getMessage());
            }
        }
        return new LockFile(key, lock);
    }

    @Override
    public void close() {
        try {
            if (lock.getHoldCount() == 1) {
                FileChannel channel = FILES.remove(file);
                if (channel != null) {
                    channel.close(); // releases the fcntl lock
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlock " + file, e);
        } finally {
            lock.unlock();
        }
    }
}

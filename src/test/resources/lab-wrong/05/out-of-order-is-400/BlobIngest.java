package dev.jbox.registry;

import dev.jbox.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The bytes of one blob upload on their way in, and what a registry must never trust about them:
 * not the client's digest, not its Content-Range, not its Content-Length. The bytes go to an ingest
 * file and through a SHA-256 as they arrive, so the end of the upload costs no second read of the
 * blob; the digest the client names at the end is compared with what arrived, and only then is the
 * file handed over to become the blob. Lab 5 has the student write {@link #append} and
 * {@link #commit}.
 */
public final class BlobIngest {
    private static final int BUFFER = 256 * 1024;

    private final Path file;
    private final FileChannel channel;
    private MessageDigest sha256 = newSha256();
    private long size;
    private boolean closed;

    /** What the store does with verified content: rename the ingest file to the blob's name. */
    @FunctionalInterface
    public interface Commit {
        void accept(Path verified, Digest digest) throws IOException;
    }

    /** {@code file} exists and is empty; the ingest writes it and nothing else reads it until {@link #commit}. */
    public BlobIngest(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.WRITE);
    }

    /** How many bytes the upload holds: where the next chunk must start. */
    public synchronized long size() {
        return size;
    }

    /**
     * Appends a request body (a PATCH's chunk, or the body of the closing PUT or a monolithic POST).
     * {@code start} is where its Content-Range says it begins (-1: the request had none, the bytes
     * follow what arrived); {@code length} is the length it announced (-1: unknown).
     * <ul>
     * <li>A chunk that does not start where the upload ends (a gap, or an overlap) is refused before
     * a byte is read: {@link RegistryError} BLOB_UPLOAD_INVALID with status 416.
     * <li>Every byte that arrives is written at the end of the file and goes through the hash.
     * <li>A chunk that carried more or fewer bytes than it announced is refused: SIZE_INVALID.
     * <li>A chunk is all or nothing: when it is refused, or the body fails mid-way (the client died),
     * the file, the size and the hash go back to where the chunk began, so the client can send it again.
     * </ul>
     * Returns the new size.
     */
    public synchronized long append(InputStream body, long start, long length) throws IOException {
        requireOpen();
        if (start >= 0 && start != size) {
            throw new RegistryError(ErrorCode.BLOB_UPLOAD_INVALID,
                    "chunk starts at " + start + " but the upload holds " + size + " bytes: send the chunk that starts at " + size);
        }
        long begin = size;
        MessageDigest before = copy(sha256);
        try {
            byte[] buf = new byte[BUFFER];
            // Fill the buffer before each write: the socket hands over a few kB per read, and a
            // write per read would cost a system call per packet.
            for (int n; (n = body.readNBytes(buf, 0, buf.length)) > 0; ) {
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    size += channel.write(bb, size);
                }
                sha256.update(buf, 0, n);
            }
            if (length >= 0 && size - begin != length) {
                throw new RegistryError(ErrorCode.SIZE_INVALID, "the chunk announced " + length + " bytes but carried "
                        + (size - begin));
            }
        } catch (IOException | RuntimeException e) {
            channel.truncate(begin);
            size = begin;
            sha256 = before;
            throw e;
        }
        return size;
    }

    /**
     * Ends the upload. The digest of exactly the bytes that arrived must be {@code expected}
     * (sha256 from the running hash; another algorithm by reading the file again). If it is, the
     * ingest closes and hands the file to {@code target}, once: from then on it is the blob, visible
     * to every reader. If it is not, {@code target} is never called, the file is deleted and
     * {@link RegistryError} DIGEST_INVALID says what arrived. Either way the ingest is closed.
     */
    public synchronized void commit(Digest expected, Commit target) throws IOException {
        requireOpen();
        closed = true;
        channel.close();
        Digest actual = expected.algorithm().equals("sha256")
                ? new Digest("sha256", HexFormat.of().formatHex(sha256.digest()))
                : hashFile(expected.algorithm());
        if (!actual.equals(expected)) {
            Files.deleteIfExists(file);
            throw new RegistryError(ErrorCode.DIGEST_INVALID, "the uploaded content has digest " + actual + ", not " + expected);
        }
        target.accept(file, expected);
    }

    /** Ends the upload without a blob: the file is removed. */
    public synchronized void discard() throws IOException {
        closed = true;
        channel.close();
        Files.deleteIfExists(file);
    }

    /** Stops writing and keeps the file as it is: the registry stops, and the next one may resume the upload. */
    public synchronized void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing is buffered: a FileChannel writes straight to the file
        }
    }

    private Digest hashFile(String algorithm) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Digest.of(algorithm, in);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new RegistryError(ErrorCode.BLOB_UPLOAD_UNKNOWN, "the upload has ended");
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A copy of the hash state, to go back to if a chunk fails. */
    private static MessageDigest copy(MessageDigest md) {
        try {
            return (MessageDigest) md.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }
}

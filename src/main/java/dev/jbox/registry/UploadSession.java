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
import java.time.Instant;
import java.util.HexFormat;

/**
 * One blob upload in progress: the state Distribution keeps between the requests of a push. Its
 * bytes go to an ingest file and through a SHA-256 as they arrive, so closing the session costs no
 * second read of the blob. A chunk is all or nothing: if the client dies mid-chunk, or the chunk
 * is not the length it announced, the file and the hash go back to where the chunk began, and the
 * client can send it again.
 */
final class UploadSession {
    private static final int BUFFER = 256 * 1024;

    private final String id;
    private final RepositoryName repository;
    private final Path file;
    private final FileChannel channel;
    private MessageDigest sha256 = newSha256();
    private long offset;
    private volatile Instant touched = Instant.now();
    private boolean closed;

    UploadSession(String id, RepositoryName repository, Path file) throws IOException {
        this.id = id;
        this.repository = repository;
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.WRITE);
    }

    String id() {
        return id;
    }

    RepositoryName repository() {
        return repository;
    }

    Instant touched() {
        return touched;
    }

    synchronized long offset() {
        return offset;
    }

    /**
     * Appends a request body. {@code start} is where a chunked PATCH says it begins (-1 for a
     * streamed one) and {@code length} what it announced (-1 if unknown).
     */
    synchronized long append(InputStream body, long start, long length) throws IOException {
        requireOpen();
        if (start >= 0 && start != offset) {
            throw new RegistryError(ErrorCode.BLOB_UPLOAD_INVALID, 416,
                    "chunk starts at " + start + " but the upload holds " + offset + " bytes: send the chunk that starts at " + offset);
        }
        touched = Instant.now();
        long begin = offset;
        MessageDigest before = clone(sha256);
        try {
            byte[] buf = new byte[BUFFER];
            // Fill the buffer before each write: the socket hands over a few kB per read, and a
            // write per read would cost a system call per packet.
            for (int n; (n = body.readNBytes(buf, 0, buf.length)) > 0; ) {
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    offset += channel.write(bb, offset);
                }
                sha256.update(buf, 0, n);
            }
            if (length >= 0 && offset - begin != length) {
                throw new RegistryError(ErrorCode.SIZE_INVALID, "the chunk announced " + length + " bytes but carried "
                        + (offset - begin));
            }
        } catch (IOException | RuntimeException e) {
            channel.truncate(begin);
            offset = begin;
            sha256 = before;
            throw e;
        } finally {
            touched = Instant.now();
        }
        return offset;
    }

    /**
     * Ends the upload: the digest of what arrived must be {@code expected}, or nothing becomes
     * visible and the session is gone. Returns the verified ingest file, for the store to commit.
     */
    synchronized Path finish(Digest expected) throws IOException {
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
        return file;
    }

    private Digest hashFile(String algorithm) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Digest.of(algorithm, in);
        }
    }

    synchronized void discard() throws IOException {
        closed = true;
        channel.close();
        Files.deleteIfExists(file);
    }

    private void requireOpen() {
        if (closed) {
            throw new RegistryError(ErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + id + " has ended");
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static MessageDigest clone(MessageDigest md) {
        try {
            return (MessageDigest) md.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }
}

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
 *
 * <p>Beside the data a small state file ({@code ID.state}: the repository and the offset of the
 * last whole chunk) is rewritten after every chunk, so a registry restarted mid-push takes the
 * session up again where the client's last acknowledged chunk ended ({@link #restore}); bytes of a
 * chunk the old process was writing when it died are cut off. The hash cannot be saved cheaply,
 * so a restored session reads its data once to rebuild it, at its next request.
 */
final class UploadSession {
    private static final int BUFFER = 256 * 1024;

    private final String id;
    private final RepositoryName repository;
    private final Path file;
    private final Path state;
    private final FileChannel channel;
    private MessageDigest sha256; // null: a restored session, hashed again before its next byte
    private long offset;
    private volatile Instant touched = Instant.now();
    private boolean closed;

    /** A new session, its data in {@code file} (empty), its state beside it. */
    UploadSession(String id, RepositoryName repository, Path file) throws IOException {
        this(id, repository, file, 0, newSha256());
        saveState();
    }

    private UploadSession(String id, RepositoryName repository, Path file, long offset, MessageDigest sha256) throws IOException {
        this.id = id;
        this.repository = repository;
        this.file = file;
        this.state = stateOf(file);
        this.offset = offset;
        this.sha256 = sha256;
        this.channel = FileChannel.open(file, StandardOpenOption.WRITE);
    }

    /** Where the state of the session whose data is {@code file} is kept. */
    static Path stateOf(Path file) {
        String name = file.getFileName().toString();
        return file.resolveSibling(name.substring(0, name.length() - ".data".length()) + ".state");
    }

    /**
     * The session a previous registry process left in {@code stateFile}, or null (and both files
     * removed) when its state or data is missing or unreadable: the client then starts again.
     */
    static UploadSession restore(Path stateFile) throws IOException {
        String name = stateFile.getFileName().toString();
        Path data = stateFile.resolveSibling(name.substring(0, name.length() - ".state".length()) + ".data");
        try {
            java.util.Properties p = new java.util.Properties();
            try (InputStream in = Files.newInputStream(stateFile)) {
                p.load(in);
            }
            long offset = Long.parseLong(p.getProperty("offset"));
            if (Files.size(data) < offset) {
                throw new IOException("the data is shorter than the state says");
            }
            UploadSession s = new UploadSession(p.getProperty("id"), new RepositoryName(p.getProperty("repository")), data, offset, null);
            s.channel.truncate(offset); // the chunk being written when the process died was never acknowledged
            s.touched = Files.getLastModifiedTime(stateFile).toInstant();
            return s;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(data);
            Files.deleteIfExists(stateFile);
            return null;
        }
    }

    String id() {
        return id;
    }

    RepositoryName repository() {
        return repository;
    }

    Path file() {
        return file;
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
        rehashIfRestored();
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
        saveState();
        return offset;
    }

    /** The state file, replaced whole (written beside, then renamed) so a crash leaves the old one or the new. */
    private void saveState() throws IOException {
        Path tmp = state.resolveSibling(state.getFileName() + ".tmp");
        Files.writeString(tmp, "id=" + id + "\nrepository=" + repository + "\noffset=" + offset + "\n");
        Files.move(tmp, state, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private void rehashIfRestored() throws IOException {
        if (sha256 == null) {
            MessageDigest md = newSha256();
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[BUFFER];
                long left = offset;
                for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; left -= n) {
                    md.update(buf, 0, n);
                }
            }
            sha256 = md;
        }
    }

    /**
     * Ends the upload: the digest of what arrived must be {@code expected}, or nothing becomes
     * visible and the session is gone. Returns the verified ingest file, for the store to commit.
     */
    synchronized Path finish(Digest expected) throws IOException {
        requireOpen();
        rehashIfRestored();
        closed = true;
        channel.close();
        Files.deleteIfExists(state);
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

    /** Stops using the session's files and keeps them, state included (the registry stops). */
    synchronized void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was buffered: FileChannel writes go straight to the file
        }
    }

    synchronized void discard() throws IOException {
        closed = true;
        channel.close();
        Files.deleteIfExists(file);
        Files.deleteIfExists(state);
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

package dev.jbox.image;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.jbox.JboxException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A content address as the OCI image spec writes it, {@code algorithm:hex}: the name of a blob is
 * the hash of its bytes, so whoever holds the name can check the bytes. A validated value type
 * (as Jib's DescriptorDigest): a string that is not a digest never gets this far.
 */
public record Digest(String algorithm, String hex) {
    /** The algorithms the OCI image spec registers, with the length of their hex encoding. */
    private static final Map<String, Integer> HEX_LENGTH = Map.of("sha256", 64, "sha512", 128);
    private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

    public Digest {
        Integer length = HEX_LENGTH.get(algorithm);
        if (length == null) {
            throw new JboxException("unsupported digest algorithm '" + algorithm + "': use sha256 or sha512");
        }
        if (hex == null || hex.length() != length || !HEX.matcher(hex).matches()) {
            throw new JboxException("invalid " + algorithm + " digest '" + algorithm + ":" + hex + "': it needs "
                    + length + " lower-case hex digits");
        }
    }

    /** Parses {@code sha256:<64 hex>} (or sha512), with an error that names the text. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Digest parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0) {
            throw new JboxException("invalid digest '" + text + "': expected sha256:<64 hex digits>");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static Digest sha256(byte[] bytes) {
        MessageDigest md = messageDigest("sha256");
        return new Digest("sha256", HexFormat.of().formatHex(md.digest(bytes)));
    }

    /** The digest of everything read through {@link Hashing#in}, available once the stream is read. */
    public static Hashing hashing(String algorithm, InputStream in) {
        return new Hashing(algorithm, in);
    }

    /** Reads a stream through and names its content: for blobs too big to hold in memory. */
    public static Digest of(String algorithm, InputStream in) throws IOException {
        Hashing h = hashing(algorithm, in);
        h.in().transferTo(java.io.OutputStream.nullOutputStream());
        return h.digest();
    }

    static MessageDigest messageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha512") ? "SHA-512" : "SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + algorithm, e);
        }
    }

    /** The blob's file name below {@code blobs/}: {@code sha256/<hex>}, as the OCI image layout stores it. */
    public String path() {
        return algorithm + "/" + hex;
    }

    /** The first 12 hex digits, as {@code docker images} shows an id. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    /** In JSON a digest is its text, as descriptors and rootfs.diff_ids write it. */
    @JsonValue
    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    /** A stream that hashes what passes through it. */
    public static final class Hashing {
        private final String algorithmName;
        private final MessageDigest md;
        private final InputStream in;
        private long size;

        private Hashing(String algorithm, InputStream source) {
            this.algorithmName = algorithm;
            this.md = messageDigest(algorithm);
            this.in = new FilterInputStream(source) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        md.update((byte) b);
                        size++;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    if (n > 0) {
                        md.update(buf, off, n);
                        size += n;
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    // Skipped bytes must be hashed too, or the digest would name other content.
                    return read(new byte[(int) Math.min(n, 8192)], 0, (int) Math.min(n, 8192));
                }

                @Override
                public boolean markSupported() {
                    return false;
                }
            };
        }

        public InputStream in() {
            return in;
        }

        public long size() {
            return size;
        }

        /** The digest of the bytes read so far (call it once the stream is read to its end). */
        public Digest digest() {
            return new Digest(algorithmName, HexFormat.of().formatHex(md.digest()));
        }
    }
}

package dev.jbox.registry;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a blob GET ({@code Range: bytes=first-last}, {@code bytes=first-} or the
 * suffix {@code bytes=-count}), what a client resuming a broken download sends. Several ranges in
 * one header, or a header that is not bytes, are ignored as HTTP allows: the whole blob is sent.
 */
record ByteRange(long first, long last) {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    long length() {
        return last - first + 1;
    }

    /**
     * The range to send of a blob of {@code size} bytes: empty for the whole blob; a range that
     * starts past the end is a RegistryError with status 416, as HTTP wants.
     */
    static Optional<ByteRange> of(String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = SINGLE.matcher(header.strip());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        try {
            if (m.group(1).isEmpty()) {
                long count = Long.parseLong(m.group(2));
                if (count == 0 || size == 0) {
                    throw unsatisfiable(header, size);
                }
                return Optional.of(new ByteRange(Math.max(0, size - count), size - 1));
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (first >= size || last < first) {
                throw unsatisfiable(header, size);
            }
            return Optional.of(new ByteRange(first, last));
        } catch (NumberFormatException tooBig) {
            throw unsatisfiable(header, size);
        }
    }

    private static RegistryError unsatisfiable(String header, long size) {
        return new RegistryError(ErrorCode.BLOB_UNKNOWN, 416, "range '" + header + "' is outside the blob's " + size + " bytes");
    }
}

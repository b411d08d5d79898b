package dev.jbox.layers;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * The exact bytes of the extended attributes a layer carries in its PAX records
 * ({@code SCHILY.xattr.NAME=VALUE}). A value is any bytes: the file capability {@code setcap}
 * writes ({@code security.capability}) is binary, and Go's archive/tar, GNU tar and containerd
 * store it as it is. The tar library decodes every PAX value as UTF-8 and encodes it back the same
 * way, which mangles such a value; so these streams follow the tar as it passes, block by block,
 * and read (or write) those records themselves. Everything else stays the library's.
 */
final class TarXattrs {
    static final String PREFIX = "SCHILY.xattr.";
    private static final int BLOCK = 512;

    private TarXattrs() {
    }

    /** Under a TarArchiveInputStream: the raw extended attributes of the entry it read last. */
    static final class Reading extends FilterInputStream {
        private final Walker walker = new Walker(null);
        private boolean lost; // the walk met what it does not know: no entry's attributes are trusted after that

        Reading(InputStream in) {
            super(in);
        }

        /**
         * The extended attributes of {@code e}, the entry the library has just read, as bytes. They
         * must be those the library decoded (same names, same text): anything else means this
         * stream lost its way in the tar, and the layer is refused rather than unpacked wrong.
         */
        Map<String, byte[]> of(TarArchiveEntry e) {
            Map<String, byte[]> raw = lost ? Map.of() : walker.lastEntry;
            Map<String, String> decoded = new TreeMap<>();
            e.getExtraPaxHeaders().forEach((k, v) -> {
                if (k.startsWith(PREFIX)) {
                    decoded.put(k.substring(PREFIX.length()), v);
                }
            });
            Map<String, String> again = new TreeMap<>();
            raw.forEach((k, v) -> again.put(k, new String(v, StandardCharsets.UTF_8)));
            if (!again.equals(decoded)) {
                throw new IllegalArgumentException("has PAX extended attributes jbox could not read exactly");
            }
            return raw;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0 && !lost) {
                try {
                    walker.feed(b, off, n);
                } catch (RuntimeException e) {
                    lost = true; // the library judges the tar itself; an entry with attributes is refused in of()
                }
            }
            return n;
        }

        /** Skipped bytes are read, so that the walk sees them. */
        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(n, 1 << 16)];
            long done = 0;
            while (done < n) {
                int r = read(buffer, 0, (int) Math.min(buffer.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    /**
     * Under a TarArchiveOutputStream: an entry's attribute goes to the library as a placeholder
     * ({@link #placeholder}), and this stream writes the real bytes in its place, with the PAX
     * header's size and checksum made right.
     */
    static final class Writing extends FilterOutputStream {
        private final Walker walker;
        private final Map<Integer, byte[]> values = new HashMap<>();
        private int next;

        Writing(OutputStream out) {
            super(out);
            this.walker = new Walker(this);
        }

        /** The text to give the library for {@code value}; every SCHILY.xattr value must be one. */
        String placeholder(byte[] value) {
            values.put(next, value.clone());
            return Integer.toString(next++);
        }

        private byte[] take(String placeholder) {
            byte[] v = values.remove(Integer.parseInt(placeholder));
            if (v == null) {
                throw new IllegalStateException("an extended attribute was given to the tar without a placeholder");
            }
            return v;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            walker.feed(b, off, len);
        }

        private void pass(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }
    }

    /** Follows a tar block by block: where each header, PAX record set and entry's data are. */
    private static final class Walker {
        private final Writing rewrite; // null: only read
        private final byte[] block = new byte[BLOCK];
        private int filled;
        private long dataLeft; // bytes of data (with padding) before the next header
        private ByteArrayOutputStream pax; // the data of the 'x' or 'g' header being passed, or null
        private boolean paxGlobal;
        private final Map<String, byte[]> global = new LinkedHashMap<>(); // 'g' records: for every later entry
        private byte[] paxHeader;
        private long paxSize;
        private boolean sparseBlocks; // old GNU sparse: extension blocks follow the header
        private long sparseSize;
        private Map<String, byte[]> pending = Map.of();
        private long pendingSize = -1;
        Map<String, byte[]> lastEntry = Map.of();

        Walker(Writing rewrite) {
            this.rewrite = rewrite;
        }

        void feed(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (dataLeft > 0) {
                    int n = (int) Math.min(dataLeft, len);
                    if (pax != null) {
                        pax.write(b, off, n);
                    } else if (rewrite != null) {
                        rewrite.pass(b, off, n);
                    }
                    dataLeft -= n;
                    off += n;
                    len -= n;
                    if (dataLeft == 0 && pax != null) {
                        paxDone();
                    }
                    continue;
                }
                int n = Math.min(BLOCK - filled, len);
                System.arraycopy(b, off, block, filled, n);
                filled += n;
                off += n;
                len -= n;
                if (filled == BLOCK) {
                    filled = 0;
                    header();
                }
            }
        }

        private void header() throws IOException {
            if (sparseBlocks) {
                sparseBlocks = block[504] != 0;
                emit(block);
                dataLeft = sparseBlocks ? 0 : padded(sparseSize);
                return;
            }
            boolean zero = true;
            for (byte x : block) {
                zero &= x == 0;
            }
            if (zero) {
                emit(block); // the end of the archive
                return;
            }
            if (number(block, 148, 8) != checksum(block)) {
                throw new IllegalArgumentException("a tar header with a bad checksum"); // not where a header is: lost
            }
            byte type = block[156];
            long size = number(block, 124, 12);
            switch (type) {
                case 'x', 'g' -> {
                    paxGlobal = type == 'g';
                    paxHeader = block.clone();
                    paxSize = size;
                    pax = new ByteArrayOutputStream();
                    dataLeft = padded(size);
                    if (dataLeft == 0) {
                        paxDone();
                    }
                }
                case 'L', 'K' -> { // a GNU long name: the entry's own records wait
                    emit(block);
                    dataLeft = padded(size);
                }
                default -> {
                    size = pendingSize >= 0 ? pendingSize : size;
                    Map<String, byte[]> all = new LinkedHashMap<>(global);
                    all.putAll(pending);
                    lastEntry = all;
                    pending = Map.of();
                    pendingSize = -1;
                    emit(block);
                    if (type == 'S' && block[482] != 0) {
                        sparseBlocks = true;
                        sparseSize = size;
                    } else {
                        dataLeft = padded(size);
                    }
                }
            }
        }

        /** The records of an 'x' header: the entry's attributes as bytes; rewritten if writing. */
        private void paxDone() throws IOException {
            byte[] data = Arrays.copyOf(pax.toByteArray(), Math.toIntExact(paxSize));
            pax = null;
            Map<String, byte[]> records = records(data);
            Map<String, byte[]> xattrs = new LinkedHashMap<>();
            ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
            for (Map.Entry<String, byte[]> r : records.entrySet()) {
                byte[] value = r.getValue();
                if (r.getKey().startsWith(PREFIX)) {
                    if (rewrite != null) {
                        value = rewrite.take(new String(value, StandardCharsets.UTF_8));
                    }
                    xattrs.put(r.getKey().substring(PREFIX.length()), value);
                } else if (r.getKey().equals("size")) {
                    pendingSize = Long.parseLong(new String(value, StandardCharsets.US_ASCII).strip());
                }
                rewritten.writeBytes(record(r.getKey(), value));
            }
            if (paxGlobal) {
                global.putAll(xattrs);
                pendingSize = -1;
            } else {
                pending = xattrs;
            }
            if (rewrite != null) {
                byte[] body = rewritten.toByteArray();
                setSize(paxHeader, body.length);
                emit(paxHeader);
                rewrite.pass(body, 0, body.length);
                rewrite.pass(new byte[(int) (padded(body.length) - body.length)], 0, (int) (padded(body.length) - body.length));
            }
        }

        private void emit(byte[] b) throws IOException {
            if (rewrite != null) {
                rewrite.pass(b, 0, BLOCK);
            }
        }
    }

    /** PAX records "LEN KEY=VALUE\n", LEN counting the whole record in bytes; a value is any bytes. */
    static Map<String, byte[]> records(byte[] data) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        int at = 0;
        while (at < data.length) {
            int space = at;
            while (space < data.length && data[space] >= '0' && data[space] <= '9') {
                space++;
            }
            if (space == at || space >= data.length || data[space] != ' ' || space - at > 9) {
                throw bad();
            }
            int len = Integer.parseInt(new String(data, at, space - at, StandardCharsets.US_ASCII));
            int end = at + len;
            if (end > data.length || end <= space + 1 || data[end - 1] != '\n') {
                throw bad();
            }
            int eq = space + 1;
            while (eq < end - 1 && data[eq] != '=') {
                eq++;
            }
            if (data[eq] != '=') {
                throw bad();
            }
            String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
            out.put(key, Arrays.copyOfRange(data, eq + 1, end - 1)); // a later record of a key wins, as in the library
            at = end;
        }
        return out;
    }

    private static IllegalArgumentException bad() {
        return new IllegalArgumentException("has a malformed PAX header");
    }

    /** One record; its length counts its own digits. */
    static byte[] record(String key, byte[] value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int body = 1 + k.length + 1 + value.length + 1; // " " key "=" value "\n"
        int len = body + Integer.toString(body).length();
        if (Integer.toString(len).length() != Integer.toString(body).length()) {
            len++;
        }
        ByteArrayOutputStream r = new ByteArrayOutputStream(len);
        r.writeBytes((len + " " + key + "=").getBytes(StandardCharsets.UTF_8));
        r.writeBytes(value);
        r.write('\n');
        return r.toByteArray();
    }

    private static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    /** A numeric header field: octal text, or base-256 when the first byte's high bit is set (GNU, star). */
    private static long number(byte[] h, int off, int len) {
        if ((h[off] & 0x80) != 0) {
            long v = h[off] & 0x7f;
            for (int i = off + 1; i < off + len; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        }
        long v = 0;
        for (int i = off; i < off + len && h[i] != 0; i++) {
            if (h[i] >= '0' && h[i] <= '7') {
                v = v * 8 + (h[i] - '0');
            } else if (h[i] != ' ') {
                throw new IllegalArgumentException("a tar header has a bad number field");
            }
        }
        return v;
    }

    /** The sum of a header's bytes, its checksum field counted as spaces. */
    private static long checksum(byte[] h) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xff;
        }
        return sum;
    }

    /** The size field (11 octal digits) and the checksum made again, as the header's writer would. */
    private static void setSize(byte[] h, long size) {
        byte[] digits = String.format("%011o", size).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, h, 124, 11);
        h[135] = 0;
        byte[] check = String.format("%06o", checksum(h)).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(check, 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
    }
}

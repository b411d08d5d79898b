package dev.jbox.vm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.SingleXZInputStream;

/**
 * Gets the uncompressed kernel ELF out of a bzImage. QEMU boots an ELF {@code vmlinux}
 * through its PVH entry point directly in 32-bit mode; a bzImage instead goes through the
 * real-mode setup code and then decompresses itself, which under TCG (no KVM) is slow:
 * about 2 s against 5 s here (DESIGN.md section 3).
 *
 * <p>The x86 boot protocol (2.08 and later) says where the compressed payload is:
 * {@code payload_offset} and {@code payload_length} in the setup header, counted from the
 * start of the protected-mode code. That is exact, so we read it instead of scanning for a
 * magic number as the kernel's own scripts/extract-vmlinux does; the magic then only tells
 * the compression, and is checked.
 */
public final class Vmlinux {
    private static final int SETUP_SECTS = 0x1f1;
    private static final int HEADER_MAGIC = 0x202; // "HdrS"
    private static final int PROTOCOL_VERSION = 0x206;
    private static final int PAYLOAD_OFFSET = 0x248;
    private static final int PAYLOAD_LENGTH = 0x24c;

    private Vmlinux() {
    }

    /** Writes the ELF inside {@code bzImage} to {@code out} (atomically: a half-written file never has the name). */
    public static void extract(Path bzImage, Path out) throws IOException {
        byte[] image = Files.readAllBytes(bzImage);
        ByteBuffer header = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        if (image.length < 0x260 || header.getInt(HEADER_MAGIC) != 0x53726448) {
            throw new VmException(bzImage + " is not an x86 bzImage (no HdrS setup header)");
        }
        int protocol = header.getShort(PROTOCOL_VERSION) & 0xffff;
        if (protocol < 0x208) {
            throw new VmException(bzImage + " uses boot protocol " + Integer.toHexString(protocol)
                    + ", older than 2.08, which does not say where its payload is; use a kernel from 2.6.30 on");
        }
        int setupSectors = image[SETUP_SECTS] == 0 ? 4 : image[SETUP_SECTS] & 0xff;
        int start = (setupSectors + 1) * 512 + header.getInt(PAYLOAD_OFFSET);
        int length = header.getInt(PAYLOAD_LENGTH);
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (InputStream payload = decompressor(bzImage, new ByteArrayInputStream(image, start, length), image, start);
             OutputStream to = Files.newOutputStream(tmp)) {
            payload.transferTo(to);
        }
        byte[] elf = new byte[4];
        try (InputStream in = Files.newInputStream(tmp)) {
            if (in.readNBytes(elf, 0, 4) != 4 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F') {
                Files.delete(tmp);
                throw new VmException("the payload of " + bzImage + " did not decompress to an ELF file");
            }
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static InputStream decompressor(Path bzImage, InputStream payload, byte[] image, int at) throws IOException {
        if (startsWith(image, at, 0xfd, '7', 'z', 'X', 'Z', 0)) {
            // One stream only: the build appends the uncompressed size after it, which a
            // multi-stream reader would take for a broken second stream.
            return new SingleXZInputStream(payload);
        }
        if (startsWith(image, at, 0x1f, 0x8b)) {
            return new GZIPInputStream(payload);
        }
        throw new VmException("the kernel payload of " + bzImage + " starts with "
                + String.format("%02x %02x %02x %02x", image[at], image[at + 1], image[at + 2], image[at + 3])
                + ", which is neither xz nor gzip; boot the bzImage instead (--image bzimage)");
    }

    private static boolean startsWith(byte[] data, int at, int... magic) {
        for (int i = 0; i < magic.length; i++) {
            if (at + i >= data.length || (data[at + i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}

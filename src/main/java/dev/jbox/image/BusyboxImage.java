package dev.jbox.image;

import dev.jbox.JboxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The built-in image: a real single-layer OCI image made from the machine's own statically linked
 * busybox, so the first run needs no network. One binary, a symbolic link per applet, the
 * directories a shell expects, {@code /etc/passwd} and {@code /etc/group}. Built reproducibly:
 * the same busybox gives the same layer, config and manifest digests on every machine.
 *
 * <p>The layer is an uncompressed tar. It never leaves this machine as it is (save and push can
 * compress on the way), so gzip would only cost CPU at every build and unpack, and tie the digest
 * to one deflate implementation; uncompressed, its digest is also its diff id.
 */
public final class BusyboxImage {
    private static final List<String> CANDIDATES = List.of("/bin/busybox", "/usr/bin/busybox");
    private static final List<String> DIRS = List.of("bin", "sbin", "usr/bin", "usr/sbin", "etc", "dev",
            "proc", "sys", "root", "home", "var", "run", "tmp");

    /** The layer, the config and the manifest, as bytes: what the store keeps. */
    record Built(byte[] layer, byte[] config, byte[] manifest) {
    }

    private BusyboxImage() {
    }

    /** The image's blobs, from {@code busybox}, every time set to {@code epoch}. */
    // tag::busybox-image[]
    static Built build(Path busybox, Instant epoch) {
        try {
            LayerWriter layer = new LayerWriter(epoch);
            for (String d : DIRS) {
                layer.directory(d, d.equals("tmp") ? 01777 : d.equals("root") ? 0700 : 0755);
            }
            layer.file("bin/busybox", 0755, busybox);
            for (String applet : applets(busybox)) {
                if (!applet.equals("bin/busybox")) {
                    layer.symlink(applet, "/bin/busybox");
                }
            }
            layer.file("etc/passwd", 0644, ("root:x:0:0:root:/root:/bin/sh\n"
                    + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n").getBytes(StandardCharsets.UTF_8));
            layer.file("etc/group", 0644, "root:x:0:\nnogroup:x:65534:\n".getBytes(StandardCharsets.UTF_8));
            // Empty, as in Docker's images: each container gets its own, bind-mounted over these.
            for (String f : List.of("etc/hosts", "etc/hostname", "etc/resolv.conf")) {
                layer.file(f, 0644, new byte[0]);
            }
            byte[] tar = layer.toBytes();
            Digest diffId = Digest.sha256(tar);
            String created = DateTimeFormatter.ISO_INSTANT.format(epoch);
            ConfigFile config = new ConfigFile(created, null, architecture(), "linux",
                    new ConfigFile.Config(null, null, List.of(ImageConfig.DEFAULT_PATH), null, List.of("sh"),
                            null, null, null, null),
                    ConfigFile.RootFs.layers(List.of(diffId)),
                    List.of(new ConfigFile.History(created, "jbox: " + version(busybox)
                            + " (busybox-static) and a link per applet", null, null, false)));
            byte[] configBytes = OciJson.bytes(config);
            Manifest manifest = Manifest.oci(
                    new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(configBytes), configBytes.length),
                    List.of(new Descriptor(MediaTypes.OCI_LAYER, diffId, tar.length)));
            return new Built(tar, configBytes, OciJson.bytes(manifest));
        } catch (IOException e) {
            throw new JboxException("cannot build the busybox image from " + busybox + ": " + e.getMessage());
        }
    }
    // end::busybox-image[]

    /** SOURCE_DATE_EPOCH if set (the reproducible-builds convention), else the epoch itself. */
    static Instant sourceDateEpoch() {
        String env = System.getenv("SOURCE_DATE_EPOCH");
        if (env == null || env.isBlank()) {
            return Instant.EPOCH;
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(env.strip()));
        } catch (NumberFormatException e) {
            throw new JboxException("SOURCE_DATE_EPOCH='" + env + "' is not a number of seconds; unset it or set"
                    + " it to e.g. $(git log -1 --format=%ct)");
        }
    }

    /** The OCI (Go) name of this machine's architecture. */
    public static String architecture() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }

    /** "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1)": the first line busybox prints about itself. */
    private static String version(Path busybox) throws IOException {
        String out = run(busybox, "--help");
        return out.lines().findFirst().orElse("BusyBox").replaceAll(" multi-call binary\\.?$", "").strip();
    }

    /** {@code busybox --list-full} names every applet with its directory, e.g. "bin/sh" and "usr/bin/env". */
    private static List<String> applets(Path busybox) throws IOException {
        return run(busybox, "--list-full").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.contains("..") && !l.startsWith("/")).toList();
    }

    private static String run(Path busybox, String arg) throws IOException {
        Process p = new ProcessBuilder(busybox.toString(), arg).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (p.waitFor() != 0 && !arg.equals("--help")) {
                throw new JboxException(busybox + " " + arg + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JboxException("interrupted while running " + busybox + " " + arg);
        }
        return out;
    }

    static Path findStaticBusybox() {
        String override = System.getenv("JBOX_BUSYBOX");
        List<String> candidates = override != null ? List.of(override) : CANDIDATES;
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isRegularFile(p)) {
                if (!isStatic(p)) {
                    throw new JboxException(p + " is dynamically linked, so it cannot run inside a container;"
                            + " install the static one: apt-get install busybox-static");
                }
                return p;
            }
        }
        throw new JboxException("busybox not found (looked at " + String.join(", ", candidates)
                + "); install it: apt-get install busybox-static");
    }

    /** A dynamically linked ELF file names its loader in a PT_INTERP program header; a static one has none. */
    static boolean isStatic(Path elf) {
        try (var ch = Files.newByteChannel(elf)) {
            ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(header);
            if (header.getInt(0) != 0x464c457f || header.get(4) != 2) {
                return false; // not a 64-bit ELF file
            }
            long phoff = header.getLong(0x20);
            int phentsize = Short.toUnsignedInt(header.getShort(0x36));
            int phnum = Short.toUnsignedInt(header.getShort(0x38));
            ByteBuffer ph = ByteBuffer.allocate(phentsize * phnum).order(ByteOrder.LITTLE_ENDIAN);
            ch.position(phoff);
            ch.read(ph);
            for (int i = 0; i < phnum; i++) {
                if (ph.getInt(i * phentsize) == 3) { // PT_INTERP
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

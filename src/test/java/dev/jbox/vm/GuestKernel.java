package dev.jbox.vm;

import dev.jbox.FileTrees;
import dev.jbox.LockFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Debian's stock kernel, unpacked into a cache directory and never installed: the guest of
 * the VM baseline runs the same kernel a reader's lab VM would.
 *
 * @param release the kernel release, e.g. "6.1.0-56-amd64"
 * @param bzImage the compressed, self-extracting image as Debian ships it
 * @param vmlinux the uncompressed ELF extracted from it (see {@link Vmlinux})
 * @param modules the directory {@code lib/modules/RELEASE} of the package
 */
public record GuestKernel(String release, Path bzImage, Path vmlinux, Path modules) {
    private static final String META_PACKAGE = "linux-image-amd64";

    /**
     * The kernel in {@code cache}, downloaded with apt-get and unpacked with dpkg-deb the first time.
     * The benchmarks and the tests share the cache, so one process prepares it at a time.
     */
    public static GuestKernel prepare(Path cache) {
        if (!"amd64".equals(System.getProperty("os.arch"))) {
            throw new VmException("the guest boots an x86_64 Debian kernel; this machine is "
                    + System.getProperty("os.arch"));
        }
        try (LockFile lock = LockFile.acquire(cache.resolve("kernel.lock"))) {
            Path kernels = Files.createDirectories(cache.resolve("kernel"));
            Optional<Path> unpacked = newest(kernels);
            Path dir = unpacked.isPresent() ? unpacked.get() : download(cache, kernels);
            return from(dir);
        } catch (IOException e) {
            throw new VmException("cannot prepare the guest kernel in " + cache + ": " + e.getMessage()
                    + "; check that it is writable, or remove it to start again");
        }
    }

    private static Optional<Path> newest(Path kernels) throws IOException {
        try (Stream<Path> dirs = Files.list(kernels)) {
            return dirs.filter(d -> Files.isDirectory(d.resolve("boot")) && !d.getFileName().toString().endsWith(".tmp"))
                    .max(Comparator.comparing(Path::toString));
        }
    }

    private static Path download(Path cache, Path kernels) throws IOException {
        Path debs = Files.createDirectories(cache.resolve("debs"));
        System.err.println("vm: downloading Debian's kernel (" + META_PACKAGE + ", about 70 MB) into " + debs);
        aptDownload(debs, META_PACKAGE);
        String depends = HostCommands.output(null, List.of("dpkg-deb", "-f", deb(debs, META_PACKAGE).toString(), "Depends"));
        String name = Stream.of(depends.split("[,|]")).map(s -> s.strip().split("[ (]")[0])
                .filter(s -> s.startsWith("linux-image-")).findFirst()
                .orElseThrow(() -> new VmException(META_PACKAGE + " depends on no linux-image package: " + depends));
        aptDownload(debs, name);
        Path tmp = kernels.resolve(name + ".tmp");
        FileTrees.delete(tmp);
        HostCommands.output(null, List.of("dpkg-deb", "-x", deb(debs, name).toString(), tmp.toString()));
        Path dir = kernels.resolve(name);
        Files.move(tmp, dir);
        return dir;
    }

    private static void aptDownload(Path debs, String pkg) {
        try {
            HostCommands.output(debs, List.of("apt-get", "download", "-q", pkg));
        } catch (VmException e) {
            throw new VmException("cannot download " + pkg + " (" + e.getMessage() + "); run apt-get update first");
        }
    }

    private static Path deb(Path debs, String pkg) throws IOException {
        try (Stream<Path> files = Files.list(debs)) {
            return files.filter(f -> f.getFileName().toString().startsWith(pkg + "_") && f.toString().endsWith(".deb"))
                    .max(Comparator.comparing(Path::toString))
                    .orElseThrow(() -> new VmException("apt-get download " + pkg + " left no .deb in " + debs));
        }
    }

    private static GuestKernel from(Path dir) throws IOException {
        Path bzImage;
        try (Stream<Path> boot = Files.list(dir.resolve("boot"))) {
            bzImage = boot.filter(f -> f.getFileName().toString().startsWith("vmlinuz-")).findFirst()
                    .orElseThrow(() -> new VmException("no boot/vmlinuz-* in " + dir + "; remove it to download again"));
        }
        String release = bzImage.getFileName().toString().substring("vmlinuz-".length());
        Path vmlinux = dir.resolve("vmlinux-" + release);
        if (!Files.exists(vmlinux)) {
            Vmlinux.extract(bzImage, vmlinux);
        }
        return new GuestKernel(release, bzImage, vmlinux, dir.resolve("lib/modules").resolve(release));
    }
}

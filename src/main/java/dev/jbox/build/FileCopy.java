package dev.jbox.build;

import dev.jbox.FileTrees;
import dev.jbox.JboxException;
import dev.jbox.kernel.Kernel;
import dev.jbox.layers.LayerUnpacker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What COPY and ADD put in their layer, laid out in a staging directory that {@code LayerDiff}
 * then writes: the sources at their destination, owned by root (or by {@code --chown}), with the
 * directories above the destination as the image has them. Times are left to the layer writer,
 * which clamps every one of them to the build's epoch.
 *
 * <p>Docker's rules for the destination: it is a directory if it ends in '/', if there are several
 * sources, if a source is a directory (its contents are copied, not itself), or if the image has a
 * directory there; otherwise it is the name of the one file copied. ADD unpacks a local tar
 * (plain, gzip or zstd, recognised by its content) into the destination, through the layer
 * unpacker's checks, and copies any other file as COPY does.
 */
final class FileCopy {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path staging;
    private final RootLookup image;
    private final Integer uid, gid, chmod;

    /** @param uid, gid the owner (--chown), or null for root; chmod: --chmod's mode, or null */
    FileCopy(Path staging, RootLookup image, Integer uid, Integer gid, Integer chmod) {
        this.staging = staging;
        this.image = image;
        this.uid = uid;
        this.gid = gid;
        this.chmod = chmod;
    }

    /** Copies {@code sources} (of {@code tree}) to the absolute {@code dest}; {@code unpackTars} for ADD. */
    void copy(SourceTree tree, List<Path> sources, String dest, boolean unpackTars) throws IOException {
        Files.createDirectories(staging);
        String destRel = Path.of(dest).normalize().toString().substring(1);
        boolean intoDirectory = dest.endsWith("/") || sources.size() > 1 || destRel.isEmpty()
                || sources.stream().anyMatch(p -> Files.isDirectory(p, NOFOLLOW)) || image.isDirectory(destRel);
        if (intoDirectory) {
            directories(destRel, true);
        } else {
            directories(parent(destRel), false);
        }
        for (Path source : sources) {
            if (Files.isDirectory(source, NOFOLLOW)) {
                for (Path p : tree.walk(source)) {
                    if (!p.equals(source)) {
                        entry(p, join(destRel, source.relativize(p).toString()));
                    }
                }
            } else if (unpackTars && isTar(source)) {
                unpack(source, destRel);
            } else {
                entry(source, intoDirectory ? join(destRel, source.getFileName().toString()) : destRel);
            }
        }
    }

    /** One file, directory or link at {@code rel} of the staging directory. */
    private void entry(Path source, String rel) throws IOException {
        Path target = staging.resolve(rel);
        int mode = (Integer) Files.getAttribute(source, "unix:mode", NOFOLLOW) & 07777;
        if (Files.isSymbolicLink(source)) {
            Files.deleteIfExists(target);
            Files.createSymbolicLink(target, Files.readSymbolicLink(source));
        } else if (Files.isDirectory(source, NOFOLLOW)) {
            if (!Files.isDirectory(target, NOFOLLOW)) {
                Files.createDirectory(target);
            }
            Kernel.chmod(target.toString(), chmod != null ? chmod : mode);
        } else if (Files.isRegularFile(source, NOFOLLOW)) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            Kernel.chmod(target.toString(), chmod != null ? chmod : mode);
        } else {
            throw new JboxException("cannot copy " + source + ": it is a device, FIFO or socket; leave it out"
                    + " (.dockerignore)");
        }
        own(target);
    }

    /**
     * The directories down to {@code rel}, as the image has them (mode and owner), or new: 0755,
     * and owned by --chown's user if {@code newOnesChowned} (Docker gives the destination it
     * creates to that user).
     */
    private void directories(String rel, boolean newOnesChowned) throws IOException {
        if (rel.isEmpty()) {
            return;
        }
        Path p = staging;
        StringBuilder sofar = new StringBuilder();
        for (Path part : Path.of(rel)) {
            sofar.append(sofar.length() == 0 ? "" : "/").append(part);
            p = p.resolve(part.toString());
            if (Files.isDirectory(p, NOFOLLOW)) {
                continue;
            }
            Files.createDirectory(p);
            Path below = image.find(sofar.toString());
            if (below != null && Files.isDirectory(below, NOFOLLOW)) {
                Map<String, Object> a = Files.readAttributes(below, "unix:mode,uid,gid", NOFOLLOW);
                Kernel.chmod(p.toString(), (Integer) a.get("mode") & 07777);
                Kernel.lchown(p.toString(), (Integer) a.get("uid"), (Integer) a.get("gid"));
            } else {
                Kernel.chmod(p.toString(), 0755);
                if (newOnesChowned && sofar.toString().equals(rel)) {
                    own(p);
                }
            }
        }
    }

    /** The directories down to {@code rel} (WORKDIR's, when the image lacks it). */
    void mkdirs(String rel) throws IOException {
        Files.createDirectories(staging);
        directories(rel, false);
    }

    private void own(Path target) {
        Kernel.lchown(target.toString(), uid == null ? 0 : uid, gid == null ? 0 : gid);
    }

    // tag::add-tar[]
    /** Whether a file is a tar (perhaps compressed): "ustar" at offset 257 of what it unpacks to. */
    static boolean isTar(Path file) {
        try (InputStream in = LayerUnpacker.decompress(Files.newInputStream(file))) {
            byte[] header = in.readNBytes(512);
            return header.length == 512 && new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        } catch (IOException e) {
            return false; // not a compressed stream after all: a plain file
        }
    }

    /** ADD of a local tar: unpacked (hostile entries refused) into a directory of its own, then merged into the destination. */
    private void unpack(Path tar, String destRel) throws IOException {
        Path tmp = staging.resolveSibling(staging.getFileName() + ".add");
        FileTrees.delete(tmp);
        try (InputStream in = Files.newInputStream(tar)) {
            new LayerUnpacker().unpack(in, tmp, tar.getFileName().toString(), List.of());
            directories(destRel, true);
            merge(tmp, staging.resolve(destRel));
        } finally {
            FileTrees.delete(tmp);
        }
    }
    // end::add-tar[]

    private static void merge(Path from, Path into) throws IOException {
        try (Stream<Path> children = Files.list(from)) {
            for (Path c : children.toList()) {
                Path target = into.resolve(c.getFileName().toString());
                if (Files.isDirectory(c, NOFOLLOW) && Files.isDirectory(target, NOFOLLOW)) {
                    merge(c, target);
                } else {
                    if (Files.isDirectory(target, NOFOLLOW)) {
                        FileTrees.delete(target);
                    }
                    Files.move(c, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String parent(String rel) {
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? "" : rel.substring(0, slash);
    }

    private static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }
}

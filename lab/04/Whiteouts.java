package dev.jbox.layers;

import dev.jbox.kernel.Kernel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * How a deletion is written down, in the two places a layer lives.
 *
 * <p>In an OCI layer tar a deletion is a name: an empty file {@code .wh.NAME} says "NAME of the
 * layers below is gone", and {@code .wh..wh..opq} in a directory says "nothing of the layers
 * below shows through this directory". Overlayfs says the same with the file system itself: a
 * character device 0/0 named NAME, and the extended attribute {@code trusted.overlay.opaque=y}
 * on the directory. This class translates one into the other, both ways.
 *
 * <p>The core - what a name means - is a pure function ({@link #parse}); what is done on disk goes
 * through {@link Disk}, so a test can check the translation with a fake disk, without root. Lab 4
 * has the student write both directions: {@link #parse} and {@link #LINUX}'s makers, then
 * {@link #toOci} and {@link #LINUX}'s tests.
 */
public final class Whiteouts {
    public static final String PREFIX = ".wh.";
    public static final String OPAQUE_MARKER = ".wh..wh..opq";
    /** The name overlayfs reads on a directory of an upper or lower layer. */
    public static final String OPAQUE_XATTR = "trusted.overlay.opaque";

    private Whiteouts() {
    }

    /** What a whiteout entry of a layer asks for. */
    public enum Kind {
        /** {@code .wh.NAME}: NAME of the layers below is deleted. */
        DELETE,
        /** {@code .wh..wh..opq}: the directory hides everything of the layers below. */
        OPAQUE
    }

    /** A parsed whiteout: for {@link Kind#DELETE} the name it deletes, for {@link Kind#OPAQUE} null. */
    public record Whiteout(Kind kind, String name) {
    }

    /** The file-system side of the translation: overlay's whiteouts and opaque directories. */
    public interface Disk {
        void makeWhiteout(Path path);

        void makeOpaque(Path dir);

        boolean isWhiteout(Path path);

        boolean isOpaque(Path dir);
    }

    /**
     * What the base name of a layer entry means: null for an ordinary file, else the whiteout.
     * Names that only look like whiteouts are refused, never guessed at.
     */
    public static Whiteout parse(String baseName) {
        // The contract (graded by ./jbox lab check 4, exercise 1). baseName is the last component of a
        // layer tar entry's name (no '/'); LayerUnpacker calls this for every entry. Return
        // - null if it is no whiteout, i.e. it does not start with PREFIX: "a.wh.b" and ".wh" are ordinary names;
        // - new Whiteout(Kind.OPAQUE, null) for OPAQUE_MARKER: its directory hides everything of the layers below;
        // - new Whiteout(Kind.DELETE, NAME) for PREFIX + NAME: NAME of the layers below is deleted. NAME is what
        //   follows the prefix, once: ".wh.a.wh.b" deletes "a.wh.b", ".wh..profile" deletes ".profile".
        // A bad whiteout throws an IllegalArgumentException naming baseName (the unpacker then refuses the
        // whole layer): ".wh." names no file; ".wh.." and ".wh..." would delete "." or ".." (the directory
        // itself, or its parent); any other name starting PREFIX + PREFIX is a marker OCI does not define
        // (aufs's ".wh..wh.plnk", say). See the OCI image spec, layer.md, "Whiteouts".
        throw new UnsupportedOperationException("lab 4: write me");
    }

    /** Writes whiteout {@code w}, found in directory {@code dir} of a layer, the way overlayfs reads it. */
    public static void toOverlay(Path dir, Whiteout w, Disk disk) {
        switch (w.kind()) {
            case DELETE -> disk.makeWhiteout(dir.resolve(w.name()));
            case OPAQUE -> disk.makeOpaque(dir);
        }
    }

    /**
     * The OCI name of {@code path}, a file of an overlay upper directory: {@code .wh.NAME} if it is
     * a whiteout, else null (it is an ordinary file and keeps its name).
     */
    public static String toOci(Path path, Disk disk) {
        // The contract (graded by ./jbox lab check 4, exercise 2). LayerDiff calls this for an entry of a
        // container's upper directory (not a directory) when it writes the container's changes as a layer.
        // If disk says path is a whiteout, return its OCI name: PREFIX + its file name (".wh.passwd" for
        // .../upper/etc/passwd; the directories above are the caller's). Else null: the file keeps its name.
        throw new UnsupportedOperationException("lab 4: write me");
    }

    /** The real file system, through {@link Kernel}: needs root (CAP_MKNOD, and CAP_SYS_ADMIN for trusted.*). */
    public static final Disk LINUX = new Disk() {
        private static final int S_IFMT = 0170000, S_IFCHR = 0020000;

        @Override
        public void makeWhiteout(Path path) {
            // Exercise 1. Make at path (nothing is there) what overlayfs reads as "NAME is deleted in the
            // layers below": a character device whose device number is 0/0 (major 0, minor 0), with no
            // permission bits; Kernel.mknodChar(path, mode, major, minor) makes one. See the kernel's
            // Documentation/filesystems/overlayfs.rst, "whiteouts and opaque directories".
            throw new UnsupportedOperationException("lab 4: write me");
        }

        @Override
        public void makeOpaque(Path dir) {
            // Exercise 1. Mark dir opaque, so that nothing of the layers below shows through it: the extended
            // attribute overlayfs reads for that, with the one-byte value "y"; Kernel.lsetxattr(path, name, value)
            // sets one. jbox mounts overlayfs as root, without the userxattr option.
            throw new UnsupportedOperationException("lab 4: write me");
        }

        @Override
        public boolean isWhiteout(Path path) {
            // Exercise 2. Whether path is overlay's whiteout: a character device (S_IFCHR in the S_IFMT bits of
            // its mode) with device number 0 (rdev). Files.getAttribute(path, "unix:mode" or "unix:rdev",
            // LinkOption.NOFOLLOW_LINKS) reads them (an Integer and a Long). path exists and may be anything: a
            // directory, a file, another device, or a symbolic link, which is never a whiteout, whatever it
            // points to (do not follow it).
            throw new UnsupportedOperationException("lab 4: write me");
        }

        @Override
        public boolean isOpaque(Path dir) {
            // Exercise 2. Whether directory dir is opaque: overlay's opaque attribute (the one makeOpaque
            // sets) is there with the value "y". Kernel.lgetxattr(path, name) returns its value, or null
            // if the file has no such attribute. Overlayfs sets it on a directory that a container removed
            // and made again: the new one must not show the image's old entries.
            throw new UnsupportedOperationException("lab 4: write me");
        }
    };
}

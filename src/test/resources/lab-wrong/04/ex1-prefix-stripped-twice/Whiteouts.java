// A plausible wrong answer, which the grader must fail: strips the prefix as long as there is one, so .wh..wh.NAME deletes NAME.
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

    // tag::parse[]
    /**
     * What the base name of a layer entry means: null for an ordinary file, else the whiteout.
     * Names that only look like whiteouts are refused, never guessed at.
     */
    public static Whiteout parse(String baseName) {
        if (!baseName.startsWith(PREFIX)) {
            return null;
        }
        if (baseName.equals(OPAQUE_MARKER)) {
            return new Whiteout(Kind.OPAQUE, null);
        }
        String deleted = baseName;
        while (deleted.startsWith(PREFIX)) {
            deleted = deleted.substring(PREFIX.length());
        }
        if (deleted.isEmpty()) {
            throw new IllegalArgumentException("whiteout '" + baseName + "' names no file");
        }
        if (deleted.equals(".") || deleted.equals("..")) {
            throw new IllegalArgumentException("whiteout '" + baseName + "' would delete '" + deleted + "'");
        }
        return new Whiteout(Kind.DELETE, deleted);
    }
    // end::parse[]

    // tag::to-overlay[]
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
        return disk.isWhiteout(path) ? PREFIX + path.getFileName() : null;
    }
    // end::to-overlay[]

    /** The real file system, through {@link Kernel}: needs root (CAP_MKNOD, and CAP_SYS_ADMIN for trusted.*). */
    public static final Disk LINUX = new Disk() {
        private static final int S_IFMT = 0170000, S_IFCHR = 0020000;

        @Override
        public void makeWhiteout(Path path) {
            Kernel.mknodChar(path.toString(), 0, 0, 0);
        }

        @Override
        public void makeOpaque(Path dir) {
            Kernel.lsetxattr(dir.toString(), OPAQUE_XATTR, new byte[] {'y'});
        }

        @Override
        public boolean isWhiteout(Path path) {
            try {
                int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                return (mode & S_IFMT) == S_IFCHR
                        && (Long) Files.getAttribute(path, "unix:rdev", LinkOption.NOFOLLOW_LINKS) == 0L;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean isOpaque(Path dir) {
            byte[] value = Kernel.lgetxattr(dir.toString(), OPAQUE_XATTR);
            return value != null && value.length == 1 && value[0] == 'y';
        }
    };
}

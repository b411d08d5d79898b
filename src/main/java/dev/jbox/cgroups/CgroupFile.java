package dev.jbox.cgroups;

import dev.jbox.kernel.Errno;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.KernelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reading and writing the files of a cgroup directory. A value goes in one write(2), as the
 * kernel wants, through the kernel door so that a refusal comes back with its errno; the error
 * then names the file, the value and the flag to change.
 */
final class CgroupFile {
    private CgroupFile() {
    }

    /** Writes {@code value} to {@code file}; {@code flag} is the setting the value came from, for the error. */
    static void write(Path file, String value, String flag) {
        int fd;
        try {
            fd = Kernel.open(file.toString(), Kernel.O_WRONLY | Kernel.O_CLOEXEC, 0);
        } catch (KernelException e) {
            throw refused("open " + file + " for \"" + value + "\"", file, e.errno(), flag);
        }
        try {
            Kernel.write(fd, value.getBytes(StandardCharsets.US_ASCII));
        } catch (KernelException e) {
            throw refused("write " + file + " \"" + value + "\"", file, e.errno(), flag);
        } finally {
            Kernel.closeQuietly(fd);
        }
    }

    private static CgroupException refused(String what, Path file, int errno, String flag) {
        return new CgroupException(what + ": " + Errno.describe(errno) + "; "
                + CgroupException.fix(file.getFileName().toString(), errno, flag), errno);
    }

    /** The file's content without the final newline, or null if there is no such file. */
    static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new CgroupException("cannot read " + file + ": " + e.getMessage(), 0);
        }
    }

    /** A number file such as memory.usage_in_bytes; "max" is -1, a missing file 0. */
    static long readLong(Path file) {
        String text = read(file);
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return text.equals("max") ? -1 : Long.parseLong(text);
    }

    /** A "key value" file such as memory.stat or memory.events, as a map; empty if missing. */
    static Map<String, Long> readKeyed(Path file) {
        Map<String, Long> values = new HashMap<>();
        String text = read(file);
        if (text == null) {
            return values;
        }
        for (String line : text.split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2 && kv[1].chars().allMatch(Character::isDigit)) {
                values.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return values;
    }
}

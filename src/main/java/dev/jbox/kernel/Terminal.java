package dev.jbox.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * Pseudo-terminals and terminal modes: what {@code jbox run -it} needs to give a container a
 * terminal of its own (a pty from the container's devpts) and to pass keys through unchanged.
 */
public final class Terminal {
    private static final long TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414;
    private static final long TIOCSPTLCK = 0x40045431L, TIOCGPTN = 0x80045430L;
    private static final int TCSANOW = 0;
    private static final int TERMIOS_SIZE = 64; // glibc's struct termios is 60 bytes

    private Terminal() {
    }

    /** A new pty from the devpts whose ptmx is {@code ptmx}: returns {master fd, slave number}. */
    public static int[] openPty(String ptmx) {
        int master = Kernel.open(ptmx, Kernel.O_RDWR | Kernel.O_NOCTTY | Kernel.O_CLOEXEC, 0);
        Memory arg = new Memory(4);
        try {
            arg.setInt(0, 0);
            Kernel.libc().ioctl(master, TIOCSPTLCK, arg);
            Kernel.libc().ioctl(master, TIOCGPTN, arg);
            return new int[] {master, arg.getInt(0)};
        } catch (LastErrorException e) {
            Kernel.closeQuietly(master);
            throw new KernelException("ioctl(" + master + " /* " + ptmx + " */, TIOCSPTLCK/TIOCGPTN)", e.getErrorCode());
        }
    }

    /** Puts the terminal on {@code fd} in raw mode and returns its previous settings, for {@link #restore}. */
    public static Memory makeRaw(int fd) {
        Memory saved = new Memory(TERMIOS_SIZE);
        Memory raw = new Memory(TERMIOS_SIZE);
        try {
            Kernel.libc().tcgetattr(fd, saved);
            raw.write(0, saved.getByteArray(0, TERMIOS_SIZE), 0, TERMIOS_SIZE);
            Kernel.libc().cfmakeraw(raw);
            Kernel.libc().tcsetattr(fd, TCSANOW, raw);
            return saved;
        } catch (LastErrorException e) {
            throw new KernelException("tcgetattr/tcsetattr(" + fd + ", raw)", e.getErrorCode());
        }
    }

    public static void restore(int fd, Memory saved) {
        try {
            Kernel.libc().tcsetattr(fd, TCSANOW, saved);
        } catch (LastErrorException e) {
            throw new KernelException("tcsetattr(" + fd + ", saved)", e.getErrorCode());
        }
    }

    /** Copies the window size of terminal {@code from} to terminal {@code to}; false if {@code from} has none. */
    public static boolean copyWindowSize(int from, int to) {
        Memory winsize = new Memory(8);
        try {
            Kernel.libc().ioctl(from, TIOCGWINSZ, winsize);
            Kernel.libc().ioctl(to, TIOCSWINSZ, winsize);
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }
}

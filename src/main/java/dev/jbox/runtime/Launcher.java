package dev.jbox.runtime;

import dev.jbox.JboxException;
import dev.jbox.kernel.Errno;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.Spawn;
import dev.jbox.spec.ContainerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The last step of every runtime: find the command inside the container's root and start
 * it. Called from a container thread, after its root has been changed, so every path here
 * is resolved inside the container.
 */
public final class Launcher {
    private Launcher() {
    }

    /**
     * Enters the container's working directory and finds its command there: the steps every way
     * of starting a container (chroot, namespaces, exec) takes once the thread sees the container's
     * root. Returns the path of the program to run.
     */
    public static String enter(ContainerSpec spec) {
        enterWorkdir(spec.process().cwd());
        return resolve(spec.process().args().get(0), spec.path());
    }

    /** A spawn of {@code path} with {@code argv}, the container's environment and its stdin, stdout and stderr. */
    public static Spawn spawnOf(String path, List<String> argv, ContainerSpec spec, Launch.Stdio stdio) {
        return Spawn.program(path, argv).env(spec.process().env())
                .fd(0, stdio.in()).fd(1, stdio.out()).fd(2, stdio.err());
    }

    /** Changes the calling thread's working directory to {@code workdir} inside the container, or says why not. */
    public static void enterWorkdir(String workdir) {
        try {
            Kernel.chdir(workdir);
        } catch (dev.jbox.kernel.KernelException e) {
            throw new JboxException("working directory " + workdir + " does not exist inside the container: "
                    + e.getMessage() + "; create it in the root file system or choose another with -w");
        }
    }

    /** Looks {@code command} up in {@code path} the way a shell does, from the calling thread's root. */
    public static String resolve(String command, String path) {
        if (command.contains("/")) {
            return command;
        }
        String notExecutable = null;
        for (String dir : path.split(":")) {
            String candidate = (dir.isEmpty() ? "." : dir) + "/" + command;
            if (Kernel.access(candidate, Kernel.X_OK) && !Files.isDirectory(Path.of(candidate))) {
                return candidate;
            }
            if (notExecutable == null && Kernel.access(candidate, Kernel.F_OK)) {
                notExecutable = candidate;
            }
        }
        if (notExecutable != null) {
            throw new JboxException(JboxException.CANNOT_EXECUTE, "cannot run '" + command + "': " + notExecutable
                    + " is not an executable file inside the container; check its permissions (chmod +x)");
        }
        throw new JboxException(JboxException.NOT_FOUND, "cannot run '" + command
                + "': executable file not found in $PATH (" + path + ") inside the container; check the command and the image");
    }

    /** Starts {@code spawn} from the calling thread and returns the pid; a failed exec becomes a shell-style error. */
    public static int spawn(Spawn spawn, String program) {
        try {
            return spawn.start();
        } catch (Spawn.SpawnException e) {
            throw explain(program, e.errno());
        }
    }

    /** Turns the errno of a failed exec into the error line and exit code a shell user expects. */
    public static JboxException explain(String program, int errno) {
        return switch (errno) {
            case Errno.ENOENT -> new JboxException(JboxException.NOT_FOUND, "cannot run '" + program
                    + "': no such file inside the container (a dynamically linked program also needs its loader and libraries there)");
            case Errno.EACCES, Errno.EPERM, Errno.ENOEXEC, Errno.EISDIR, Errno.ETXTBSY -> new JboxException(
                    JboxException.CANNOT_EXECUTE, "cannot run '" + program + "': " + Errno.describe(errno)
                    + "; it must be an executable file for this machine");
            default -> new JboxException(JboxException.CANNOT_EXECUTE, "cannot run '" + program + "': " + Errno.describe(errno));
        };
    }
}

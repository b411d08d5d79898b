package dev.jbox.build;

import dev.jbox.JboxException;
import dev.jbox.engine.CreatedContainer;
import dev.jbox.engine.Engine;
import dev.jbox.engine.RunRequest;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.WaitStatus;
import dev.jbox.runtime.Launch;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * RUN: the command in a container of chapter 4's engine whose root is the step's overlay mount
 * (given as --rootfs, so the engine mounts no layers of its own), with the environment, working
 * directory, network and USER of the build: chapter 4's user feature resolves the USER in the
 * stage's own /etc/passwd and /etc/group, as for {@code jbox run --user}, and jbox-init takes it
 * before the exec. Its output goes to the build's output (to /dev/null with -q). The container is
 * removed when it ends, whatever happens.
 */
// tag::run-step[]
final class RunStep {
    private final Engine engine;
    private final String network;
    private final boolean quiet;
    private final PrintStream out;

    RunStep(Engine engine, String network, boolean quiet, PrintStream out) {
        this.engine = engine;
        this.network = network;
        this.quiet = quiet;
        this.out = out;
    }

    /**
     * Runs {@code argv} on {@code root} as {@code user} (null or empty: root); an error if it
     * fails (Docker's message and the command's exit code).
     */
    void run(MountedRoot root, List<String> argv, List<String> env, String workdir, String user) {
        makeWorkdir(root.merged(), workdir); // Docker creates it; the copy-up lands in this step's layer
        List<Integer> fds = new ArrayList<>();
        try {
            int in = open("/dev/null", Kernel.O_RDONLY, fds);
            int sink = quiet ? open("/dev/null", Kernel.O_WRONLY, fds) : -1;
            out.flush();
            RunRequest request = RunRequest.rootfs(root.merged()).command(argv).chapter(4).env(env).workdir(workdir)
                    .user(user == null || user.isEmpty() ? null : user).network(network).autoRemove(true)
                    .stdio(new Launch.Stdio(in, quiet ? sink : 1, quiet ? sink : 2)).build();
            CreatedContainer c = engine.create(request);
            WaitStatus status;
            try {
                if (!quiet) {
                    out.println(" ---> Running in " + c.record().shortId());
                    out.flush();
                }
                engine.start(c);
                status = c.process().waitFor();
            } finally {
                engine.ended(c);
            }
            if (!quiet) {
                out.println(" ---> Removed intermediate container " + c.record().shortId());
            }
            if (!status.exited() || status.exitCode() != 0) {
                throw new JboxException("The command '" + String.join(" ", argv) + "' returned a non-zero code: "
                                + (status.exited() ? status.exitCode() : 128 + status.signal())
                                + "; fix the command (the build stopped at this step)");
            }
        } finally {
            fds.forEach(Kernel::closeQuietly);
        }
    }

    private static int open(String path, int flags, List<Integer> fds) {
        int fd = Kernel.open(path, flags | Kernel.O_CLOEXEC, 0);
        fds.add(fd);
        return fd;
    }

    private static void makeWorkdir(Path merged, String workdir) {
        try {
            Files.createDirectories(merged.resolve(workdir.substring(1)));
        } catch (IOException e) {
            throw new JboxException("cannot create the working directory " + workdir + " for RUN: " + e.getMessage()
                    + "; check WORKDIR");
        }
    }
}
// end::run-step[]

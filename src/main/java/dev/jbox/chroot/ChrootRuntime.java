package dev.jbox.chroot;

import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.Spawn;
import dev.jbox.kernel.WaitStatus;
import dev.jbox.runtime.Container;
import dev.jbox.runtime.ContainerSpec;
import dev.jbox.kernel.ContainerThread;
import dev.jbox.runtime.Launcher;
import dev.jbox.runtime.Runtime;

/**
 * Chapter 1: a chroot jail. The command sees {@code spec.rootfs()} as {@code /}, and nothing
 * else is isolated: same processes, same network, same host name, same users. That is the
 * whole point of the chapter, and the escape in the lab shows how thin it is.
 */
public final class ChrootRuntime implements Runtime {
    @Override
    public Container create(ContainerSpec spec) {
        return new JailedProcess(spec);
    }

    static int spawnInJail(ContainerSpec spec) {
        return ContainerThread.call("jbox-chroot", () -> {
            // tag::jail[]
            // Threads of one process share a root directory unless a thread asks for its own
            // copy; with CLONE_FS unshared, chroot changes this thread (and its children) only.
            Kernel.unshare(Kernel.CLONE_FS);
            Kernel.chroot(spec.rootfs().toString());
            Launcher.enterWorkdir(spec.workdir());
            String program = Launcher.resolve(spec.command().get(0), spec.path());
            Spawn spawn = Spawn.program(program, spec.command())
                    .env(spec.env())
                    .fd(0, spec.stdio().in())
                    .fd(1, spec.stdio().out())
                    .fd(2, spec.stdio().err());
            // end::jail[]
            if (!spec.sharesTerminal()) {
                spawn.newProcessGroup();
            }
            return Launcher.spawn(spawn, program);
        });
    }


    /** A jail needs nothing prepared before its process starts, nor undone after it ends. */
    private static final class JailedProcess implements Container {
        private final ContainerSpec spec;
        private int pid;

        JailedProcess(ContainerSpec spec) {
            this.spec = spec;
        }

        @Override
        public void start() {
            pid = spawnInJail(spec);
        }

        @Override
        public int pid() {
            return pid;
        }

        @Override
        public WaitStatus waitFor() {
            return Kernel.waitpid(pid);
        }
    }
}

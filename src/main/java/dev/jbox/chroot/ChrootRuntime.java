package dev.jbox.chroot;

import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.Spawn;
import dev.jbox.kernel.WaitStatus;
import dev.jbox.runtime.ContainerProcess;
import dev.jbox.runtime.ContainerRuntime;
import dev.jbox.kernel.ContainerThread;
import dev.jbox.runtime.Launch;
import dev.jbox.runtime.Launcher;
import dev.jbox.spec.ContainerSpec;

/**
 * Chapter 1: a chroot jail. The command sees {@code spec.rootfs()} as {@code /}, and nothing
 * else is isolated: same processes, same network, same host name, same users. That is the
 * whole point of the chapter, and the escape in the lab shows how thin it is.
 */
public final class ChrootRuntime implements ContainerRuntime {
    @Override
    public ContainerProcess create(ContainerSpec spec, Launch launch) {
        return new JailedProcess(spec, launch);
    }

    static int spawnInJail(ContainerSpec spec, Launch launch) {
        return ContainerThread.call("jbox-chroot", () -> {
            // tag::jail[]
            Jail.enter(spec.rootfs());
            String program = Launcher.enter(spec);
            Spawn spawn = Launcher.spawnOf(program, spec.process().args(), spec, launch.stdio());
            // end::jail[]
            if (!launch.sharesTerminal()) {
                spawn.newProcessGroup();
            }
            return Launcher.spawn(spawn, program);
        });
    }

    /** A jail needs nothing prepared before its process starts, nor undone after it ends. */
    private static final class JailedProcess implements ContainerProcess {
        private final ContainerSpec spec;
        private final Launch launch;
        private int pid;

        JailedProcess(ContainerSpec spec, Launch launch) {
            this.spec = spec;
            this.launch = launch;
        }

        @Override
        public void start() {
            pid = spawnInJail(spec, launch);
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

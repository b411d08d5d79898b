package dev.jbox.spec;

import dev.jbox.kernel.Kernel;

/**
 * The namespaces a chapter-2 container can get, named as in /proc/PID/ns. The mount namespace
 * is not in the list: chapter 2's runtime always has one, because pivot_root needs it (chapter 1
 * is the runtime without it).
 */
public enum Namespace {
    PID("pid", Kernel.CLONE_NEWPID),
    UTS("uts", Kernel.CLONE_NEWUTS),
    IPC("ipc", Kernel.CLONE_NEWIPC),
    NET("net", Kernel.CLONE_NEWNET),
    CGROUP("cgroup", Kernel.CLONE_NEWCGROUP);

    private final String procName;
    private final int cloneFlag;

    Namespace(String procName, int cloneFlag) {
        this.procName = procName;
        this.cloneFlag = cloneFlag;
    }

    /** The name in /proc/PID/ns and in {@code --namespaces}. */
    public String procName() {
        return procName;
    }

    public int cloneFlag() {
        return cloneFlag;
    }

    public static Namespace named(String name) {
        for (Namespace n : values()) {
            if (n.procName.equals(name)) {
                return n;
            }
        }
        throw new dev.jbox.JboxException("unknown namespace '" + name + "'; choose from pid, uts, ipc, net, cgroup"
                + " (the mount namespace is always on from chapter 2)");
    }
}

package dev.jbox.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * A fake kernel that records each call as one line and does nothing, so that the policy code
 * (what to mount, where, in which order) can be checked by a unit test without root.
 */
public final class RecordingSyscalls implements Syscalls {
    private final List<String> calls = new ArrayList<>();

    public List<String> calls() {
        return calls;
    }

    @Override
    public void mount(String source, String target, String fstype, long flags, String data) {
        calls.add("mount " + source + " " + target + " " + fstype + " " + Kernel.mountFlags(flags)
                + (data == null ? "" : " " + data));
    }

    @Override
    public void umount(String target, int flags) {
        calls.add("umount " + target + (flags == Kernel.MNT_DETACH ? " MNT_DETACH" : " " + flags));
    }

    /** Every mount the fake has is plain: no flag to keep. */
    @Override
    public long mountFlagsOf(String path) {
        calls.add("statfs " + path);
        return 0;
    }

    @Override
    public void mknodChar(String path, int mode, int major, int minor) {
        calls.add("mknod " + path + " c " + major + ":" + minor + " " + Integer.toOctalString(mode));
    }

    @Override
    public void chdir(String path) {
        calls.add("chdir " + path);
    }

    @Override
    public void pivotRoot(String newRoot, String putOld) {
        calls.add("pivot_root " + newRoot + " " + putOld);
    }
}

package dev.jbox.runtime;

import java.nio.file.Path;

/**
 * How one start of a container is wired to the engine, beside what the container is (its
 * spec): which of the engine's descriptors become its 0, 1 and 2, whether it reads the user's
 * terminal directly (chapter 1's -it), and where the runtime keeps its status (chapter 2's shim).
 */
public record Launch(Stdio stdio, boolean sharesTerminal, Path stateDir) {
    /** The descriptors of the engine that become 0, 1 and 2 in the container. */
    public record Stdio(int in, int out, int err) {
        public static final Stdio INHERIT = new Stdio(0, 1, 2);
    }

    public static Launch of(Stdio stdio) {
        return new Launch(stdio, false, null);
    }

    public Launch withStateDir(Path dir) {
        return new Launch(stdio, sharesTerminal, dir);
    }
}

package dev.jbox.engine;

import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.runtime.ContainerProcess;
import dev.jbox.runtime.Launch;
import java.util.List;

/**
 * A container this engine created, held before its command until {@link Engine#start}.
 *
 * @param record      what is stored about it (null for a chapter-1 jail, which keeps no state)
 * @param process     its first process, as the runtime sees it
 * @param launch      how it is wired to the engine (stdio, whether it shares the user's terminal)
 * @param interactive whether its stdin is the engine's
 * @param ownFds      descriptors the engine opened for it, closed once it has started
 */
public record CreatedContainer(ContainerRecord record, ContainerProcess process, Launch launch, boolean interactive,
                               List<Integer> ownFds) {
    public boolean sharesTerminal() {
        return launch.sharesTerminal();
    }
}

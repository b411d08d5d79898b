package dev.jbox.engine;

import dev.jbox.DataRoot;
import dev.jbox.lifecycle.ContainerStore;

/** What a feature may use: the data root, and the containers' directories (for files of its own). */
public record EngineContext(DataRoot root, ContainerStore containers) {
}

package dev.jbox.bench.memory;

import dev.jbox.bench.ProcMemory;
import java.util.List;

/**
 * What benchmarks/results/memory.json holds: the memory of {@code containers} detached
 * chapter-2 containers, all running at once.
 *
 * @param shims   jbox-init's shim of each container: what jbox adds per running container
 * @param pid1s   each container's own process (busybox sleep): the workload, not jbox's overhead
 */
public record MemoryResults(int containers, String command, List<ProcMemory> shims, List<ProcMemory> pid1s) {
}

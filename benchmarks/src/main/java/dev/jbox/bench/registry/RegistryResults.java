package dev.jbox.bench.registry;

import java.util.List;

/**
 * What benchmarks/results/registry.json holds: chapter 5's measurements from one run, jbox's
 * registry server against Distribution and jbox's client against skopeo. Every sample carries
 * the 1-minute load average when it was taken: the machine may be shared.
 *
 * @param loadAtStart  /proc/loadavg when the piece started
 * @param loadAtEnd    /proc/loadavg when it ended
 * @param setup        what was moved, and the peers' versions
 * @param transfers    every timed push and pull, whole process
 * @param floors       the least each client's process costs (its start), whole process
 * @param blobGets     one big blob fetched with curl
 * @param concurrent   batches of simultaneous pulls of a small image
 * @param memory       each server's RSS in each round
 */
public record RegistryResults(String loadAtStart, String loadAtEnd, Setup setup, List<Transfer> transfers, List<Floor> floors,
                              List<BlobGet> blobGets, List<Concurrent> concurrent, List<Memory> memory) {
    /**
     * @param rounds         rounds; each starts both servers afresh on empty roots
     * @param bigBytes       the one-layer image's layer, bytes as pushed
     * @param manyLayers     how many layers the other image has
     * @param manyBytes      its bytes in all
     * @param tinyBytes      the small image's layer (the concurrent pulls)
     * @param clients        simultaneous pulls in a batch
     * @param distribution   Distribution's version
     * @param skopeo         skopeo's version
     * @param java           the JVM jbox runs on
     * @param notes          how the servers and clients were run
     */
    public record Setup(int rounds, long bigBytes, int manyLayers, long manyBytes, long tinyBytes, int clients, String distribution,
                        String skopeo, String java, List<String> notes) {
    }

    /**
     * One push or pull.
     *
     * @param op             push or pull
     * @param image          big (one layer) or many (many layers)
     * @param client         jbox or skopeo
     * @param server         jbox or distribution
     * @param seconds        wall time of the client's whole process
     * @param cpuSeconds     the client's user + system CPU time
     * @param clientPeakKiB  the client's peak RSS
     * @param serverCpuSeconds the server's CPU time during the transfer
     * @param serverPeakKiB  the server's peak RSS during the transfer (VmHWM, reset before)
     * @param serverAfterKiB the server's RSS right after it
     * @param load1          1-minute load average before it
     */
    public record Transfer(String op, String image, String client, String server, int round, double seconds, double cpuSeconds,
                           long clientPeakKiB, double serverCpuSeconds, long serverPeakKiB, long serverAfterKiB, double load1) {
    }

    /** {@code ./jbox push --help} or {@code skopeo --version}: seconds and CPU seconds of the whole process. */
    public record Floor(String client, int round, double seconds, double cpuSeconds, double load1) {
    }

    /** {@code curl -o /dev/null} of the big layer: seconds, and the server's CPU seconds. */
    public record BlobGet(String server, int round, long bytes, double seconds, double serverCpuSeconds, double load1) {
    }

    /** One batch: each pull's latency, ms. */
    public record Concurrent(String server, int round, List<Double> ms, double load1) {
    }

    /** RSS after the start (before any request) and at the end of the round (after every push and pull), KiB. */
    public record Memory(String server, int round, long afterStartKiB, long endKiB) {
    }
}

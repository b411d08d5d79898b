package dev.jbox.bench.net;

import java.util.List;

/**
 * What benchmarks/results/net.json holds: TCP throughput and round-trip latency over each path,
 * from one run, the rounds of every path interleaved.
 *
 * @param seconds how long each bulk send and each request/response loop lasted
 * @param paths   host loopback first: the baseline of every ratio
 */
public record NetResults(double seconds, int rounds, List<PathResult> paths) {
    public static final String LOOPBACK = "loopback";

    /** One way between client and server, and every round over it. */
    public record PathResult(String name, String label, List<Round> rounds) {
    }

    /**
     * One client run, as jbox-bench-net reported it.
     *
     * @param bytes        sent in the bulk send, all acknowledged by the server
     * @param transactions 1-byte requests answered in {@code rrSeconds}
     */
    public record Round(long bytes, double streamSeconds, long transactions, double rrSeconds) {
        public double mibPerSecond() {
            return bytes / streamSeconds / (1024 * 1024);
        }

        /** The mean round trip of this round, in microseconds (netperf's TCP_RR reports its inverse). */
        public double rttMicros() {
            return rrSeconds / transactions * 1e6;
        }
    }
}

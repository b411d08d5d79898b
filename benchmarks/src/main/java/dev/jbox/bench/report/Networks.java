package dev.jbox.bench.report;

import dev.jbox.bench.BenchException;
import dev.jbox.bench.Stats;
import dev.jbox.bench.net.NetResults;

/** The network results as medians and ratios: each path's against host loopback's, from the same run. */
final class Networks {
    private final NetResults results;
    private final NetResults.PathResult loopback;

    Networks(NetResults results) {
        this.results = results;
        this.loopback = path(NetResults.LOOPBACK);
    }

    NetResults.PathResult path(String name) {
        return results.paths().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new BenchException("no path " + name + " in " + ResultFiles.NET
                        + "; run sudo benchmarks/run net again"));
    }

    Stats throughput(NetResults.PathResult p) {
        return Stats.of(p.rounds().stream().map(NetResults.Round::mibPerSecond).toList());
    }

    Stats roundTrip(NetResults.PathResult p) {
        return Stats.of(p.rounds().stream().map(NetResults.Round::rttMicros).toList());
    }

    /** The share of loopback's throughput: 1.00 is loopback's, 0.5 half of it. */
    double throughputRatio(NetResults.PathResult p) {
        return throughput(p).median() / throughput(loopback).median();
    }

    /** The round trip as a multiple of loopback's: 2 is twice as long. */
    double roundTripRatio(NetResults.PathResult p) {
        return roundTrip(p).median() / roundTrip(loopback).median();
    }
}

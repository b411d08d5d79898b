package dev.jbox.bench.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jbox.bench.BenchException;
import org.junit.jupiter.api.Test;

class NetPerfTest {
    @Test
    void readsBothResultLinesAndIgnoresOthers() {
        NetResults.Round r = NetPerf.parse("loopback", "jbox: something else\n"
                + "jbox-bench-net stream 2097152 2.000000\n"
                + "jbox-bench-net rr 100000 2.000000\n");
        assertEquals(1.0, r.mibPerSecond(), 1e-9);
        assertEquals(20.0, r.rttMicros(), 1e-9);
    }

    @Test
    void aClientThatPrintedNoRoundTripIsAFailure() {
        BenchException e = assertThrows(BenchException.class,
                () -> NetPerf.parse("published", "jbox-bench-net stream 2097152 2.000000\n"));
        assertEquals("the published client printed no results: jbox-bench-net stream 2097152 2.000000", e.getMessage());
    }
}

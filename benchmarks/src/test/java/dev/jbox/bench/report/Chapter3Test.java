package dev.jbox.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbox.bench.Json;
import dev.jbox.bench.Stats;
import dev.jbox.bench.cgroups.CgroupResults;
import dev.jbox.bench.overhead.OverheadResults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Chapter3Test {
    @TempDir
    Path dir;

    private static OverheadResults.Run run(String workload, double work, double seconds) {
        return new OverheadResults.Run(workload, work, "MiB", seconds);
    }

    private static CgroupResults results() {
        CgroupResults.Start start = new CgroupResults.Start(2, List.of(10.0, 12.0, 11.0), List.of(13.0, 14.0, 15.0));
        CgroupResults.Guest guest = new CgroupResults.Guest("v2", "-", "no guest here", null);
        CgroupResults.Accuracy accuracy = new CgroupResults.Accuracy(4, 3, List.of(
                new CgroupResults.Case("cpus-0.5", "`--cpus 0.5`", 0.5, List.of(0.49, 0.48, 0.50)),
                new CgroupResults.Case("shares-1024:512", "shares", 2.0, List.of(2.2, 2.1, 1.9))));
        CgroupResults.Workloads workloads = new CgroupResults.Workloads("tcg", "no VT-x", List.of(
                new OverheadResults.WorkloadInfo("cpu-int", "CRC-32", "MiB/s")), List.of(
                new OverheadResults.Environment("native", "native", List.of(run("cpu-int", 100, 1), run("cpu-int", 100, 1))),
                new OverheadResults.Environment("jbox3-limits", "limits", List.of(run("cpu-int", 100, 1.25))),
                new OverheadResults.Environment("vm", "VM (TCG)", List.of(run("cpu-int", 10, 2)))));
        return new CgroupResults("v1", "3.50 2.10 1.80 4/200 123", start, guest, accuracy, workloads);
    }

    private Chapter3 chapter3() {
        Json.write(dir.resolve(ResultFiles.CGROUPS), results());
        return new Chapter3(new ResultFiles(dir));
    }

    @Test
    void pairedDifferencesAreTakenPairByPairNotFromTheMedians() {
        // Pairs differ by 3, 2 and 4: median 3; the medians (11 and 14) differ by 3 too, but
        // the IQR is the pairs' own.
        Stats d = Chapter3.paired(List.of(10.0, 12.0, 11.0), List.of(13.0, 14.0, 15.0));
        assertEquals(3.0, d.median(), 1e-12);
        assertEquals(2.5, d.p25(), 1e-12);
        assertEquals(3.5, d.p75(), 1e-12);
    }

    @Test
    void theStartTableHasChapter2And3TheirDifferenceAndSaysWhyV2IsMissing() {
        String md = chapter3().start().markdown();
        assertTrue(md.contains("| v1 (a directory per controller) | chapter 2 |"), md);
        assertTrue(md.contains("| 14.0 |") && md.contains("| 1.27 |"), md); // 14 / 11
        assertTrue(md.contains("| difference |") && md.contains("| 3.00 |"), md);
        assertTrue(md.contains("| v2 (one directory) | chapter 3 | **Not measured**: no guest here |"), md);
    }

    @Test
    void accuracyGivesTheMedianOfTheRoundsAndTheSignedError() {
        Table t = chapter3().accuracy();
        String md = t.markdown();
        assertTrue(md.contains("| `cpus-0.5` | `--cpus 0.5` | 0.500 | 0.490 | 0.480-0.500 | -2.0% |"), md);
        assertTrue(md.contains("| `shares-1024:512` | shares | 2.00 | 2.10 | 1.90-2.20 | +5.0% |"), md);
        assertTrue(t.title().contains("load average of 3.50 / 2.10 / 1.80"), t.title());
    }

    @Test
    void workloadsAreTimesNativeAndTheVmIsLabelledTcg() {
        String md = chapter3().workloads().markdown();
        assertTrue(md.contains("| 1.25 |"), md); // 100 MiB/s native against 80 with limits
        List<String> findings = chapter3().findings();
        assertTrue(findings.stream().anyMatch(f -> f.contains("TCG: its ratios measure the emulator")), findings.toString());
        assertTrue(findings.get(0).contains("the cgroup adds **3.00 ms**"), findings.get(0));
    }

    @Test
    void withoutCgroupsJsonTheSectionIsEmptyAndNoFragmentTableIsWritten() throws IOException {
        Chapter3 none = new Chapter3(new ResultFiles(Files.createDirectory(dir.resolve("empty"))));
        assertFalse(none.measured());
        assertTrue(none.start().isEmpty() && none.accuracy().isEmpty() && none.findings().isEmpty());
    }

    @Test
    void aGuestUnderTcgGetsItsOwnRowsLabelledAsTheEmulators() {
        CgroupResults r = results();
        CgroupResults.Start inGuest = new CgroupResults.Start(1, List.of(400.0, 420.0), List.of(500.0, 540.0));
        Json.write(dir.resolve(ResultFiles.CGROUPS), new CgroupResults(r.cgroupVersion(), r.loadAtStart(), r.start(),
                new CgroupResults.Guest("v2", "tcg", "QEMU", inGuest), r.accuracy(), r.workloads()));
        Chapter3 c = new Chapter3(new ResultFiles(dir));
        String md = c.start().markdown();
        assertTrue(md.contains("| v2 (one directory), in the guest (**TCG**) | chapter 3 |"), md);
        assertTrue(md.contains("(TCG: measures the emulator)"), md);
        assertTrue(md.contains("| 520 |") && md.contains("| 1.27 |"), md); // 520 / 410
        assertTrue(c.findings().get(1).contains("chapter 3 takes 1.27 times"), c.findings().get(1));
    }

    @Test
    void anUnpairedDifferenceIsACostOnlyWhenTheRangesAreApart() {
        Stats base = Stats.of(List.of(5.0, 6.0, 7.0, 8.0, 9.0));
        assertEquals("5.00", Chapter3.cost(Stats.of(List.of(10.0, 11.0, 12.0, 13.0, 14.0)), base));
        assertEquals("within noise (1.00)", Chapter3.cost(Stats.of(List.of(6.0, 7.0, 8.0, 9.0, 10.0)), base));
        assertEquals("within noise (−2.00)", Chapter3.cost(Stats.of(List.of(3.0, 4.0, 5.0, 6.0, 7.0)), base));
    }
}

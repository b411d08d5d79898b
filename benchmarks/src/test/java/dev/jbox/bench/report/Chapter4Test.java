package dev.jbox.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbox.bench.Json;
import dev.jbox.bench.layers.LayersResults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Chapter4Test {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private static LayersResults results(List<LayersResults.Tool> tools, List<LayersResults.DiskRow> disk) {
        return new LayersResults("3.50 2.10 1.80 4/200 123",
                new LayersResults.Start(2, List.of(10.0, 12.0, 11.0), List.of(13.0, 14.0, 15.0)),
                new LayersResults.CopyUp(100 * MIB, "ext4", List.of(300.0, 400.0), List.of(0.1, 0.1), List.of(0.2, 0.2),
                        List.of(500.0, 500.0)),
                new LayersResults.Extraction("a tree", 200_000_000L, 6000, tools),
                new LayersResults.Build("in-process", "FROM busybox\nRUN true\n\nCMD [\"true\"]\n", List.of(2000.0, 2200.0),
                        List.of(100.0, 100.0)),
                new LayersResults.Disk("a tree", 180 * MIB, 10, disk, List.of("TYPE TOTAL", "Images 2")));
    }

    private static List<LayersResults.Tool> tools() {
        return List.of(new LayersResults.Tool("jbox", "LayerUnpacker", List.of(4.0, 5.0, 3.0), null),
                new LayersResults.Tool("tar", "GNU tar", List.of(2.0, 2.0, 2.0), null),
                new LayersResults.Tool("umoci", "umoci", List.of(), "umoci is not installed"));
    }

    private static List<LayersResults.DiskRow> disk() {
        return List.of(new LayersResults.DiskRow("jbox-image", "snapshot", 180 * MIB, false),
                new LayersResults.DiskRow("jbox-containers", "own", 20 * MIB, false),
                new LayersResults.DiskRow("jbox-total", "both", 200 * MIB, false),
                new LayersResults.DiskRow("qcow2-copies", "copies", 2000 * MIB, true),
                new LayersResults.DiskRow("qcow2-overlays", "overlays", 201 * MIB, true));
    }

    private Chapter4 chapter4() {
        Json.write(dir.resolve(ResultFiles.LAYERS), results(tools(), disk()));
        return new Chapter4(new ResultFiles(dir));
    }

    @Test
    void theStartTableHasChapter3And4AndTheirPairedDifference() {
        String md = chapter4().start().markdown();
        assertTrue(md.contains("| chapter 3 | the image's plain directory"), md);
        assertTrue(md.contains("| 14.0 | 13.5-14.5 | 3 | 1.27 |"), md); // 14 / 11
        assertTrue(md.contains("| difference | chapter 4 minus chapter 3, pair by pair | 3.00 | 2.50 to 3.50 | 3 | - |"), md);
    }

    @Test
    void copyUpIsComparedWithTheSameWriteInAPlainDirectory() {
        Table t = chapter4().copyUp();
        String md = t.markdown();
        assertTrue(md.contains("| first write |") && md.contains("| 350 | 325-375 | 2 | 1750 |"), md); // 350 / 0.2
        assertTrue(md.contains("| plain |") && md.contains("| 1.00 |"), md);
        assertTrue(t.title().contains("100 MiB file") && t.title().contains("on ext4"), t.title());
    }

    @Test
    void extractionRatesAreMegabytesOverTheMedianAndAMissingToolSaysWhy() {
        Table t = chapter4().extraction();
        String md = t.markdown();
        assertTrue(md.contains("| `jbox` | LayerUnpacker | 4.00 | 3.00-5.00 | 50.0 | 2.00 |"), md); // 200 MB / 4 s
        assertTrue(md.contains("| `tar` | GNU tar | 2.00 | 2.00-2.00 | 100 | 1.00 |"), md);
        assertTrue(md.contains("| `umoci` | **Not measured**: umoci is not installed | - | - | - | - |"), md);
        assertTrue(t.title().contains("load average of 3.50 / 2.10 / 1.80"), t.title());
    }

    @Test
    void buildCountsInstructionsAndComparesColdWithWarm() {
        Chapter4 c = chapter4();
        assertEquals(3, c.steps());
        String md = c.build().markdown();
        assertTrue(md.contains("| 2100 | 2050-2150 | 2 | 21.0 |"), md);
    }

    @Test
    void diskRatiosAreToJboxsTotalAndTheFindingsNameBothVmLayouts() {
        Chapter4 c = chapter4();
        String md = c.disk().markdown();
        assertTrue(md.contains("| VM: `qcow2-copies` | copies | 2000 | 10.0 |"), md);
        assertTrue(md.contains("| jbox: `jbox-image` | snapshot | 180 | - |"), md);
        String disk = c.findings().get(4);
        assertTrue(disk.startsWith("10 containers of one image take **200 MiB**"), disk);
        assertTrue(disk.contains("2000 MiB as full qcow2 copies (10.0 times)") && disk.contains("201 MiB as qcow2 overlays"), disk);
    }

    @Test
    void theChartHasEveryMeasuredRowInMillisecondsAndSkipsAToolThatDidNotRun() {
        List<Row> rows = chapter4().chartRows();
        assertEquals(List.of("chapter 3", "chapter 4", "first write", "Files.copy", "warm", "cold", "jbox", "tar"),
                rows.stream().map(Row::name).toList());
        assertEquals(4000.0, rows.get(6).stats().median(), 1e-9);
    }

    @Test
    void withoutLayersJsonTheSectionIsEmpty() throws IOException {
        Chapter4 none = new Chapter4(new ResultFiles(Files.createDirectory(dir.resolve("empty"))));
        assertFalse(none.measured());
        assertTrue(none.start().isEmpty() && none.copyUp().isEmpty() && none.extraction().isEmpty() && none.build().isEmpty()
                && none.disk().isEmpty() && none.findings().isEmpty() && none.chartRows().isEmpty());
    }

    @Test
    void theBookFragmentHoldsTheTablesTheDockerfileAndSystemDf() throws IOException {
        Json.write(dir.resolve(ResultFiles.LAYERS), results(tools(), disk()));
        ResultFiles files = new ResultFiles(dir);
        BookFragments.write(dir, files, new Tables(files), new Summary(files));
        String adoc = Files.readString(dir.resolve("04-layers.adoc"));
        assertTrue(adoc.startsWith(":results-04-layers:\n"), adoc);
        assertTrue(adoc.contains("[source,dockerfile]\n----\nFROM busybox\n"), adoc);
        assertTrue(adoc.contains("----\nTYPE TOTAL\nImages 2\n----"), adoc);
        assertTrue(adoc.contains("|`umoci` |**Not measured**: umoci is not installed"), adoc);
    }
}

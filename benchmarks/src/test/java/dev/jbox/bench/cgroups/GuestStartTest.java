package dev.jbox.bench.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class GuestStartTest {
    @Test
    void theStartLinesAreReadAmongTheConsolesOtherLines() {
        CgroupResults.Start s = GuestStart.parse(List.of("[    2.1] virtio_blk virtio1: 1 MiB", "jbox-bench-start 2 401.5",
                "jbox-bench-start 3 512.25", "some other line", "jbox-bench-start 2 399.0", "jbox-bench-start 3 505.0"), 5);
        assertEquals(List.of(401.5, 399.0), s.chapter2());
        assertEquals(List.of(512.25, 505.0), s.chapter3());
        assertEquals(5, s.warmup());
    }

    @Test
    void unpairedOrUnreadableLinesAreAnErrorNotAFigure() {
        assertThrows(IllegalArgumentException.class, () -> GuestStart.parse(List.of("jbox-bench-start 2 401.5"), 0));
        assertThrows(IllegalArgumentException.class, () -> GuestStart.parse(List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> GuestStart.parse(List.of("jbox-bench-start 4 1.0"), 0));
    }
}

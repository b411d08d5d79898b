package dev.jbox.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The classic option string, and why long paths cannot carry a deep image through mount(2). */
class OverlayOptionsTest {
    private static final String SNAPSHOT = "/var/lib/jbox/snapshots/sha256/" + "0123456789abcdef".repeat(4) + "/fs";
    private static final String UPPER = "/var/lib/jbox/containers/" + "0123456789abcdef".repeat(4) + "/upper";
    private static final String WORK = "/var/lib/jbox/containers/" + "0123456789abcdef".repeat(4) + "/work";

    @Test
    void lowerLayersAreListedTopFirst() {
        assertThat(OverlayMount.options(List.of("2", "1", "0"), "/u", "/w")).isEqualTo("lowerdir=2:1:0,upperdir=/u,workdir=/w");
    }

    @Test
    void fullPathsOverflowAPageLongBeforeAHundredLayers() {
        assertThat(OverlayMount.options(repeat(SNAPSHOT, 39), UPPER, WORK).length()).isLessThan(OverlayMount.MAX_OPTIONS);
        assertThat(OverlayMount.options(repeat(SNAPSHOT, 40), UPPER, WORK).length()).isGreaterThan(OverlayMount.MAX_OPTIONS);
    }

    @Test
    void shortNamesCarryTheKernelsWholeStack() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < OverlayMount.MAX_LOWER_LAYERS; i++) {
            names.add(Integer.toString(i));
        }
        assertThat(OverlayMount.options(names, UPPER, WORK).length()).isLessThan(OverlayMount.MAX_OPTIONS);
    }

    private static List<String> repeat(String s, int n) {
        return new ArrayList<>(java.util.Collections.nCopies(n, s));
    }
}

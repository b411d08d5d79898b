package dev.jbox.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The whiteout translation on a fake disk: what each name means, and the way back. */
class WhiteoutsTest {
    private final FakeDisk disk = new FakeDisk();

    @Test
    void ordinaryNamesAreNoWhiteouts() {
        assertThat(Whiteouts.parse("passwd")).isNull();
        assertThat(Whiteouts.parse(".wh")).isNull();
        assertThat(Whiteouts.parse("x.wh.y")).isNull();
    }

    @Test
    void aWhiteoutDeletesTheNameAfterThePrefix() {
        assertThat(Whiteouts.parse(".wh.passwd")).isEqualTo(new Whiteouts.Whiteout(Whiteouts.Kind.DELETE, "passwd"));
        assertThat(Whiteouts.parse(".wh..hidden")).isEqualTo(new Whiteouts.Whiteout(Whiteouts.Kind.DELETE, ".hidden"));
        assertThat(Whiteouts.parse(".wh..wh..opq")).isEqualTo(new Whiteouts.Whiteout(Whiteouts.Kind.OPAQUE, null));
    }

    @Test
    void badWhiteoutsAreRefused() {
        assertThatThrownBy(() -> Whiteouts.parse(".wh.")).hasMessage("whiteout '.wh.' names no file");
        assertThatThrownBy(() -> Whiteouts.parse(".wh..")).hasMessage("whiteout '.wh..' would delete '.'");
        assertThatThrownBy(() -> Whiteouts.parse(".wh...")).hasMessage("whiteout '.wh...' would delete '..'");
        assertThatThrownBy(() -> Whiteouts.parse(".wh..wh.plnk")).hasMessage("unknown whiteout marker '.wh..wh.plnk'");
    }

    @Test
    void toOverlayMakesADeviceOrMarksTheDirectory() {
        Whiteouts.toOverlay(Path.of("/l/etc"), Whiteouts.parse(".wh.passwd"), disk);
        Whiteouts.toOverlay(Path.of("/l/var"), Whiteouts.parse(".wh..wh..opq"), disk);
        assertThat(disk.calls).containsExactly("whiteout passwd", "opaque var");
    }

    @Test
    void theWayBackNamesOnlyWhiteouts() {
        disk.whiteouts.add(Path.of("/upper/etc/passwd"));
        assertThat(Whiteouts.toOci(Path.of("/upper/etc/passwd"), disk)).isEqualTo(".wh.passwd");
        assertThat(Whiteouts.toOci(Path.of("/upper/etc/group"), disk)).isNull();
    }

    @Test
    void aRoundTripGivesTheSameName() {
        for (String name : new String[] {"a", ".profile", "with space", "ünïcode"}) {
            Whiteouts.Whiteout w = Whiteouts.parse(Whiteouts.PREFIX + name);
            Path made = Path.of("/layer").resolve(w.name());
            disk.whiteouts.add(made);
            assertThat(Whiteouts.toOci(made, disk)).isEqualTo(Whiteouts.PREFIX + name);
        }
    }
}

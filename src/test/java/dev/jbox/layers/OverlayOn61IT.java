package dev.jbox.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbox.vm.GuestReport;
import dev.jbox.vm.GuestTests;
import dev.jbox.vm.Qemu;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link OverlayLayersIT} again, on the course VM's kernel (Debian's 6.1, in a QEMU guest): there
 * overlayfs takes no {@code lowerdir+}, so the 128-layer image must mount through the short names
 * of the classic mount(2). Its 500-layer check needs lowerdir+ and skips there.
 */
class OverlayOn61IT {
    @Test
    void theLayerTestsPassOnLinux61() throws IOException {
        assumeTrue(Qemu.isInstalled(), "no QEMU here (vm/provision.sh --test installs it)");
        assumeTrue("amd64".equals(System.getProperty("os.arch")), "the guest kernel is x86_64");
        GuestTests.Result run = GuestTests.run(List.of(OverlayLayersIT.class.getName()),
                Duration.ofMinutes(Long.getLong("jbox.vm.timeout.minutes", 20)));
        GuestReport report = run.report();
        assertThat(report).as("the guest wrote no report; it printed:%n%s", String.join("\n", run.console())).isNotNull();
        List<GuestReport.Outcome> notPassed = report.notPassed().stream()
                .filter(o -> !o.test().contains("thisKernelStacksAtMost500LowerLayers")).toList();
        assertThat(notPassed).as(notPassed.stream().map(o -> o.status() + " " + o.test() + ": " + o.message())
                .collect(Collectors.joining("\n"))).isEmpty();
        assertThat(report.passedIn(OverlayLayersIT.class.getName())).isTrue();
        assertThat(run.console()).anyMatch(line -> line.contains("kernel 6.1.") && line.contains("lowerdir+ false"));
    }
}

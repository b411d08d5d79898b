package dev.jbox.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Sizes and CPU counts read as the docker CLI reads them (go-units' RAMInBytes, the CLI's NanoCPUs). */
class DockerUnitsTest {
    @ParameterizedTest
    @CsvSource({
            "32, 32", "32b, 32", "32B, 32", "0, 0",
            "32k, 32768", "32K, 32768", "32kb, 32768", "32KiB, 32768", "32kib, 32768",
            "512m, 536870912", "512M, 536870912", "10mb, 10485760", "'32 MB', 33554432",
            "1g, 1073741824", "1.5g, 1610612736", "1.5G, 1610612736", "0.5k, 512",
            "2t, 2199023255552", "1p, 1125899906842624"})
    void sizesUseBinaryUnits(String text, long bytes) {
        assertThat(DockerUnits.ramInBytes(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "abc", "1x", "1e3", "0x10", "32bb", "32  m", " 32m", "m", "1.2.3", "1,5g",
            "9999999p"})
    void badSizesAreRefusedAsDockerRefusesThem(String text) {
        assertThatThrownBy(() -> DockerUnits.ramInBytes(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid size: '" + text + "'");
    }

    @ParameterizedTest
    @CsvSource({"1.5, 1500000000", "0.5, 500000000", "2, 2000000000", "3/2, 1500000000", ".25, 250000000",
            "1e-3, 1000000", "0.000000001, 1", "0, 0", "-1, -1000000000", "+1, 1000000000"})
    void cpusAreCountedInBillionths(String text, long nano) {
        assertThat(DockerUnits.nanoCpus(text)).isEqualTo(nano);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0000000001", "1/3", "1e-10", "1e-99"})
    void cpusFinerThanANanoCpuAreTooPrecise(String text) {
        assertThatThrownBy(() -> DockerUnits.nanoCpus(text)).hasMessage("value is too precise");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.5.1", "1/0", "/2", "1/", "one", "1,5", "0x1", "1e99"})
    void cpusThatAreNoNumberAreRefused(String text) {
        assertThatThrownBy(() -> DockerUnits.nanoCpus(text))
                .hasMessage("failed to parse " + text + " as a rational number");
    }

    @ParameterizedTest
    @CsvSource({"512, 512B", "1536, 1.5KiB", "536870912, 512MiB", "1610612736, 1.5GiB", "0, 0B"})
    void bytesArePrintedAsDockerStatsPrintsThem(long bytes, String text) {
        assertThat(DockerUnits.bytesSize(bytes)).isEqualTo(text);
    }
}

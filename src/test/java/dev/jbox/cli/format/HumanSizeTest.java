package dev.jbox.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** As go-units prints sizes for docker images (precision 3) and docker system df (4). */
class HumanSizeTest {
    @Test
    void decimalUnitsWithoutTrailingZeros() {
        assertThat(HumanSize.of(0, 3)).isEqualTo("0B");
        assertThat(HumanSize.of(999, 3)).isEqualTo("999B");
        assertThat(HumanSize.of(1000, 3)).isEqualTo("1kB");
        assertThat(HumanSize.of(2132406, 3)).isEqualTo("2.13MB");
        assertThat(HumanSize.of(2132406, 4)).isEqualTo("2.132MB");
        assertThat(HumanSize.of(77_800_000_000L, 3)).isEqualTo("77.8GB");
    }
}

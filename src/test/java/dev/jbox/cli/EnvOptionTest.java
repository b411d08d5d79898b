package dev.jbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** -e as Docker checks it: only an empty name is refused. */
class EnvOptionTest {
    private final EnvOption option = new EnvOption();

    @Test
    void aVariableNeedsAName() {
        assertThatThrownBy(() -> option.convert("=x")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageStartingWith("invalid environment variable: =x");
        assertThatThrownBy(() -> option.convert("=")).hasMessageStartingWith("invalid environment variable: =");
        assertThatThrownBy(() -> option.convert("")).hasMessageStartingWith("invalid environment variable: ");
    }

    @Test
    void anyOtherNameIsTheProgramsBusiness() {
        for (String ok : new String[] {"A=1", "A=", "A", "1x=y", "my var=z", "a.b=c", "_=a", "x==y", "  lead=1"}) {
            assertThat(option.convert(ok)).isEqualTo(ok);
        }
    }
}

package dev.jbox.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellWordsTest {
    private final ShellWords shell = new ShellWords('\\');
    private final Map<String, String> env = Map.of("NAME", "app", "EMPTY", "", "SPACED", "a b");

    @Test
    void expandsPlainAndBracedVariables() {
        assertThat(shell.expand("/srv/$NAME/${NAME}.d", env)).isEqualTo("/srv/app/app.d");
        assertThat(shell.expand("$UNSET-x", env)).isEqualTo("-x");
        assertThat(shell.expand("cost: $", env)).isEqualTo("cost: $");
    }

    @Test
    void defaultsAndAlternatives() {
        assertThat(shell.expand("${UNSET:-dflt}", env)).isEqualTo("dflt");
        assertThat(shell.expand("${EMPTY:-dflt}", env)).isEqualTo("dflt");
        assertThat(shell.expand("${EMPTY-dflt}", env)).isEmpty();
        assertThat(shell.expand("${NAME:-dflt}", env)).isEqualTo("app");
        assertThat(shell.expand("${NAME:+alt}", env)).isEqualTo("alt");
        assertThat(shell.expand("${UNSET:+alt}", env)).isEmpty();
        assertThat(shell.expand("${UNSET:-$NAME/x}", env)).isEqualTo("app/x");
    }

    @Test
    void quotesAndEscapes() {
        assertThat(shell.expand("'$NAME'", env)).isEqualTo("$NAME");
        assertThat(shell.expand("\"$NAME is here\"", env)).isEqualTo("app is here");
        assertThat(shell.expand("\\$NAME", env)).isEqualTo("$NAME");
        assertThat(shell.expand("\"a\\\"b\"", env)).isEqualTo("a\"b");
        assertThat(new ShellWords('`').expand("`$NAME", env)).isEqualTo("$NAME");
    }

    @Test
    void wordsSplitOnUnquotedSpaceOnly() {
        assertThat(shell.words("a \"b c\" '$NAME' $NAME", env)).containsExactly("a", "b c", "$NAME", "app");
        assertThat(shell.rawWords("K=\"v 1\" L=2")).containsExactly("K=\"v 1\"", "L=2");
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        assertThatThrownBy(() -> shell.expand("\"open", env)).hasMessageContaining("unmatched \"");
        assertThatThrownBy(() -> shell.expand("${NAME", env)).hasMessageContaining("missing '}'");
        assertThatThrownBy(() -> shell.expand("${NAME/a/b}", env)).hasMessageContaining("unsupported modifier");
        assertThatThrownBy(() -> shell.rawWords("'a")).hasMessageContaining("unmatched '");
    }
}

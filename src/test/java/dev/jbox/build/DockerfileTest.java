package dev.jbox.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerfileTest {
    @Test
    void continuationsCommentsAndBothForms() {
        Dockerfile f = Dockerfile.parse("Dockerfile", """
                # syntax=docker/dockerfile:1
                ARG BASE=busybox
                FROM $BASE AS build
                # a comment
                RUN echo a \\
                # dropped, even inside the continuation
                    && echo b

                COPY --chown=1:2 --from=x ["a b", "/dst/"]
                cmd ["sh", "-c", "echo"]
                ENTRYPOINT [not json
                """);
        List<Instruction> in = f.instructions();
        assertThat(in).extracting(Instruction::keyword).containsExactly("ARG", "FROM", "RUN", "COPY", "CMD", "ENTRYPOINT");
        assertThat(in.get(2).text()).isEqualTo("echo a     && echo b");
        assertThat(in.get(2).line()).isEqualTo(5);
        assertThat(in.get(3).flags()).containsEntry("chown", "1:2").containsEntry("from", "x");
        assertThat(in.get(3).json()).containsExactly("a b", "/dst/");
        assertThat(in.get(4).json()).containsExactly("sh", "-c", "echo");
        assertThat(in.get(5).isJson()).isFalse(); // not valid JSON: the shell form, as Docker reads it
        assertThat(in.get(5).text()).isEqualTo("[not json");
    }

    @Test
    void escapeDirectiveChangesTheContinuationCharacter() {
        Dockerfile f = Dockerfile.parse("Dockerfile", "# escape=`\nFROM scratch\nRUN dir c:\\ `\n  /w\n");
        assertThat(f.escape()).isEqualTo('`');
        assertThat(f.instructions().get(1).text()).isEqualTo("dir c:\\   /w");
    }

    @Test
    void directivesAreOnlyReadAtTheTop() {
        Dockerfile f = Dockerfile.parse("Dockerfile", "FROM scratch\n# escape=`\nRUN a \\\n b\n");
        assertThat(f.escape()).isEqualTo('\\');
        assertThat(f.instructions().get(1).text()).isEqualTo("a  b");
    }

    @Test
    void errorsNameTheFileTheLineAndTheFix() {
        assertThatThrownBy(() -> Dockerfile.parse("ctx/Dockerfile", "FROM busybox\n\nFORM x\n"))
                .isInstanceOf(JboxException.class)
                .hasMessageStartingWith("ctx/Dockerfile:3: unknown instruction: FORM; the instructions are");
        assertThatThrownBy(() -> Dockerfile.parse("D", "RUN echo\nFROM busybox\n"))
                .hasMessage("D:1: RUN comes before the first FROM; put FROM IMAGE first (only ARG may come before it)");
        assertThatThrownBy(() -> Dockerfile.parse("D", "FROM busybox\nCOPY --form=a b c\n"))
                .hasMessageStartingWith("D:2: unknown flag --form for COPY; it takes --chmod, --chown, --from");
        assertThatThrownBy(() -> Dockerfile.parse("D", "FROM busybox\nWORKDIR\n"))
                .hasMessage("D:2: WORKDIR needs an argument, e.g. WORKDIR /app");
        assertThatThrownBy(() -> Dockerfile.parse("D", "# only a comment\n"))
                .hasMessageStartingWith("D:1: the file holds no instructions");
        assertThatThrownBy(() -> Dockerfile.parse("D", "# escape=x\nFROM busybox\n"))
                .hasMessageStartingWith("D:1: invalid escape directive 'x'");
        assertThatThrownBy(() -> Dockerfile.parse("D", "FROM busybox\nHEALTHCHECK CMD true\n"))
                .hasMessage("D:2: HEALTHCHECK is not supported by jbox build; remove it");
    }
}

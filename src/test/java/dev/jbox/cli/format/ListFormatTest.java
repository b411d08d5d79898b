package dev.jbox.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** docker ps --format as Docker reads it: table, json, a bare template, \t, and the header row. */
class ListFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULT = "table {{.ID}}\t{{.Names}}";
    private static final JsonNode HEADERS = JSON.valueToTree(Map.of("ID", "CONTAINER ID", "Names", "NAMES", "Status", "STATUS"));
    private static final List<JsonNode> ROWS = List.of(
            JSON.valueToTree(new TreeMap<>(Map.of("ID", "1b646d6d7e39", "Names", "web", "Status", "Up 4 seconds"))),
            JSON.valueToTree(new TreeMap<>(Map.of("ID", "9f00aa11bb22", "Names", "a-much-longer-name",
                    "Status", "Exited (0) 2 hours ago"))));

    private static String render(String format) {
        return ListFormat.parse(format, DEFAULT).render(ROWS, HEADERS);
    }

    @Test
    void aTableHasAHeaderRowAndAlignedColumns() {
        assertThat(render("table {{.ID}}\\t{{.Status}}\\t{{.Names}}")).isEqualTo("""
                CONTAINER ID   STATUS                   NAMES
                1b646d6d7e39   Up 4 seconds             web
                9f00aa11bb22   Exited (0) 2 hours ago   a-much-longer-name
                """);
        assertThat(render("table")).as("'table' alone is the default table").isEqualTo(render(""))
                .isEqualTo("CONTAINER ID   NAMES\n1b646d6d7e39   web\n9f00aa11bb22   a-much-longer-name\n");
        assertThat(render("table {{.Names}}: {{.Status}}")).as("literal text is in the header too")
                .isEqualTo("NAMES: STATUS\nweb: Up 4 seconds\na-much-longer-name: Exited (0) 2 hours ago\n");
    }

    @Test
    void theHeaderKeepsColumnNamesWhereRowsAreChanged() {
        assertThat(render("table {{upper .Names}}\\t{{json .ID}}")).isEqualTo("""
                NAMES                CONTAINER ID
                WEB                  "1b646d6d7e39"
                A-MUCH-LONGER-NAME   "9f00aa11bb22"
                """);
        assertThat(ListFormat.parse("table {{.Nope}}", DEFAULT).render(List.of(), HEADERS))
                .as("with no rows only the header runs, where a missing key is empty, as in Docker").isEqualTo("\n");
    }

    @Test
    void withoutTableThereIsNoHeaderNorAlignment() {
        assertThat(render("{{.ID}}\\t{{.Names}}")).isEqualTo("1b646d6d7e39\tweb\n9f00aa11bb22\ta-much-longer-name\n");
        assertThat(render("{{.Names}}")).isEqualTo("web\na-much-longer-name\n");
        assertThat(render("  {{.Names}}  ")).as("Docker trims the spaces around the format").isEqualTo("web\na-much-longer-name\n");
        assertThat(render("json")).isEqualTo("""
                {"ID":"1b646d6d7e39","Names":"web","Status":"Up 4 seconds"}
                {"ID":"9f00aa11bb22","Names":"a-much-longer-name","Status":"Exited (0) 2 hours ago"}
                """);
        assertThat(ListFormat.parse("{{.Names}}", DEFAULT).render(List.of(), HEADERS)).isEmpty();
    }

    @Test
    void badTemplatesFailAsInspectsDo() {
        assertThatThrownBy(() -> ListFormat.parse("table {{.Names", DEFAULT)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("unclosed action");
        assertThatThrownBy(() -> render("{{.Size}}")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("map has no entry for key \"Size\" (the keys here are: ID, Names, Status)");
    }

    @Test
    void tabWriterLinesUpColumnsAsGosDoes() {
        TabWriter tight = new TabWriter(0, 1);
        assertThat(tight.align("a\tb\tc\naa\tbb\naaa\t\n")).as("a column runs over the lines that have a cell in it")
                .isEqualTo("a   b c\naa  bb\naaa \n");
        assertThat(tight.align("x\ty\nno tabs here\nlonger\tz\n")).as("a line without tabs ends the table above it")
                .isEqualTo("x y\nno tabs here\nlonger z\n");
        assertThat(TabWriter.docker().align("a\tb\n")).as("at least 10 wide").isEqualTo("a         b\n");
        assertThat(TabWriter.docker().align("é\tb\n")).as("width in characters, not bytes").isEqualTo("é         b\n");
        assertThat(tight.align("no newline\tat end")).isEqualTo("no newline at end");
    }

    @Test
    void humanDurationsAreDockers() {
        assertThat(HumanDuration.of(Duration.ofMillis(400))).isEqualTo("Less than a second");
        assertThat(HumanDuration.of(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(HumanDuration.of(Duration.ofSeconds(59))).isEqualTo("59 seconds");
        assertThat(HumanDuration.of(Duration.ofSeconds(90))).isEqualTo("About a minute");
        assertThat(HumanDuration.of(Duration.ofMinutes(59))).isEqualTo("59 minutes");
        assertThat(HumanDuration.of(Duration.ofMinutes(80))).isEqualTo("About an hour");
        assertThat(HumanDuration.of(Duration.ofMinutes(100))).as("hours are rounded").isEqualTo("2 hours");
        assertThat(HumanDuration.of(Duration.ofHours(47))).isEqualTo("47 hours");
        assertThat(HumanDuration.of(Duration.ofDays(3))).isEqualTo("3 days");
        assertThat(HumanDuration.of(Duration.ofDays(20))).isEqualTo("2 weeks");
        assertThat(HumanDuration.of(Duration.ofDays(100))).isEqualTo("3 months");
        assertThat(HumanDuration.of(Duration.ofDays(800))).isEqualTo("2 years");
    }
}

package dev.jbox.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The {@code --format} of a command that lists things ({@code jbox ps}), as Docker reads it:
 * {@code table TEMPLATE} prints a header row and lines the columns up; {@code json} prints each
 * item as JSON on a line; any other text is a template printed once per item, with no header.
 * As in Docker, {@code \t} and {@code \n} typed in the format stand for a tab and a newline.
 */
public final class ListFormat {
    private final GoTemplate template;
    private final boolean table;

    private ListFormat(GoTemplate template, boolean table) {
        this.template = template;
        this.table = table;
    }

    /** Reads {@code format}; "" and "table" mean {@code defaultTable}. A template that does not parse fails here. */
    public static ListFormat parse(String format, String defaultTable) {
        String f = format.isEmpty() || format.equals("table") ? defaultTable : format;
        boolean table = f.startsWith("table");
        if (table) {
            f = f.substring("table".length());
        } else if (f.equals("json")) {
            f = "{{json .}}";
        }
        f = trimSpaces(f).replace("\\t", "\t").replace("\\n", "\n");
        return new ListFormat(GoTemplate.parse(f), table);
    }

    private static String trimSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(start, end);
    }

    /**
     * The items through the template, one line each; for a table, with the header made by the same
     * template from {@code columnNames} (a field's name in the header row, e.g. "ID" is "CONTAINER ID").
     */
    public String render(List<JsonNode> items, JsonNode columnNames) {
        StringBuilder rows = new StringBuilder();
        for (JsonNode item : items) {
            rows.append(template.execute(item)).append('\n');
        }
        if (!table) {
            return rows.toString();
        }
        return TabWriter.docker().align(template.executeHeader(columnNames) + "\n" + rows);
    }
}

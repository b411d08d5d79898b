package dev.jbox.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A table of the report, written once and rendered twice: as Markdown for RESULTS.md and as
 * AsciiDoc for the book's fragments. Cells use only inline markup both understand: `code` and
 * **strong**.
 */
final class Table {
    private final String title;
    private final List<String> headers;
    private final String alignments;
    private final List<List<String>> rows = new ArrayList<>();

    /**
     * @param alignments one letter per column: {@code l} for text, {@code r} for numbers
     * @param headers    the column headers
     */
    Table(String title, String alignments, String... headers) {
        if (alignments.length() != headers.length) {
            throw new IllegalArgumentException(headers.length + " headers but alignments '" + alignments + "'");
        }
        this.title = title;
        this.alignments = alignments;
        this.headers = List.of(headers);
    }

    Table row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + headers.size() + " columns");
        }
        rows.add(List.of(cells));
        return this;
    }

    String title() {
        return title;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String markdown() {
        StringBuilder md = new StringBuilder(line(headers)).append("\n|");
        for (char a : alignments.toCharArray()) {
            md.append(a == 'r' ? "--:|" : "---|");
        }
        md.append('\n');
        rows.forEach(r -> md.append(line(r)).append('\n'));
        return md.toString();
    }

    /** An AsciiDoc table with its title above it; text columns get more width than numbers. */
    String asciidoc() {
        StringBuilder cols = new StringBuilder();
        for (char a : alignments.toCharArray()) {
            cols.append(cols.length() == 0 ? "" : ",").append(a == 'r' ? ">1" : "<3");
        }
        StringBuilder adoc = new StringBuilder("." + title + "\n[cols=\"" + cols + "\",options=\"header\"]\n|===\n");
        adoc.append(adocLine(headers)).append('\n');
        rows.forEach(r -> adoc.append(adocLine(r)).append('\n'));
        return adoc.append("|===\n").toString();
    }

    private static String line(List<String> cells) {
        StringBuilder s = new StringBuilder("|");
        cells.forEach(c -> s.append(' ').append(escape(c)).append(" |"));
        return s.toString();
    }

    private static String adocLine(List<String> cells) {
        StringBuilder s = new StringBuilder();
        cells.forEach(c -> s.append(s.length() == 0 ? "" : " ").append('|').append(escape(c)));
        return s.toString();
    }

    /** A cell's text cannot hold the column separator of either format. */
    private static String escape(String cell) {
        return cell.replace("|", "\\|");
    }
}

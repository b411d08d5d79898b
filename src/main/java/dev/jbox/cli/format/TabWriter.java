package dev.jbox.cli.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lines up tab-separated cells in columns, as Go's text/tabwriter does for Docker's tables
 * ({@code NewWriter(out, 10, 1, 3, ' ', 0)}): a column is as wide as its widest cell plus 3
 * spaces, and at least 10; the last cell of a line is not part of a column, so it is not padded.
 * As in Go, a column runs over consecutive lines that have a cell in it, and a line without any
 * tab ends the table above it.
 */
final class TabWriter {
    private final int minWidth;
    private final int padding;

    TabWriter(int minWidth, int padding) {
        this.minWidth = minWidth;
        this.padding = padding;
    }

    /** Docker's tables. */
    static TabWriter docker() {
        return new TabWriter(10, 3);
    }

    String align(String text) {
        String[] raw = text.split("\n", -1);
        List<List<String>> lines = new ArrayList<>();
        String[] out = new String[raw.length];
        int first = 0;
        for (int i = 0; i < raw.length; i++) {
            lines.add(Arrays.asList(raw[i].split("\t", -1)));
            if (lines.get(i).size() == 1 || i == raw.length - 1) {
                format(lines, first, i + 1, new ArrayList<>(), out);
                first = i + 1;
            }
        }
        return String.join("\n", out);
    }

    /** Go's tabwriter.format: the widths of the columns left of {@code widths.size()} are known. */
    private void format(List<List<String>> lines, int line0, int line1, List<Integer> widths, String[] out) {
        int column = widths.size();
        for (int i = line0; i < line1; i++) {
            if (column >= lines.get(i).size() - 1) {
                continue;
            }
            write(lines, line0, i, widths, out);
            line0 = i;
            int width = minWidth;
            for (; i < line1 && column < lines.get(i).size() - 1; i++) {
                width = Math.max(width, cellWidth(lines.get(i).get(column)) + padding);
            }
            widths.add(width);
            format(lines, line0, i, widths, out);
            widths.remove(widths.size() - 1);
            line0 = i;
        }
        write(lines, line0, line1, widths, out);
    }

    private static void write(List<List<String>> lines, int from, int to, List<Integer> widths, String[] out) {
        for (int i = from; i < to; i++) {
            StringBuilder b = new StringBuilder();
            List<String> cells = lines.get(i);
            for (int j = 0; j < cells.size(); j++) {
                b.append(cells.get(j));
                if (j < widths.size()) {
                    b.append(" ".repeat(Math.max(0, widths.get(j) - cellWidth(cells.get(j)))));
                }
            }
            out[i] = b.toString();
        }
    }

    private static int cellWidth(String cell) {
        return cell.codePointCount(0, cell.length());
    }
}

package dev.jbox.cli.format;

import dev.jbox.JboxException;

/**
 * A {@code --format} template that does not parse, or fails on the data. The message is Go's
 * ({@code template: :1:8: executing "" at <.State.Foo>: map has no entry for key "Foo"}), so it
 * reads as Docker's does, followed by what jbox offers instead. The exit codes are Docker's for
 * {@code docker inspect}: 64 when the template does not parse, 1 when it fails on a container.
 */
public final class TemplateException extends JboxException {
    public static final int PARSE = 64;
    public static final int EXECUTE = 1;

    private TemplateException(int exitCode, String message) {
        super(exitCode, message);
    }

    /** Go's parse errors name the line only: {@code template: :1: function "foo" not defined}. */
    static TemplateException parse(String source, int offset, String message) {
        return new TemplateException(PARSE, "template parsing error: template: :" + line(source, offset) + ": " + message);
    }

    /** Go's execution errors name line, column and the action that failed. */
    static TemplateException execute(String source, int offset, String node, String message) {
        int lineStart = source.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
        if (offset == 0) {
            lineStart = 0;
        }
        return new TemplateException(EXECUTE, "template: :" + line(source, offset) + ":" + (offset - lineStart)
                + ": executing \"\" at <" + node + ">: " + message);
    }

    private static int line(String source, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, source.length()); i++) {
            if (source.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}

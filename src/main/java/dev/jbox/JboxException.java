package dev.jbox;

/**
 * A failure the user can act on: the message is one line that names the thing and the fix,
 * and {@link #exitCode()} follows Docker's convention (125 engine, 126 cannot execute, 127 not found).
 */
public class JboxException extends RuntimeException {
    public static final int ENGINE = 125;
    public static final int CANNOT_EXECUTE = 126;
    public static final int NOT_FOUND = 127;

    private final int exitCode;

    public JboxException(String message) {
        this(ENGINE, message, null);
    }

    public JboxException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    public JboxException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}

package dev.jbox.registry;

/**
 * A request the registry refuses, carried up to the one place that writes the spec's error body
 * {@code {"errors":[{"code","message","detail"}]}}. The status is the code's unless a handler
 * needs another (416 for an out-of-order chunk, 413 for an oversized manifest).
 */
public final class RegistryError extends RuntimeException {
    private final ErrorCode code;
    private final int status;

    public RegistryError(ErrorCode code, String detail) {
        this(code, code.status(), detail);
    }

    public RegistryError(ErrorCode code, int status, String detail) {
        super(detail);
        this.code = code;
        this.status = status;
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return getMessage();
    }
}

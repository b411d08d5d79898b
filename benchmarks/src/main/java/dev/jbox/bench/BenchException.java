package dev.jbox.bench;

/** A failure the person running the benchmarks can fix: one line naming the thing and the fix. */
public final class BenchException extends RuntimeException {
    public BenchException(String message) {
        super(message);
    }
}

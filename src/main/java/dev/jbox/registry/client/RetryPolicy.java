package dev.jbox.registry.client;

import java.time.Duration;

/**
 * How often a transfer is tried again after the connection breaks, and how long to wait between:
 * doubling from {@code firstDelay}, at most 10 s. Docker retries a layer download 5 times too.
 */
public record RetryPolicy(int attempts, Duration firstDelay) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1));

    public Duration delay(int failures) {
        long ms = firstDelay.toMillis() << Math.min(failures - 1, 10);
        return Duration.ofMillis(Math.min(ms, 10_000));
    }

    /** Sleeps before the next try; false if the thread was interrupted (the transfer was cancelled). */
    boolean sleep(int failures) {
        try {
            Thread.sleep(delay(failures).toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

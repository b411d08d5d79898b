package dev.jbox.registry.client;

/** What a blob transfer tells the progress display. */
public interface TransferListener {
    TransferListener NONE = new TransferListener() {
    };

    /** {@code bytes} of the blob have moved so far. */
    default void progress(long bytes) {
    }

    /** The connection broke ({@code why}); the transfer goes on from byte {@code offset}, try {@code attempt}. */
    default void retrying(int attempt, long offset, String why) {
    }
}

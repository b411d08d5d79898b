package dev.jbox.vm;

/** A failure of the guest machinery that the person running it can fix: one line naming the thing and the fix. */
public final class VmException extends RuntimeException {
    public VmException(String message) {
        super(message);
    }
}

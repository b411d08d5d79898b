package dev.jbox.kernel;

/**
 * The kernel refused a netlink request. The message names the request as {@code ip} would say
 * it and the errno, plus the kernel's own explanation when it gives one (extended ack), e.g.
 * {@code RTM_NEWLINK veth jbox-a1b2c3 peer eth0: EEXIST (File exists)}.
 */
public class NetlinkException extends KernelException {
    private final String kernelMessage;

    NetlinkException(String request, int errno, String kernelMessage) {
        super(request, errno);
        this.kernelMessage = kernelMessage;
    }

    /** The kernel's extended-ack text, or null when it said nothing more than the errno. */
    public String kernelMessage() {
        return kernelMessage;
    }

    @Override
    public String getMessage() {
        return kernelMessage == null ? super.getMessage() : super.getMessage() + ": kernel says \"" + kernelMessage + '"';
    }
}

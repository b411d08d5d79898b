package dev.jbox.registry;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A failure of the connection, not of the registry: the client closed it or stopped sending
 * mid-body. Told apart from the registry's own I/O errors (a full disk), which the client must
 * hear about, while a client that is gone can hear nothing.
 */
final class ClientGone extends IOException {
    ClientGone(IOException cause) {
        super("the client went away: " + cause.getMessage(), cause);
    }

    /** {@code in}, its read errors marked as the client's. */
    static InputStream marking(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (ClientGone e) {
                    throw e;
                } catch (IOException e) {
                    throw new ClientGone(e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (ClientGone e) {
                    throw e;
                } catch (IOException e) {
                    throw new ClientGone(e);
                }
            }
        };
    }

    /** {@code out}, its write errors marked as the client's. */
    static OutputStream marking(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    out.write(b, off, len); // not super's: FilterOutputStream writes byte by byte
                } catch (IOException e) {
                    throw new ClientGone(e);
                }
            }

            @Override
            public void close() throws IOException {
                try {
                    out.close();
                } catch (IOException e) {
                    throw new ClientGone(e);
                }
            }
        };
    }
}

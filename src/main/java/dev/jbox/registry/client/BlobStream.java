package dev.jbox.registry.client;

import dev.jbox.JboxException;
import dev.jbox.image.Descriptor;
import dev.jbox.registry.client.Authenticator.Scopes;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code GET /v2/NAME/blobs/DIGEST} as a stream that survives a broken connection: when a read
 * fails (the server went away, the connection was reset, the body ended short), it waits and asks
 * again from where it stopped ({@code Range: bytes=N-}), as often as the {@link RetryPolicy}
 * allows. Its reader (the image store) hashes every byte and refuses the blob if the whole does not
 * hash to the digest, so a resumed transfer is checked like any other.
 */
final class BlobStream extends InputStream {
    private static final int MAX_REDIRECTS = 5;

    private final RegistryTransport t;
    private final URI uri;
    private final Descriptor blob;
    private final Scopes scopes;
    private final TransferListener listener;
    private InputStream current;
    private long position;
    private int failures;

    BlobStream(RegistryTransport t, String repository, Descriptor blob, Scopes scopes, TransferListener listener) {
        this.t = t;
        this.uri = t.uri("/v2/" + repository + "/blobs/" + blob.digest());
        this.blob = blob;
        this.scopes = scopes;
        this.listener = listener;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    // tag::resume[]
    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        while (true) {
            try {
                if (current == null) {
                    current = open();
                }
                int n = current.read(buf, off, len);
                if (n < 0) {
                    if (blob.size() >= 0 && position < blob.size()) {
                        throw new EOFException("the body ended at byte " + position + " of " + blob.size());
                    }
                    return -1;
                }
                position += n;
                listener.progress(position);
                return n;
            } catch (InterruptedIOException e) {
                throw e; // cancelled: another blob failed, or the user pressed ^C
            } catch (IOException e) {
                closeCurrent();
                failures++;
                if (failures >= t.retry().attempts() || !t.retry().sleep(failures)) {
                    throw new JboxException("cannot download blob " + blob.digest() + " from " + t.registry()
                            + ": the connection failed " + failures + " times, last at byte " + position + " ("
                            + RegistryTransport.why(e) + "); is the registry still running? Pull again to go on");
                }
                listener.retrying(failures + 1, position, RegistryTransport.why(e));
            }
        }
    }

    // end::resume[]

    /** Asks for the rest of the blob, from {@link #position}; returns its body positioned there. */
    private InputStream open() throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET();
        if (position > 0) {
            request.header("Range", "bytes=" + position + "-");
        }
        HttpResponse<InputStream> r = t.sendOnce(request, scopes);
        for (int i = 0; isRedirect(r.statusCode()); i++) {
            URI next = r.uri().resolve(r.headers().firstValue("Location").orElseThrow(() ->
                    new JboxException(t.registry() + " redirected blob " + blob.digest() + " to nowhere (no Location)")));
            r.body().close();
            if (i == MAX_REDIRECTS) {
                throw new JboxException(t.registry() + " redirected blob " + blob.digest() + " more than " + MAX_REDIRECTS + " times");
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(next).timeout(Duration.ofSeconds(60)).GET();
            if (position > 0) {
                b.header("Range", "bytes=" + position + "-");
            }
            r = next.getHost().equals(uri.getHost()) && next.getPort() == uri.getPort()
                    ? t.sendOnce(b, scopes) : t.sendElsewhere(b.build());
        }
        int status = r.statusCode();
        if (status == 206 && position > 0) {
            String range = r.headers().firstValue("Content-Range").orElse("");
            if (!range.startsWith("bytes " + position + "-")) {
                r.body().close();
                throw new JboxException(t.registry() + " answered a request for blob " + blob.digest() + " from byte "
                        + position + " with the range '" + range + "'; cannot resume");
            }
            return r.body();
        }
        if (status == 200) {
            InputStream in = r.body();
            // The server ignored the Range: skip what is already had (the store has hashed it).
            long skip = position;
            while (skip > 0) {
                long n = in.skip(skip);
                if (n <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException("the body ended before byte " + position);
                    }
                    n = 1;
                }
                skip -= n;
            }
            return in;
        }
        String why = RegistryErrors.describe(r);
        if (status == 404) {
            throw new JboxException("blob " + blob.digest() + " is not in " + t.registry() + " (" + why
                    + "); the image there is incomplete: push it again");
        }
        if (status >= 500) {
            throw new IOException("the registry answered " + why); // a restarting server: worth another try
        }
        throw new JboxException("cannot download blob " + blob.digest() + " from " + t.registry() + ": " + why);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private void closeCurrent() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // the connection is broken already
            }
            current = null;
        }
    }

    @Override
    public void close() {
        closeCurrent();
    }
}

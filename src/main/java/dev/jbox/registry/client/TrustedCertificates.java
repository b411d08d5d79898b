package dev.jbox.registry.client;

import dev.jbox.JboxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A registry with its own CA (a course's, a company's): the certificates in
 * {@code certs.d/HOST:PORT/*.crt}, as Docker reads {@code /etc/docker/certs.d}, trusted for that
 * registry in addition to the system's CAs. Null when there are none: the JDK's defaults apply.
 */
final class TrustedCertificates {
    private TrustedCertificates() {
    }

    static SSLContext forRegistry(String registry, List<Path> certDirs) {
        List<Path> files = new ArrayList<>();
        for (Path dir : certDirs) {
            Path d = dir.resolve(registry);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(f -> f.getFileName().toString().endsWith(".crt")).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new JboxException("cannot read the CA certificates in " + d + ": " + e.getMessage());
                }
            }
        }
        if (files.isEmpty()) {
            return null;
        }
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Path f : files) {
                try (InputStream in = Files.newInputStream(f)) {
                    int n = 0;
                    for (Certificate c : cf.generateCertificates(in)) {
                        ks.setCertificateEntry(f.getFileName() + "-" + n++, c);
                    }
                }
            }
            X509TrustManager extra = trustManager(ks);
            X509TrustManager system = trustManager(null);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {new EitherTrustManager(system, extra)}, null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new JboxException("cannot load the CA certificates " + files + " for " + registry + ": " + e.getMessage()
                    + "; they must be PEM X.509 certificates");
        }
    }

    private static X509TrustManager trustManager(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        for (javax.net.ssl.TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** Trusts a server chain either the system's CAs or the registry's own accept. */
    private record EitherTrustManager(X509TrustManager first, X509TrustManager second) implements X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            first.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            try {
                first.checkServerTrusted(chain, authType);
            } catch (java.security.cert.CertificateException e) {
                second.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            java.security.cert.X509Certificate[] a = first.getAcceptedIssuers();
            java.security.cert.X509Certificate[] b = second.getAcceptedIssuers();
            java.security.cert.X509Certificate[] all = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
        }
    }
}

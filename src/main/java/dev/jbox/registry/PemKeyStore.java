package dev.jbox.registry;

import dev.jbox.JboxException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --tls-cert}/{@code --tls-key}: PEM files, as openssl, certbot and Docker's docs make
 * them, read into an in-memory {@link KeyStore} by the JDK alone (no openssl at run time). The
 * certificate file may hold the chain after the server's certificate. The key may be PKCS#8
 * ({@code BEGIN PRIVATE KEY}: RSA, EC or Ed25519) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY},
 * wrapped here into PKCS#8); an encrypted key is refused, with the command that decrypts it.
 */
final class PemKeyStore {
    /** Only guards the key in this process's memory; never written anywhere. */
    static final char[] PASSWORD = "jbox-registry".toCharArray();
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    /** The DER prefix of a PKCS#8 PrivateKeyInfo for rsaEncryption, before the PKCS#1 key's bytes. */
    private static final byte[] RSA_ALGORITHM = {0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48,
        (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemKeyStore() {
    }

    static KeyStore load(Path certFile, Path keyFile) {
        List<Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        if (!chain.get(0).getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            throw new JboxException("--tls-key " + keyFile + " is a " + key.getAlgorithm() + " key but --tls-cert "
                    + certFile + " certifies a " + chain.get(0).getPublicKey().getAlgorithm() + " key: give the key of that certificate");
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("registry", key, PASSWORD, chain.toArray(Certificate[]::new));
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new JboxException("cannot hold --tls-key " + keyFile + " with --tls-cert " + certFile + ": " + e.getMessage());
        }
    }

    private static List<Certificate> certificates(Path file) {
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            List<Certificate> chain = new ArrayList<>(x509.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file))));
            if (chain.isEmpty()) {
                throw new JboxException("--tls-cert " + file + " holds no certificate: give a PEM file with -----BEGIN CERTIFICATE-----");
            }
            return chain;
        } catch (IOException | GeneralSecurityException e) {
            throw new JboxException("--tls-cert " + file + ": not a readable PEM certificate (" + e.getMessage()
                    + "); give a file with -----BEGIN CERTIFICATE-----");
        }
    }

    private static PrivateKey privateKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new JboxException("--tls-key " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2).strip());
            } catch (IllegalArgumentException e) {
                throw new JboxException("--tls-key " + file + ": the " + type + " block is not base64");
            }
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, der);
                }
                case "RSA PRIVATE KEY" -> {
                    if (text.contains("Proc-Type: 4,ENCRYPTED")) {
                        throw encrypted(file);
                    }
                    return pkcs8(file, wrapRsa(der));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw encrypted(file);
                case "EC PRIVATE KEY" -> throw new JboxException("--tls-key " + file
                        + " is an EC key in the SEC1 form; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
                default -> {
                    // EC PARAMETERS and the like precede the key in some files
                }
            }
        }
        throw new JboxException("--tls-key " + file + " holds no private key: give a PEM file with -----BEGIN PRIVATE KEY-----");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException tryNext) {
                // the PKCS#8 header names the algorithm, but KeyFactory must be picked first
            }
        }
        throw new JboxException("--tls-key " + file + ": not an RSA, EC or Ed25519 private key the JDK can read");
    }

    private static JboxException encrypted(Path file) {
        return new JboxException("--tls-key " + file + " is encrypted; the server cannot ask for its pass phrase: "
                + "decrypt it with openssl pkey -in " + file + " -out key.pem");
    }

    /** PKCS#1 RSAPrivateKey -> PKCS#8 PrivateKeyInfo: SEQUENCE { version 0, rsaEncryption, OCTET STRING key }. */
    static byte[] wrapRsa(byte[] pkcs1) {
        byte[] octet = tlv(0x04, pkcs1);
        byte[] body = new byte[RSA_ALGORITHM.length + octet.length];
        System.arraycopy(RSA_ALGORITHM, 0, body, 0, RSA_ALGORITHM.length);
        System.arraycopy(octet, 0, body, RSA_ALGORITHM.length, octet.length);
        return tlv(0x30, body);
    }

    private static byte[] tlv(int tag, byte[] value) {
        int n = value.length;
        byte[] length = n < 0x80 ? new byte[] {(byte) n}
                : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
                : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
                : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        byte[] out = new byte[1 + length.length + n];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(value, 0, out, 1 + length.length, n);
        return out;
    }
}

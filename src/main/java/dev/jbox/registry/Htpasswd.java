package dev.jbox.registry;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.jbox.JboxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The users of {@code --htpasswd FILE}: one {@code user:hash} a line, the hash bcrypt
 * ({@code $2y$}, as {@code htpasswd -B} writes; {@code $2a$}/{@code $2b$} too). Other hash kinds
 * (MD5 {@code $apr1$}, SHA-1, crypt) are refused when the file is read: they are fast to guess.
 *
 * <p>bcrypt is slow on purpose (~50-100 ms a check at cost 10), and a Basic client sends its
 * password with every request, so a checked pair is remembered as an HMAC under a key that lives
 * only in this process: a push of 20 layers costs one bcrypt, not 60.
 */
public final class Htpasswd {
    /** bcrypt reads at most 72 bytes of a password; htpasswd's bcrypt ignores the rest, and so do we. */
    private static final int BCRYPT_MAX_BYTES = 72;
    private final Map<String, byte[]> hashes;
    /** Checked when the user is unknown, so the answer takes as long either way. */
    private final byte[] dummy;
    private final Set<String> checked = ConcurrentHashMap.newKeySet();
    private final byte[] cacheKey = new byte[32];

    Htpasswd(Map<String, byte[]> hashes) {
        this.hashes = Map.copyOf(hashes);
        SecureRandom random = new SecureRandom();
        random.nextBytes(cacheKey);
        this.dummy = BCrypt.with(BCrypt.Version.VERSION_2Y).hash(10, cacheKey);
    }

    /** Reads {@code file}; a line that is not {@code user:bcrypt-hash} is one error naming the line and the fix. */
    public static Htpasswd load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new JboxException("--htpasswd " + file + ": cannot read it (" + e.getMessage() + "); create it with 'htpasswd -Bc " + file + " USER'");
        }
        Map<String, byte[]> hashes = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String user = colon < 0 ? line : line.substring(0, colon);
            String hash = colon < 0 ? "" : line.substring(colon + 1);
            if (user.isEmpty() || !hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                throw new JboxException("--htpasswd " + file + " line " + (i + 1) + ": '" + user
                        + "' has no bcrypt hash ($2y$...); only bcrypt is accepted: write it with 'htpasswd -B " + file + " " + user + "'");
            }
            hashes.put(user, hash.getBytes(StandardCharsets.US_ASCII));
        }
        if (hashes.isEmpty()) {
            throw new JboxException("--htpasswd " + file + " names no user: add one with 'htpasswd -B " + file + " USER'");
        }
        return new Htpasswd(hashes);
    }

    /** Whether {@code password} is {@code user}'s. */
    public boolean verify(String user, String password) {
        String memo = memo(user, password);
        byte[] hash = hashes.get(user);
        if (hash != null && checked.contains(memo)) {
            return true;
        }
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        pw = Arrays.copyOf(pw, Math.min(pw.length, BCRYPT_MAX_BYTES));
        boolean ok = BCrypt.verifyer().verify(pw, hash != null ? hash : dummy).verified && hash != null;
        if (ok) {
            checked.add(memo);
        }
        return ok;
    }

    /**
     * The user of an {@code Authorization: Basic} header whose password checks, or null: no
     * header, another scheme, a malformed one, or a wrong password.
     */
    String authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = pair.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String user = pair.substring(0, colon);
        return verify(user, pair.substring(colon + 1)) ? user : null;
    }

    private String memo(String user, String password) {
        byte[] h = Tokens.hmac(cacheKey, (user + '\0' + password + '\0' + new String(hashes.getOrDefault(user, dummy), StandardCharsets.US_ASCII))
                .getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(h);
    }
}

package dev.jbox.registry.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbox.JboxException;
import dev.jbox.Json;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.Map;

/**
 * The logins, kept as Docker keeps them: {@code config.json} with
 * {@code "auths": {"HOST": {"auth": base64(user:password)}}}, mode 0600 (the password is only
 * encoded, not encrypted, so the file mode is what protects it). Other keys in the file are kept
 * as they are, so a file shared with Docker (through {@code $DOCKER_CONFIG}) survives a jbox login.
 *
 * <p>Where: {@code $DOCKER_CONFIG/config.json} if that is set, else {@code ~/.jbox/config.json}:
 * not Docker's own {@code ~/.docker/config.json}, because jbox runs as root and a login there
 * would change what Docker does, and because jbox does not run Docker's credential helpers
 * ({@code credsStore}), whose entries it could not read.
 */
public final class CredentialStore {
    /** Docker Hub's key in config.json, as {@code docker login} writes it. */
    static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

    private final Path file;

    public CredentialStore(Path file) {
        this.file = file;
    }

    /** The store the CLI uses: {@code --config DIR}, else $DOCKER_CONFIG, else ~/.jbox. */
    public static CredentialStore of(Path configDir) {
        Path dir = configDir;
        if (dir == null) {
            String docker = System.getenv("DOCKER_CONFIG");
            dir = docker != null && !docker.isBlank() ? Path.of(docker)
                    : Path.of(System.getProperty("user.home"), ".jbox");
        }
        return new CredentialStore(dir.resolve("config.json"));
    }

    public Path file() {
        return file;
    }

    /** The key a registry's login is kept under: the host as given, Docker Hub's under its old URL. */
    static String key(String registry) {
        return normalise(registry).equals("docker.io") ? DOCKER_HUB_KEY : normalise(registry);
    }

    /** Docker's ConvertToHostname, plus Docker Hub's many names: {@code https://HOST/v1/} -> HOST. */
    static String normalise(String key) {
        String host = key.replaceFirst("^https?://", "");
        int slash = host.indexOf('/');
        host = slash < 0 ? host : host.substring(0, slash);
        return switch (host) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> "docker.io";
            default -> host;
        };
    }

    /** The login for {@code registry} (e.g. localhost:5000, docker.io), or null. */
    public Credentials get(String registry) {
        JsonNode auths = read().path("auths");
        String wanted = normalise(registry);
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (normalise(e.getKey()).equals(wanted)) {
                JsonNode entry = e.getValue();
                if (entry.hasNonNull("auth")) {
                    return Credentials.fromBasic(entry.get("auth").asText());
                }
                if (entry.hasNonNull("username") && entry.hasNonNull("password")) {
                    return new Credentials(entry.get("username").asText(), entry.get("password").asText());
                }
            }
        }
        return null;
    }

    public void put(String registry, Credentials credentials) {
        ObjectNode config = read();
        ObjectNode auths = config.with("auths");
        removeEntries(auths, registry);
        auths.putObject(key(registry)).put("auth", credentials.basic());
        write(config);
    }

    /** Removes the login for {@code registry}; false if there was none. */
    public boolean remove(String registry) {
        ObjectNode config = read();
        if (!(config.get("auths") instanceof ObjectNode auths) || !removeEntries(auths, registry)) {
            return false;
        }
        write(config);
        return true;
    }

    private static boolean removeEntries(ObjectNode auths, String registry) {
        boolean removed = false;
        for (Iterator<String> it = auths.fieldNames(); it.hasNext(); ) {
            if (normalise(it.next()).equals(normalise(registry))) {
                it.remove();
                removed = true;
            }
        }
        return removed;
    }

    private ObjectNode read() {
        if (!Files.exists(file)) {
            return Json.mapper().createObjectNode();
        }
        try {
            JsonNode node = Json.mapper().readTree(file.toFile());
            if (node instanceof ObjectNode o) {
                return o;
            }
            if (node == null || node.isMissingNode()) {
                return Json.mapper().createObjectNode(); // an empty file
            }
        } catch (IOException e) {
            throw new JboxException("cannot read the logins in " + file + ": " + e.getMessage()
                    + "; fix or remove the file, then log in again");
        }
        throw new JboxException("cannot read the logins in " + file + ": it is not a JSON object; fix or remove it");
    }

    /** Writes a new file, mode 0600 from its creation on, and renames it over the old one. */
    private void write(ObjectNode config) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                throw new IOException("another jbox login is writing " + tmp, e);
            }
            Json.mapper().writeValue(tmp.toFile(), config);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write failed already; that is the error to report
            }
            throw new JboxException("cannot write the logins to " + file + ": " + e.getMessage());
        }
    }
}

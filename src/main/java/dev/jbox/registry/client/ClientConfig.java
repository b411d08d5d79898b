package dev.jbox.registry.client;

import java.nio.file.Path;
import java.util.List;

/**
 * What every connection to a registry needs to know: the logins, which registries may be plain
 * HTTP, how to retry, and where extra CA certificates are ({@code certs.d/HOST:PORT/*.crt}, as
 * Docker's {@code /etc/docker/certs.d}).
 */
public record ClientConfig(CredentialStore credentials, InsecureRegistries insecure, RetryPolicy retry, List<Path> certDirs) {
    public static final Path DOCKER_CERTS = Path.of("/etc/docker/certs.d");

    /** The CLI's: the config directory's logins and certs.d, then Docker's certs.d. */
    public static ClientConfig of(Path configDir, List<String> insecureRegistries) {
        CredentialStore store = CredentialStore.of(configDir);
        return new ClientConfig(store, InsecureRegistries.of(insecureRegistries), RetryPolicy.DEFAULT,
                List.of(store.file().resolveSibling("certs.d"), DOCKER_CERTS));
    }

    public ClientConfig withRetry(RetryPolicy r) {
        return new ClientConfig(credentials, insecure, r, certDirs);
    }
}

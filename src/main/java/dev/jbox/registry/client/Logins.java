package dev.jbox.registry.client;

import dev.jbox.JboxException;
import dev.jbox.registry.client.Authenticator.Scopes;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@code jbox login} and {@code logout}: a login is checked against the registry before it is stored. */
public final class Logins {
    private Logins() {
    }

    /** The registry a login names: HOST[:PORT], Docker Hub when none is given (any of its URLs). */
    public static String registry(String server) {
        return server == null || server.isBlank() ? "docker.io" : CredentialStore.normalise(server.strip());
    }

    /** Asks the registry whether it takes {@code credentials} (for Bearer: whether its token service does), then stores them. */
    public static void login(String registry, Credentials credentials, ClientConfig config) {
        RegistryTransport t = RegistryTransport.connect(registry, config, credentials);
        HttpRequest.Builder ping = HttpRequest.newBuilder(t.uri("/v2/")).timeout(Duration.ofSeconds(30)).GET();
        HttpResponse<InputStream> r = t.send(ping, Scopes.of(), true); // a refused login is an error from here
        String answer = RegistryErrors.describe(r);
        if (r.statusCode() != 200) {
            throw new JboxException("login to " + registry + " failed: " + answer);
        }
        config.credentials().put(registry, credentials);
    }

    /** Forgets the login for {@code registry}; false if there was none. */
    public static boolean logout(String registry, ClientConfig config) {
        return config.credentials().remove(registry);
    }
}

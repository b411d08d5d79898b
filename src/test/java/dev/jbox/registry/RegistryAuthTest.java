package dev.jbox.registry;

import static dev.jbox.registry.RegistryClient.errorCode;
import static dev.jbox.registry.RegistryClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import dev.jbox.image.Digest;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --htpasswd} (Basic) and {@code --auth token} (Bearer, Docker Hub's flow), over loopback
 * HTTP with the JDK's client. The htpasswd lines were written by Apache's {@code htpasswd -nbB}.
 */
class RegistryAuthTest {
    /** {@code htpasswd -nbB alice 'wonder land'} and {@code htpasswd -nbB bob s3cret}. */
    static final String HTPASSWD = "alice:$2y$05$loAyLf2QHSipqaaCzfIszuVsgpcZeixS4KSVS9se2/d034gp4RIim\n"
            + "# a comment, and an empty line\n\n"
            + "bob:$2y$05$QO36eq9mnK/xcXk6eWQ9CeiaOfGHhSHv7p3RfjYL/fxpslqZ/.8Im\n";

    @TempDir
    Path dir;
    RegistryClient reg;

    @AfterEach
    void stop() {
        if (reg != null) {
            reg.close();
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    Htpasswd users() throws IOException {
        Path file = dir.resolve("htpasswd");
        Files.writeString(file, HTPASSWD);
        return Htpasswd.load(file);
    }

    @Test
    void htpasswdChecksBcryptPasswordsAsApacheWroteThem() throws IOException {
        Htpasswd users = users();
        assertThat(users.verify("alice", "wonder land")).isTrue();
        assertThat(users.verify("alice", "wonder land")).as("remembered").isTrue();
        assertThat(users.verify("alice", "wonderland")).isFalse();
        assertThat(users.verify("bob", "s3cret")).isTrue();
        assertThat(users.verify("mallory", "s3cret")).isFalse();
        assertThat(users.authenticate(basic("bob", "s3cret"))).isEqualTo("bob");
        assertThat(users.authenticate(basic("bob", "wrong"))).isNull();
        assertThat(users.authenticate("Basic %%%")).isNull();
        assertThat(users.authenticate("Bearer abc")).isNull();
    }

    @Test
    void htpasswdRefusesHashesOtherThanBcrypt() throws IOException {
        Path file = dir.resolve("htpasswd");
        Files.writeString(file, HTPASSWD + "carol:$apr1$gbZZmJGO$BSr2zUd8Wmg.WodqGGQRG1\n"); // htpasswd -nbm
        assertThatThrownBy(() -> Htpasswd.load(file)).isInstanceOf(JboxException.class)
                .hasMessageContaining("line 5").hasMessageContaining("'carol'").hasMessageContaining("htpasswd -B");
        Files.writeString(file, "# nobody\n");
        assertThatThrownBy(() -> Htpasswd.load(file)).hasMessageContaining("names no user");
        assertThatThrownBy(() -> Htpasswd.load(dir.resolve("missing"))).hasMessageContaining("cannot read it");
    }

    @Test
    void basicAuthLetsInTheFilesUsersOnly() throws IOException {
        Htpasswd users = users();
        reg = new RegistryClient(dir.resolve("store"), o -> o.users(users, false), HttpClient.newBuilder());
        HttpResponse<byte[]> anonymous = reg.send("GET", "/v2/");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"jbox-registry\"");
        assertThat(errorCode(anonymous)).isEqualTo("UNAUTHORIZED");

        reg.authorization = basic("alice", "wrong");
        assertThat(reg.send("POST", "/v2/app/blobs/uploads/", new byte[0]).statusCode()).isEqualTo(401);
        assertThat(reg.store.repository(new RepositoryName("app")).exists()).isFalse();

        reg.authorization = basic("alice", "wonder land");
        assertThat(reg.send("GET", "/v2/").statusCode()).isEqualTo(200);
        Digest d = reg.push("app", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(reg.send("GET", "/v2/app/blobs/" + d).body()).asString().isEqualTo("hello");
    }

    @Test
    void tokenModeChallengesIssuesAndChecksScopedTokens() throws IOException {
        Htpasswd users = users();
        reg = new RegistryClient(dir.resolve("store"), o -> o.users(users, true), HttpClient.newBuilder());
        String realm = "http://127.0.0.1:" + reg.server.port() + "/token";

        HttpResponse<byte[]> probe = reg.send("GET", "/v2/");
        assertThat(probe.statusCode()).isEqualTo(401);
        assertThat(probe.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"" + realm + "\",service=\"jbox-registry\"");
        HttpResponse<byte[]> push = reg.send("POST", "/v2/team/app/blobs/uploads/", new byte[0]);
        assertThat(push.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"" + realm + "\",service=\"jbox-registry\",scope=\"repository:team/app:pull,push\"");
        assertThat(errorCode(push)).isEqualTo("UNAUTHORIZED");

        // The realm wants the user's password; a wrong one gets a Basic challenge.
        HttpResponse<byte[]> noPassword = reg.send("GET", "/token?service=jbox-registry&scope=repository:team/app:pull");
        assertThat(noPassword.statusCode()).isEqualTo(401);
        assertThat(noPassword.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"jbox-registry\"");

        String pullOnly = token("repository:team/app:pull");
        reg.authorization = "Bearer " + pullOnly;
        assertThat(reg.send("GET", "/v2/").statusCode()).isEqualTo(200);
        assertThat(errorCode(reg.send("GET", "/v2/team/app/tags/list"))).as("let in, then not found").isEqualTo("NAME_UNKNOWN");
        HttpResponse<byte[]> tooLittle = reg.send("POST", "/v2/team/app/blobs/uploads/", new byte[0]);
        assertThat(tooLittle.statusCode()).isEqualTo(401);
        assertThat(tooLittle.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"insufficient_scope\"");
        assertThat(reg.send("GET", "/v2/other/tags/list").statusCode()).as("another repository").isEqualTo(401);

        // Two scopes in one token, as docker asks for a mount: push here, pull from the source.
        reg.authorization = "Bearer " + token("repository:team/app:pull,push&scope=repository:base:pull");
        Digest d = reg.push("team/app", "layer".getBytes(StandardCharsets.UTF_8));
        assertThat(reg.send("GET", "/v2/base/blobs/" + d).statusCode()).as("pull allowed, blob absent").isEqualTo(404);
        assertThat(reg.send("DELETE", "/v2/team/app/blobs/" + d).statusCode()).as("delete not granted").isEqualTo(401);

        // A token altered by the client is refused, whatever it claims.
        String[] parts = pullOnly.split("\\.");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("\"pull\"", "\"pull\",\"push\"").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        reg.authorization = "Bearer " + forged;
        HttpResponse<byte[]> refused = reg.send("POST", "/v2/team/app/blobs/uploads/", new byte[0]);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
    }

    /** What docker does on a challenge: ask the realm with its password, keep the token. */
    private String token(String scopes) {
        String saved = reg.authorization;
        reg.authorization = basic("bob", "s3cret");
        HttpResponse<byte[]> r = reg.send("GET", "/token?service=jbox-registry&scope=" + scopes);
        reg.authorization = saved;
        assertThat(r.statusCode()).as(RegistryClient.text(r)).isEqualTo(200);
        assertThat(json(r).path("expires_in").asLong()).isEqualTo(300);
        assertThat(json(r).path("access_token").asText()).isEqualTo(json(r).path("token").asText());
        return json(r).path("token").asText();
    }

    @Test
    void tokensExpireAndBelongToOneServer() {
        Tokens tokens = new Tokens("jbox-registry", Duration.ofMinutes(5));
        Instant t = Instant.parse("2026-11-30T12:00:00Z");
        String token = tokens.issue("bob", List.of(Scope.parse("repository:app:pull")), t);
        assertThat(tokens.verify(token, t.plusSeconds(299))).containsExactly(Scope.parse("repository:app:pull"));
        assertThat(tokens.verify(token, t.plusSeconds(300))).as("expired").isNull();
        assertThat(tokens.verify(token, t.minusSeconds(1))).as("not yet valid").isNull();
        assertThat(new Tokens("jbox-registry", Duration.ofMinutes(5)).verify(token, t)).as("another key").isNull();
        assertThat(new Tokens("other", Duration.ofMinutes(5)).verify(token, t)).isNull();
        assertThat(tokens.verify("not.a.token", t)).isNull();
    }

    @Test
    void scopesCoverOnlyTheirRepositoryAndActions() {
        Scope granted = Scope.parse("repository:team/app:pull,push");
        assertThat(granted.covers(Scope.parse("repository:team/app:pull"))).isTrue();
        assertThat(granted.covers(Scope.parse("repository:team/app:pull,push"))).isTrue();
        assertThat(granted.covers(Scope.parse("repository:team/app:delete"))).isFalse();
        assertThat(granted.covers(Scope.parse("repository:team/app2:pull"))).isFalse();
        assertThat(Scope.parse("repository:team/app:*").covers(Scope.parse("repository:team/app:delete"))).isTrue();
        assertThat(Scope.parse("repository:localhost:5000/app:pull").name()).isEqualTo("localhost:5000/app");
        assertThat(granted.toString()).isEqualTo("repository:team/app:pull,push");
    }
}

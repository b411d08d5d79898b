package dev.jbox.registry;

import static dev.jbox.registry.RegistryClient.errorCode;
import static dev.jbox.registry.RegistryClient.json;
import static dev.jbox.registry.RegistryClient.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbox.JboxException;
import dev.jbox.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Manifests, indexes, tags, referrers and garbage collection, over the wire. */
class RegistryManifestsTest extends RegistryTestBase {
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String INDEX = "application/vnd.oci.image.index.v1+json";
    static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String LAYER = "application/vnd.oci.image.layer.v1.tar";

    static String descriptor(String mediaType, Digest d, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + d + "\",\"size\":" + size + "}";
    }

    /** Pushes a config and one layer, and returns the manifest naming them (not pushed). */
    byte[] image(String repo, String layerText, String extra) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"x\":\"" + layerText + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = layerText.getBytes(StandardCharsets.UTF_8);
        Digest c = reg.push(repo, config);
        Digest l = reg.push(repo, layer);
        // Odd spacing on purpose: the registry must hand back these bytes, not its own rendering.
        return ("{ \"schemaVersion\": 2,\n  \"mediaType\": \"" + MANIFEST + "\",\n  \"config\": " + descriptor(CONFIG, c, config.length)
                + ",\n  \"layers\": [" + descriptor(LAYER, l, layer.length) + "]" + extra + " }\n").getBytes(StandardCharsets.UTF_8);
    }

    HttpResponse<byte[]> putManifest(String repo, String reference, byte[] manifest, String type) {
        return reg.send("PUT", "/v2/" + repo + "/manifests/" + reference, manifest, "Content-Type", type);
    }

    @Test
    void pushByTagPullsTheExactBytesBack() {
        byte[] manifest = image("lib/app", "layer-1", "");
        Digest d = Digest.sha256(manifest);
        HttpResponse<byte[]> put = putManifest("lib/app", "v1", manifest, MANIFEST);
        assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(d.toString());
        assertThat(put.headers().firstValue("Location")).hasValue("/v2/lib/app/manifests/" + d);

        for (String reference : List.of("v1", d.toString())) {
            HttpResponse<byte[]> get = reg.send("GET", "/v2/lib/app/manifests/" + reference, "Accept", MANIFEST);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(manifest);
            assertThat(get.headers().firstValue("Content-Type")).hasValue(MANIFEST);
            assertThat(get.headers().firstValue("Docker-Content-Digest")).hasValue(d.toString());
            HttpResponse<byte[]> head = reg.send("HEAD", "/v2/lib/app/manifests/" + reference);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(manifest.length));
        }
        assertThat(errorCode(reg.send("GET", "/v2/lib/app/manifests/v2"))).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(errorCode(reg.send("GET", "/v2/lib/nothing/manifests/v1"))).isEqualTo("NAME_UNKNOWN");
    }

    @Test
    void sha512ManifestsByDigest() throws IOException {
        byte[] manifest = image("app", "layer-512", "");
        Digest d = Digest.of("sha512", new ByteArrayInputStream(manifest));
        HttpResponse<byte[]> put = putManifest("app", d.toString(), manifest, MANIFEST);
        assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(d.toString());
        assertThat(reg.send("GET", "/v2/app/manifests/" + d).body()).isEqualTo(manifest);

        Digest wrong = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> mismatch = putManifest("app", wrong.toString(), manifest, MANIFEST);
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(errorCode(mismatch)).isEqualTo("DIGEST_INVALID");
    }

    @Test
    void refusesManifestsNamingBlobsTheRepositoryLacks() {
        byte[] manifest = image("app", "layer-2", "");
        HttpResponse<byte[]> elsewhere = putManifest("other", "v1", manifest, MANIFEST);
        assertThat(elsewhere.statusCode()).isEqualTo(400);
        assertThat(errorCode(elsewhere)).isEqualTo("MANIFEST_BLOB_UNKNOWN");
        assertThat(errorCode(reg.send("GET", "/v2/other/manifests/v1"))).isIn("MANIFEST_UNKNOWN", "NAME_UNKNOWN");
    }

    @Test
    void refusesWhatIsNotAManifest() {
        assertThat(errorCode(putManifest("app", "v1", "not json".getBytes(StandardCharsets.UTF_8), MANIFEST))).isEqualTo("MANIFEST_INVALID");
        assertThat(errorCode(putManifest("app", "v1", "[1]".getBytes(StandardCharsets.UTF_8), MANIFEST))).isEqualTo("MANIFEST_INVALID");
        byte[] manifest = image("app", "layer-3", "");
        assertThat(errorCode(putManifest("app", "v1", manifest, INDEX))).isEqualTo("MANIFEST_INVALID");
        assertThat(errorCode(putManifest("app", "-bad", manifest, MANIFEST))).isEqualTo("MANIFEST_INVALID");
    }

    @Test
    void imageIndexesNameManifestsOfTheRepository() {
        byte[] amd = image("app", "amd64-layer", "");
        byte[] arm = image("app", "arm64-layer", "");
        Digest a = Digest.sha256(amd);
        Digest b = Digest.sha256(arm);
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":[" + descriptor(MANIFEST, a, amd.length)
                + "," + descriptor(MANIFEST, b, arm.length) + "]}").getBytes(StandardCharsets.UTF_8);
        assertThat(putManifest("app", a.toString(), amd, MANIFEST).statusCode()).isEqualTo(201);
        HttpResponse<byte[]> early = putManifest("app", "multi", index, INDEX);
        assertThat(errorCode(early)).isEqualTo("MANIFEST_BLOB_UNKNOWN");
        assertThat(putManifest("app", b.toString(), arm, MANIFEST).statusCode()).isEqualTo(201);
        assertThat(putManifest("app", "multi", index, INDEX).statusCode()).isEqualTo(201);
        HttpResponse<byte[]> get = reg.send("GET", "/v2/app/manifests/multi");
        assertThat(get.headers().firstValue("Content-Type")).hasValue(INDEX);
        assertThat(get.body()).isEqualTo(index);
    }

    @Test
    void acceptsFourMebibyteManifestsAndNoMore() {
        byte[] small = image("app", "big-layer", "");
        String head = new String(small, StandardCharsets.UTF_8).stripTrailing();
        head = head.substring(0, head.length() - 1) + ",\"annotations\":{\"pad\":\"";
        String tail = "\"}}";
        int fill = ManifestHandler.MAX_MANIFEST - head.length() - tail.length();
        byte[] exactly = (head + "x".repeat(fill) + tail).getBytes(StandardCharsets.UTF_8);
        assertThat(exactly).hasSize(4 * 1024 * 1024);
        HttpResponse<byte[]> ok = putManifest("app", "big", exactly, MANIFEST);
        assertThat(ok.statusCode()).as(text(ok)).isEqualTo(201);
        assertThat(reg.send("GET", "/v2/app/manifests/big").body()).isEqualTo(exactly);
        byte[] over = (head + "x".repeat(fill + 1) + tail).getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> tooBig = putManifest("app", "bigger", over, MANIFEST);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(errorCode(tooBig)).isEqualTo("SIZE_INVALID");
    }

    @Test
    void tagListingPagesWithNLastAndLink() {
        byte[] manifest = image("app", "tagged", "");
        for (String tag : List.of("e", "b", "a", "d", "c")) {
            assertThat(putManifest("app", tag, manifest, MANIFEST).statusCode()).isEqualTo(201);
        }
        JsonNode all = json(reg.send("GET", "/v2/app/tags/list"));
        assertThat(all.path("name").asText()).isEqualTo("app");
        assertThat(texts(all.path("tags"))).containsExactly("a", "b", "c", "d", "e");

        HttpResponse<byte[]> first = reg.send("GET", "/v2/app/tags/list?n=2");
        assertThat(texts(json(first).path("tags"))).containsExactly("a", "b");
        assertThat(first.headers().firstValue("Link")).hasValue("</v2/app/tags/list?n=2&last=b>; rel=\"next\"");
        HttpResponse<byte[]> second = reg.send("GET", "/v2/app/tags/list?n=2&last=b");
        assertThat(texts(json(second).path("tags"))).containsExactly("c", "d");
        HttpResponse<byte[]> last = reg.send("GET", "/v2/app/tags/list?n=2&last=d");
        assertThat(texts(json(last).path("tags"))).containsExactly("e");
        assertThat(last.headers().firstValue("Link")).isEmpty();
        assertThat(errorCode(reg.send("GET", "/v2/none/tags/list"))).isEqualTo("NAME_UNKNOWN");
    }

    @Test
    void deleteByTagAndByDigest() {
        byte[] manifest = image("app", "deleted", "");
        Digest d = Digest.sha256(manifest);
        putManifest("app", "v1", manifest, MANIFEST);
        putManifest("app", "v2", manifest, MANIFEST);
        assertThat(reg.send("DELETE", "/v2/app/manifests/v1").statusCode()).isEqualTo(202);
        assertThat(reg.send("GET", "/v2/app/manifests/v1").statusCode()).isEqualTo(404);
        assertThat(reg.send("GET", "/v2/app/manifests/" + d).statusCode()).isEqualTo(200);
        assertThat(reg.send("DELETE", "/v2/app/manifests/" + d).statusCode()).isEqualTo(202);
        assertThat(errorCode(reg.send("GET", "/v2/app/manifests/" + d))).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(errorCode(reg.send("GET", "/v2/app/manifests/v2"))).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(errorCode(reg.send("DELETE", "/v2/app/manifests/" + d))).isEqualTo("MANIFEST_UNKNOWN");
    }

    @Test
    void referrersListManifestsWithASubject() {
        byte[] subject = image("app", "signed", "");
        Digest s = Digest.sha256(subject);
        putManifest("app", "v1", subject, MANIFEST);
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        Digest e = reg.push("app", empty);
        byte[] sig = ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"artifactType\":\"application/vnd.example.sig\","
                + "\"config\":" + descriptor("application/vnd.oci.empty.v1+json", e, 2) + ",\"layers\":[" + descriptor("application/vnd.oci.empty.v1+json", e, 2)
                + "],\"subject\":" + descriptor(MANIFEST, s, subject.length) + ",\"annotations\":{\"who\":\"me\"}}").getBytes(StandardCharsets.UTF_8);
        Digest sigDigest = Digest.sha256(sig);
        HttpResponse<byte[]> put = putManifest("app", sigDigest.toString(), sig, MANIFEST);
        assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
        assertThat(put.headers().firstValue("OCI-Subject")).hasValue(s.toString());

        HttpResponse<byte[]> all = reg.send("GET", "/v2/app/referrers/" + s);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).hasValue(INDEX);
        JsonNode listed = json(all).path("manifests");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("digest").asText()).isEqualTo(sigDigest.toString());
        assertThat(listed.get(0).path("artifactType").asText()).isEqualTo("application/vnd.example.sig");
        assertThat(listed.get(0).path("size").asLong()).isEqualTo(sig.length);
        assertThat(listed.get(0).path("annotations").path("who").asText()).isEqualTo("me");

        HttpResponse<byte[]> match = reg.send("GET", "/v2/app/referrers/" + s + "?artifactType=application/vnd.example.sig");
        assertThat(json(match).path("manifests")).hasSize(1);
        assertThat(match.headers().firstValue("OCI-Filters-Applied")).hasValue("artifactType");
        HttpResponse<byte[]> none = reg.send("GET", "/v2/app/referrers/" + s + "?artifactType=application/vnd.example.sbom");
        assertThat(json(none).path("manifests")).isEmpty();

        assertThat(reg.send("DELETE", "/v2/app/manifests/" + sigDigest).statusCode()).isEqualTo(202);
        assertThat(json(reg.send("GET", "/v2/app/referrers/" + s)).path("manifests")).isEmpty();
        assertThat(errorCode(reg.send("GET", "/v2/app/referrers/sha256:nothex"))).isEqualTo("DIGEST_INVALID");
    }

    @Test
    void gcRemovesOnlyUnreferencedBlobsAndNotWhileServing() throws IOException {
        byte[] kept = image("app", "kept-layer", "");
        byte[] dropped = image("app", "dropped-layer", "");
        Digest keptDigest = Digest.sha256(kept);
        Digest droppedDigest = Digest.sha256(dropped);
        putManifest("app", "kept", kept, MANIFEST);
        putManifest("app", "dropped", dropped, MANIFEST);
        Digest orphan = reg.push("app", "never named".getBytes(StandardCharsets.UTF_8));
        reg.send("DELETE", "/v2/app/manifests/" + droppedDigest);

        assertThatThrownBy(() -> GarbageCollector.collect(reg.store, false)).isInstanceOf(JboxException.class).hasMessageContaining("in use");
        reg.close();

        GarbageCollector.Result dry = GarbageCollector.collect(reg.store, true);
        assertThat(dry.removed()).hasSize(4); // the dropped manifest, its config and layer, the orphan
        assertThat(reg.store.blobs().contains(orphan)).isTrue();
        GarbageCollector.Result r = GarbageCollector.collect(reg.store, false);
        assertThat(r.removed()).containsExactlyInAnyOrderElementsOf(dry.removed()).contains(orphan, droppedDigest);
        assertThat(reg.store.blobs().contains(orphan)).isFalse();
        assertThat(reg.store.blobs().contains(keptDigest)).isTrue();

        reg = new RegistryClient(root);
        assertThat(reg.send("GET", "/v2/app/manifests/kept").body()).isEqualTo(kept);
        JsonNode m = json(reg.send("GET", "/v2/app/manifests/kept"));
        for (JsonNode d : List.of(m.path("config"), m.path("layers").get(0))) {
            assertThat(reg.send("HEAD", "/v2/app/blobs/" + d.path("digest").asText()).statusCode()).isEqualTo(200);
        }
        assertThat(reg.send("HEAD", "/v2/app/blobs/" + orphan).statusCode()).isEqualTo(404);
    }

    private static List<String> texts(JsonNode array) {
        List<String> all = new ArrayList<>();
        array.forEach(n -> all.add(n.asText()));
        return all;
    }
}

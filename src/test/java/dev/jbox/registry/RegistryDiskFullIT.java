package dev.jbox.registry;

import static dev.jbox.registry.RegistryBlobsTest.filesUnder;
import static dev.jbox.registry.RegistryClient.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.image.Digest;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk is one clear error (issue 13, item 5): the registry's root is a 4 MiB tmpfs, a push
 * of 8 MiB gets 507 and the spec's error body naming the full disk, nothing stays behind, and
 * the registry goes on serving. Root, a real mount; unmounted after, whatever happens.
 */
class RegistryDiskFullIT {
    @TempDir
    Path tmp;
    Path root;

    @Test
    void aFullDiskIsOneClearErrorAndLeavesNothingBehind() throws Exception {
        root = tmp.resolve("small");
        java.nio.file.Files.createDirectories(root);
        RegistryTransportTest.run(tmp, "mount", "-t", "tmpfs", "-o", "size=4m", "jbox-test-registry", root.toString());
        try (RegistryClient reg = new RegistryClient(root)) {
            fillTheDisk(reg);
        } finally {
            RegistryTransportTest.run(tmp, "umount", root.toString()); // here, not in @AfterEach: the leak check runs before that
        }
    }

    private void fillTheDisk(RegistryClient reg) throws IOException {
        byte[] big = RegistryReliabilityTest.random(8 * RegistryReliabilityTest.MIB);
        Digest d = Digest.sha256(big);
        HttpResponse<byte[]> r = reg.send("POST", "/v2/app/blobs/uploads/?digest=" + d, big);
        assertThat(r.statusCode()).as(RegistryClient.text(r)).isEqualTo(507);
        assertThat(errorCode(r)).isEqualTo("UNKNOWN");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("disk is full").contains("No space left on device");
        assertThat(filesUnder(root.resolve("uploads"))).isEmpty();
        assertThat(reg.store.blobs().contains(d)).isFalse();

        // A chunk that does not fit is dropped whole; the session keeps what it had.
        String loc = reg.startUpload("app");
        byte[] small = "fits".getBytes(StandardCharsets.UTF_8);
        assertThat(reg.send("PATCH", loc, small, "Content-Range", "0-3").statusCode()).isEqualTo(202);
        HttpResponse<byte[]> tooBig = reg.send("PATCH", loc, big, "Content-Range", "4-" + (3 + big.length));
        assertThat(tooBig.statusCode()).isEqualTo(507);
        assertThat(reg.send("GET", loc).headers().firstValue("Range")).hasValue("0-3");

        // The space is back: the registry goes on.
        assertThat(reg.send("PUT", RegistryClient.withQuery(loc, "digest=" + Digest.sha256(small)), new byte[0]).statusCode()).isEqualTo(201);
        reg.push("app", "after".getBytes(StandardCharsets.UTF_8));
    }
}

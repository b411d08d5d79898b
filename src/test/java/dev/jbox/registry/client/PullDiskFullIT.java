package dev.jbox.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import dev.jbox.image.ImageStore;
import dev.jbox.image.Reference;
import dev.jbox.image.StoredImage;
import dev.jbox.registry.RegistryServer;
import dev.jbox.registry.RegistryStore;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk on the client's side of a pull (issue 13, item 5; RegistryDiskFullIT is the
 * server's side): the store is a 4 MiB tmpfs, the image has an 8 MiB layer. The pull fails with
 * one line naming the full disk, and the store holds nothing of the image: no blob, no tag, no
 * ingest file. Root, a real mount; unmounted after, whatever happens.
 */
class PullDiskFullIT {
    @TempDir
    Path tmp;

    @Test
    void aFullDiskDuringAPullIsOneClearErrorAndLeavesNothingHalfWritten() throws Exception {
        try (RegistryServer server = RegistryServer.start(new RegistryStore(tmp.resolve("registry")),
                new InetSocketAddress("127.0.0.1", 0), RegistryServer.DEFAULT_UPLOAD_EXPIRY)) {
            String name = "127.0.0.1:" + server.port() + "/big:v1";
            ImageStore source = TestImages.store(tmp.resolve("source"));
            StoredImage made = TestImages.image(source, name, "amd64", TestImages.bytes(1, 100_000), TestImages.bytes(2, 8 << 20));
            new ImagePusher(source, TestImages.NO_LOGINS_FAST_RETRY, new TestImages.Recorded().progress(), 0).push(Reference.parse(name));

            Path small = Files.createDirectories(tmp.resolve("small"));
            run("mount", "-t", "tmpfs", "-o", "size=4m", "jbox-test-client", small.toString());
            try {
                ImageStore target = TestImages.store(small);
                assertThatThrownBy(() -> new ImagePuller(target, TestImages.NO_LOGINS_FAST_RETRY, new TestImages.Recorded().progress(),
                        Platform.host()).pull(Reference.parse(name)))
                        .isInstanceOf(JboxException.class)
                        .hasMessageContaining("No space left on device")
                        .hasMessageContaining("check the space")
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
                assertThat(target.list()).as("no image, no tag").isEmpty();
                assertThat(target.hasBlob(made.layers().get(1).digest())).as("no partial layer").isFalse();
                assertThat(files(small.resolve("image-ingest"))).as("no ingest file left (a lease names this process, not a blob)")
                        .allSatisfy(f -> assertThat(f.getFileName().toString()).startsWith("lease-"));
            } finally {
                run("umount", small.toString()); // here, not in @AfterEach: the leak check runs before that
            }
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private static List<Path> files(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}

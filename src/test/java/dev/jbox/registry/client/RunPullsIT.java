package dev.jbox.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.registry.RegistryServer;
import dev.jbox.registry.RegistryStore;
import dev.jbox.testing.Cli;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chapter 5's runtime: {@code jbox run --chapter 5} pulls an image the store lacks from jbox's own
 * registry (in this JVM, on a free loopback port), then runs it; a second run finds it in the
 * store and does not ask the registry; {@code --pull} changes that as Docker's does.
 */
class RunPullsIT {
    @TempDir
    Path tmp;
    RegistryServer server;
    Path pusher, runner;
    String image;

    @BeforeEach
    void serveBusybox() {
        server = RegistryServer.start(new RegistryStore(tmp.resolve("registry")), new InetSocketAddress("127.0.0.1", 0),
                RegistryServer.DEFAULT_UPLOAD_EXPIRY);
        pusher = tmp.resolve("pusher");
        runner = tmp.resolve("runner");
        image = "127.0.0.1:" + server.port() + "/tools/busybox:v1";
        Cli.ok(pusher, "tag", "busybox", image);
        Cli.ok(pusher, "push", image);
    }

    @AfterEach
    void stop() {
        try {
            Cli.removeAll(runner);
        } finally {
            server.close();
        }
    }

    @Test
    void runPullsAMissingImageOnceThenRunsIt() {
        Cli.Result first = Cli.ok(runner, "run", "--chapter", "5", image, "echo", "hello from the registry");
        assertThat(first.stdout()).as("the pull's progress goes to stderr, the container's output alone to stdout")
                .isEqualTo("hello from the registry\n");
        assertThat(first.stderr()).contains("Unable to find image '" + image + "' locally", ": Pull complete",
                "Status: Downloaded newer image for " + image);

        Cli.Result second = Cli.ok(runner, "run", "--chapter", "5", image, "echo", "again");
        assertThat(second.stdout()).isEqualTo("again\n");
        assertThat(second.stderr()).as("the store has it now: no pull").doesNotContain("Pulling", "Unable to find");

        Cli.Result always = Cli.ok(runner, "run", "--pull", "always", image, "true");
        assertThat(always.stderr()).as("--pull always asks the registry, which has nothing newer")
                .contains("Pulling from tools/busybox", "Already exists", "Status: Image is up to date for " + image)
                .doesNotContain("Unable to find");
    }

    @Test
    void pullNeverAndTheEarlierChaptersDoNotFetch() {
        Cli.assertOneLineError(Cli.jbox(runner, "run", "--pull", "never", image, "true"), "--pull never does not fetch it");
        Cli.assertOneLineError(Cli.jbox(runner, "run", "--chapter", "4", image, "true"), "chapters 1-4 do not pull: run 'jbox pull "
                + image + "' first");
        Cli.assertOneLineError(Cli.jbox(runner, "run", "--chapter", "4", "--pull", "always", image, "true"),
                "--pull needs the registry, which chapter 5 brings");
        Cli.assertOneLineError(Cli.jbox(runner, "run", "--pull", "sometimes", image, "true"), "use missing, always or never");
        assertThat(Cli.ok(runner, "images").stdout()).as("nothing was pulled").doesNotContain("tools/busybox");
    }
}

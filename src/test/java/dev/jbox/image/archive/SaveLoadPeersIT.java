package dev.jbox.image.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.jbox.image.Digest;
import dev.jbox.testing.Cli;
import dev.jbox.testing.DockerPeer;
import dev.jbox.testing.FreshDebian;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jbox save/load against the real tools: what jbox saves, umoci, skopeo, oci-image-tool and
 * {@code docker load} read; what umoci, skopeo and Docker make, jbox loads and runs; and a Debian
 * root file system made by debootstrap runs its own bash in jbox. Each peer's test is skipped,
 * saying so, when the peer is not installed ({@code vm/provision.sh --test} installs them).
 */
class SaveLoadPeersIT {
    @TempDir
    Path dir;

    private Path store() {
        return dir.resolve("store");
    }

    @AfterEach
    void cleanUp() {
        Cli.removeAll(store());
    }

    private static void requireTool(String path, String pkg) {
        assumeThat(Files.isExecutable(Path.of(path))).as(path + " is not installed (apt-get install -y " + pkg
                + ", or vm/provision.sh --test): this peer's test is skipped").isTrue();
    }

    private Cli.Result ok(String... argv) {
        Cli.Result r = Cli.run(List.of(argv), Map.of(), Duration.ofMinutes(3));
        assertThat(r.exitCode()).as(String.join(" ", argv) + " -> " + r).isZero();
        return r;
    }

    private Cli.Result jbox(String... args) {
        return Cli.ok(store(), args);
    }

    private Cli.Result shell(String script) {
        return Cli.run(List.of("sh", "-c", script), Cli.environment(store()), Duration.ofMinutes(3));
    }

    /** An OCI layout made by umoci alone: one layer holding static busybox as /bin/sh, the command sh. */
    private Path umociImage() throws IOException {
        Path layout = dir.resolve("umoci-layout");
        Path bundle = dir.resolve("umoci-bundle");
        ok("umoci", "init", "--layout", layout.toString());
        ok("umoci", "new", "--image", layout + ":base");
        ok("umoci", "unpack", "--image", layout + ":base", bundle.toString());
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox")); // Debian's busybox-static, as jbox's own image
        Files.createSymbolicLink(bin.resolve("sh"), Path.of("busybox"));
        Files.writeString(bundle.resolve("rootfs/made-by"), "umoci\n");
        ok("umoci", "repack", "--image", layout + ":base", bundle.toString());
        ok("umoci", "config", "--image", layout + ":base", "--config.cmd", "sh");
        return layout;
    }

    @Test
    void jboxArchivesPassUmociSkopeoAndOciImageTool() throws IOException {
        Path docker = dir.resolve("bb-docker.tar");
        Path oci = dir.resolve("bb-oci.tar");
        jbox("save", "-o", docker.toString(), "busybox");
        jbox("save", "--format", "oci", "-o", oci.toString(), "busybox");
        // to standard output, as a pipe: the same bytes (reproducible), and it loads back from standard input
        shell("./jbox save busybox > " + dir.resolve("again.tar"));
        assertThat(Files.readAllBytes(dir.resolve("again.tar"))).isEqualTo(Files.readAllBytes(docker));
        Cli.Result piped = shell("./jbox save --format oci busybox | JBOX_ROOT=" + dir.resolve("store2") + " ./jbox load");
        assertThat(piped.stdout()).as(piped.toString()).isEqualTo("Loaded image: busybox:latest\n");

        requireTool("/usr/bin/skopeo", "skopeo");
        assertThat(ok("skopeo", "inspect", "oci-archive:" + oci).stdout()).contains("\"Architecture\"", "\"Layers\"");
        assertThat(ok("skopeo", "inspect", "docker-archive:" + docker).stdout()).contains("\"Layers\"");

        requireTool("/usr/bin/umoci", "umoci");
        for (Path archive : List.of(oci, docker)) { // the Docker archive holds an OCI layout too, as Docker 25's does
            Path layout = Files.createDirectories(dir.resolve(archive.getFileName() + ".d"));
            ok("tar", "-C", layout.toString(), "-xf", archive.toString());
            assertThat(ok("umoci", "ls", "--layout", layout.toString()).stdout()).isEqualTo("latest\n");
            ok("umoci", "unpack", "--image", layout + ":latest", dir.resolve(archive.getFileName() + ".bundle").toString());
            assertThat(dir.resolve(archive.getFileName() + ".bundle/rootfs/bin/busybox")).isRegularFile();

            // oci-image-tool 1.0.0-rc1 fails on every tar ("end of walk", skopeo's too), so it checks the extracted layout.
            requireTool("/usr/bin/oci-image-tool", "oci-image-tool");
            assertThat(ok("oci-image-tool", "validate", "--type", "image", "--ref", "name=latest", layout.toString()).stdout())
                    .contains("Validation succeeded");
        }
    }

    @Test
    void imagesMadeByUmociAndSkopeoLoadAndRun() throws IOException {
        requireTool("/usr/bin/umoci", "umoci");
        Path layout = umociImage();
        Path umociTar = dir.resolve("umoci.tar");
        ok("tar", "-C", layout.toString(), "-cf", umociTar.toString(), ".");
        String loaded = jbox("load", "-i", umociTar.toString()).stdout();
        assertThat(loaded).matches("Loaded image ID: sha256:[0-9a-f]{64}\n"); // umoci's ref.name is a bare tag, "base"
        String id = loaded.strip().substring("Loaded image ID: sha256:".length(), "Loaded image ID: sha256:".length() + 12);
        assertThat(jbox("run", "--rm", "--chapter", "3", "--network", "none", id, "busybox", "cat", "/made-by").stdout()).isEqualTo("umoci\n");

        requireTool("/usr/bin/skopeo", "skopeo");
        Path dockerArchive = dir.resolve("skopeo-docker.tar");
        ok("skopeo", "copy", "oci:" + layout + ":base", "docker-archive:" + dockerArchive + ":skopeo/busy:v1");
        assertThat(jbox("load", "-i", dockerArchive.toString()).stdout()).isEqualTo("Loaded image: skopeo/busy:v1\n");
        assertThat(jbox("run", "--rm", "--chapter", "3", "--network", "none", "skopeo/busy:v1", "sh", "-c", "echo ran; busybox cat /made-by")
                .stdout()).isEqualTo("ran\numoci\n");

        // zstd layers from a real peer: loaded, checked, and run on chapter 3's plain directory
        Path zstd = dir.resolve("skopeo-zstd.tar");
        ok("skopeo", "copy", "--dest-compress-format", "zstd", "oci:" + layout + ":base", "oci-archive:" + zstd + ":docker.io/skopeo/zstd:v1");
        assertThat(jbox("load", "-i", zstd.toString()).stdout()).isEqualTo("Loaded image: skopeo/zstd:v1\n");
        assertThat(jbox("image", "inspect", "skopeo/zstd:v1").stdout()).contains("\"sha256:");
        assertThat(jbox("run", "--rm", "--chapter", "3", "--network", "none", "skopeo/zstd:v1", "busybox", "cat", "/made-by")
                .stdout()).isEqualTo("umoci\n");
    }

    @Test
    void dockerLoadsAndRunsJboxArchivesAndJboxRunsWhatDockerSaves() throws Exception {
        assumeThat(DockerPeer.installed()).as("Docker (dockerd, containerd) is not installed (apt-get install -y docker.io,"
                + " or vm/provision.sh --test): this peer's test is skipped").isTrue();
        Path archive = dir.resolve("bb.tar");
        jbox("save", "-o", archive.toString(), "busybox");
        try (DockerPeer docker = DockerPeer.start(Files.createDirectories(dir.resolve("docker")))) {
            Cli.Result load = docker.docker("load", "-i", archive.toString());
            assertThat(load.stdout()).as(load.toString()).contains("Loaded image: busybox:latest");
            Cli.Result run = docker.docker("run", "--rm", "--network", "none", "busybox:latest", "sh", "-c", "echo hi from docker");
            assertThat(run.stdout()).as(run.toString()).isEqualTo("hi from docker\n");

            // Docker 20.10's own archive: HEX.json configs, DIR/layer.tar, a shared layer as a symbolic link
            assertThat(docker.docker("run", "--network", "none", "--name", "c1", "busybox:latest", "sh", "-c",
                    "echo made in docker > /f").exitCode()).isZero();
            assertThat(docker.docker("commit", "c1", "dk/two:v1").exitCode()).isZero();
            Path saved = dir.resolve("docker-save.tar");
            Cli.Result save = docker.docker("save", "-o", saved.toString(), "dk/two:v1", "busybox:latest");
            assertThat(save.exitCode()).as(save.toString()).isZero();
            docker.docker("rm", "-f", "c1");
            // in the order of Docker's manifest.json, which docker save does not fix
            assertThat(jbox("load", "-i", saved.toString()).stdout().lines())
                    .containsExactlyInAnyOrder("Loaded image: dk/two:v1", "Loaded image: busybox:latest");
        }
        assertThat(jbox("run", "--rm", "--chapter", "3", "--network", "none", "dk/two:v1", "cat", "/f").stdout())
                .isEqualTo("made in docker\n");
    }

    @Test
    void aDebootstrapRootRunsItsOwnBashAndTools() throws Exception {
        assumeThat(Files.isDirectory(Path.of("/var/cache/jbox-test/debian-12-minbase"))
                || Files.isExecutable(Path.of("/usr/sbin/debootstrap")))
                .as("debootstrap is not installed (vm/provision.sh --test): the Debian image test is skipped").isTrue();
        Path root = FreshDebian.cached();
        // The layer as `docker export` would give it, less the device nodes (a chapter-3 root has a /dev of its own).
        Path layer = dir.resolve("layer.tar");
        ok("tar", "-C", root.toString(), "--exclude=./dev/*", "--exclude=./proc/*", "--exclude=./sys/*", "--numeric-owner",
                "-cf", layer.toString(), ".");
        Digest diffId;
        try (InputStream in = Files.newInputStream(layer)) {
            diffId = Digest.of("sha256", in);
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:"
                + "/usr/sbin:/usr/bin:/sbin:/bin\"],\"Cmd\":[\"bash\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + diffId + "\"]}}").getBytes(StandardCharsets.UTF_8);
        Path archive = dir.resolve("debian.tar");
        try (OutputStream out = Files.newOutputStream(archive); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            put(tar, "config.json", config);
            TarArchiveEntry e = new TarArchiveEntry("layer/layer.tar");
            e.setSize(Files.size(layer));
            tar.putArchiveEntry(e);
            Files.copy(layer, tar);
            tar.closeArchiveEntry();
            put(tar, "manifest.json", "[{\"Config\":\"config.json\",\"RepoTags\":[\"debian:bookworm\"],\"Layers\":[\"layer/layer.tar\"]}]"
                    .getBytes(StandardCharsets.UTF_8));
        }
        Files.delete(layer);
        assertThat(jbox("load", "-i", archive.toString()).stdout()).isEqualTo("Loaded image: debian:bookworm\n");
        Cli.Result r = jbox("run", "--rm", "--chapter", "3", "--network", "none", "debian:bookworm", "/bin/bash", "-c",
                "echo bash $BASH_VERSION; cat /etc/debian_version; dpkg-query -W -f='${Package}\\n' coreutils; perl -e 'print \"perl ok\\n\"'");
        assertThat(r.stdout()).startsWith("bash 5.").contains("\n12.", "coreutils\n", "perl ok\n");
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}

package dev.jbox.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots by chain id: the spec's formula, one unpacking per chain, nothing left by a bad layer. */
class SnapshotsTest {
    // The diff ids are sha256 of "a", "b" and "c"; the chain ids were computed with coreutils'
    // sha256sum by the OCI image spec's formula: printf '%s' "$A $B" | sha256sum.
    private static final Digest A = Digest.parse("sha256:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb");
    private static final Digest B = Digest.parse("sha256:3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d");
    private static final Digest C = Digest.parse("sha256:2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6");
    private static final Digest AB = Digest.parse("sha256:51c0c8ace48498d6f5fee6b0592cc06f2da0f3cbe09c5a34a97dce85c3889676");
    private static final Digest ABC = Digest.parse("sha256:2fce7f8ce91bcf0a1428b36e1024639fdbd9469eea762dba98aa749631885106");

    @TempDir
    Path root;

    @Test
    void chainIdsFollowTheOciImageSpec() {
        assertThat(Snapshots.chainIds(List.of())).isEmpty();
        assertThat(Snapshots.chainIds(List.of(A))).containsExactly(A);
        assertThat(Snapshots.chainIds(List.of(A, B, C))).containsExactly(A, AB, ABC);
        assertThat(Snapshots.chainIds(List.of(B, A)).get(1)).isNotEqualTo(AB); // order matters
    }

    @Test
    void eachLayerIsUnpackedOnceAndTheLowersComeInImageOrder() {
        AtomicInteger opened = new AtomicInteger();
        List<Snapshots.Layer> image = List.of(layer(new TestTar().file("base", "1").bytes(), opened),
                layer(new TestTar().file("top", "2").bytes(), opened));
        Snapshots snapshots = new Snapshots(root, new LayerUnpacker(new FakeDisk()));

        List<Path> lowers = snapshots.prepare(image);
        List<Path> again = snapshots.prepare(image);

        assertThat(lowers).isEqualTo(again);
        assertThat(opened).hasValue(2);
        assertThat(lowers.get(0).resolve("base")).hasContent("1");
        assertThat(lowers.get(1).resolve("top")).hasContent("2");
        List<Digest> chain = Snapshots.chainIds(image.stream().map(Snapshots.Layer::diffId).toList());
        assertThat(lowers).containsExactly(snapshots.path(chain.get(0)), snapshots.path(chain.get(1)));
        assertThat(snapshots.list()).containsExactlyInAnyOrderElementsOf(chain);
    }

    @Test
    void theSameLayerOnAnotherParentIsAnotherSnapshot() {
        byte[] shared = new TestTar().file("shared", "s").bytes();
        Snapshots snapshots = new Snapshots(root, new LayerUnpacker(new FakeDisk()));
        List<Path> one = snapshots.prepare(List.of(layer(new TestTar().file("x", "1").bytes(), null), layer(shared, null)));
        List<Path> two = snapshots.prepare(List.of(layer(new TestTar().file("y", "2").bytes(), null), layer(shared, null)));
        assertThat(one.get(1)).isNotEqualTo(two.get(1));
        assertThat(snapshots.list()).hasSize(4);
    }

    @Test
    void aBlobWhoseContentIsNotTheLayerLeavesNothing() throws IOException {
        byte[] good = new TestTar().file("a", "a").bytes();
        Snapshots.Layer lying = new Snapshots.Layer(Digest.sha256("something else".getBytes()), () -> new ByteArrayInputStream(good));
        Snapshots snapshots = new Snapshots(root, new LayerUnpacker(new FakeDisk()));
        assertThatThrownBy(() -> snapshots.prepare(List.of(lying)))
                .hasMessageStartingWith("refused layer 1/1 (sha256:")
                .hasMessageContaining("its content has diff id " + Digest.sha256(good));
        assertThat(snapshots.list()).isEmpty();
        try (Stream<Path> s = Files.list(root.resolve(".ingest"))) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void twoPreparesAtOnceUnpackEachLayerOnce() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        List<Snapshots.Layer> image = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            image.add(layer(new TestTar().file("f" + i, "x".repeat(100_000)).bytes(), opened));
        }
        Snapshots snapshots = new Snapshots(root, new LayerUnpacker(new FakeDisk()));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Path>>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Callable<List<Path>> task = () -> {
                    start.await();
                    return snapshots.prepare(image);
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            List<Path> first = results.get(0).get();
            for (Future<List<Path>> f : results) {
                assertThat(f.get()).isEqualTo(first);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(opened).hasValue(5);
        assertThat(snapshots.list()).hasSize(5);
    }

    @Test
    void aRemovedSnapshotIsGone() {
        Snapshots snapshots = new Snapshots(root, new LayerUnpacker(new FakeDisk()));
        Snapshots.Layer l = layer(new TestTar().file("a", "a").bytes(), null);
        snapshots.prepare(List.of(l));
        snapshots.remove(l.diffId());
        assertThat(snapshots.exists(l.diffId())).isFalse();
        assertThat(snapshots.list()).isEmpty();
    }

    private static Snapshots.Layer layer(byte[] tar, AtomicInteger opened) {
        return new Snapshots.Layer(Digest.sha256(tar), () -> {
            if (opened != null) {
                opened.incrementAndGet();
            }
            return new ByteArrayInputStream(tar);
        });
    }
}

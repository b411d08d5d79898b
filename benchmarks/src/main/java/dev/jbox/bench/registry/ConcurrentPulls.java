package dev.jbox.bench.registry;

import dev.jbox.bench.BenchException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * N clients pulling one small image at the same moment, as a CI fleet does: each its own
 * connection, the manifest, then the config and the layer, bodies read to the end. The latency
 * of a pull is from its first request to its last byte. The clients are threads of this JVM
 * (the JDK's HttpClient, one per client): the same for both servers.
 */
final class ConcurrentPulls {
    private ConcurrentPulls() {
    }

    /** One batch of {@code clients} simultaneous pulls; each pull's latency, ms. */
    static List<Double> batch(ServerProcess server, TestImages.Image image, String repository, int clients) {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Double>> pulls = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                pulls.add(pool.submit(() -> {
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    go.await();
                    long start = System.nanoTime();
                    get(http, server.url("/v2/" + repository + "/manifests/" + TestImages.TAG));
                    get(http, server.url("/v2/" + repository + "/blobs/" + image.configDigest()));
                    for (String layer : image.layerDigests()) {
                        get(http, server.url("/v2/" + repository + "/blobs/" + layer));
                    }
                    return (System.nanoTime() - start) / 1e6;
                }));
            }
            go.countDown();
            List<Double> ms = new ArrayList<>();
            for (Future<Double> f : pulls) {
                ms.add(f.get());
            }
            return ms;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new BenchException("a concurrent pull from the " + server.name + " registry failed: " + e.getCause().getMessage());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/vnd.oci.image.manifest.v1+json").GET().build();
        HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + r.statusCode());
        }
    }
}

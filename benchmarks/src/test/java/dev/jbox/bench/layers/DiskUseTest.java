package dev.jbox.bench.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbox.bench.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskUseTest {
    @TempDir
    Path dir;

    @Test
    void duTotalIsTheLastLine() {
        assertEquals(12288, DiskUse.parseDuTotal("4096\t/a\n8192\t/b\n12288\ttotal\n"));
        assertThrows(IllegalArgumentException.class, () -> DiskUse.parseDuTotal("4096\t/a\n"));
        assertThrows(IllegalArgumentException.class, () -> DiskUse.parseDuTotal(""));
    }

    @Test
    void theOciLayoutForUmociNamesTheLayerByItsDigestAndTagsTheManifest() throws IOException {
        Path tar = Files.write(dir.resolve("layer.tar"), new byte[1024]);
        Path layout = Extraction.ociLayout(tar, dir.resolve("layout"));
        JsonNode index = Json.mapper().readTree(layout.resolve("index.json").toFile());
        JsonNode entry = index.get("manifests").get(0);
        assertEquals("bench", entry.get("annotations").get("org.opencontainers.image.ref.name").asText());
        Path manifestFile = layout.resolve("blobs/sha256/" + entry.get("digest").asText().substring(7));
        try (InputStream in = Files.newInputStream(manifestFile)) {
            assertEquals(entry.get("digest").asText(), Extraction.sha256(in)); // every blob is named by its content
        }
        JsonNode manifest = Json.mapper().readTree(manifestFile.toFile());
        String layer = manifest.get("layers").get(0).get("digest").asText();
        try (InputStream in = Files.newInputStream(tar)) {
            assertEquals(Extraction.sha256(in), layer);
        }
        assertEquals(1024, manifest.get("layers").get(0).get("size").asLong());
        assertTrue(Files.isRegularFile(layout.resolve("blobs/sha256/" + layer.substring(7))));
        assertTrue(Files.readString(layout.resolve("oci-layout")).contains("1.0.0"));
    }
}

package dev.jbox.image.archive;

import dev.jbox.FileTrees;
import dev.jbox.JboxException;
import dev.jbox.image.BusyboxImage;
import dev.jbox.image.ConfigFile;
import dev.jbox.image.Descriptor;
import dev.jbox.image.Digest;
import dev.jbox.image.ImageIndex;
import dev.jbox.image.ImageStore;
import dev.jbox.image.Manifest;
import dev.jbox.image.MediaTypes;
import dev.jbox.image.OciJson;
import dev.jbox.image.Reference;
import dev.jbox.layers.LayerUnpacker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code jbox load}: images from a Docker archive ({@code manifest.json}, what {@code docker save}
 * and {@code skopeo copy ... docker-archive:} write) or an OCI image layout tar ({@code index.json},
 * what {@code skopeo copy ... oci-archive:} and umoci make), told apart by their content.
 *
 * <p>All or nothing: the archive is read whole into a private staging directory
 * ({@link StagedArchive}), every blob is hashed and checked against its name, every layer's
 * uncompressed tar against the diff id its config names, and only then do blobs enter the store.
 * A bad archive therefore fails before the store has changed at all. Blobs are renamed into the
 * store (never half-written) and tags are set last, so two loads of one image at once both
 * succeed and leave one copy.
 */
public final class ImageLoader {
    private static final Pattern NAMED_BLOB = Pattern.compile("blobs/([a-z0-9]+)/([^/]+)");
    private static final Pattern LEGACY_CONFIG = Pattern.compile("([a-f0-9]{64})\\.json");
    private static final Pattern STAGING = Pattern.compile("load-(\\d+)-[-0-9a-f]+");

    private final ImageStore store;
    private final Path stagingParent;

    /** @param stagingParent where archives are staged while they are checked (e.g. the store's ingest directory) */
    public ImageLoader(ImageStore store, Path stagingParent) {
        this.store = store;
        this.stagingParent = stagingParent;
    }

    /** A blob of the archive to store: the staged file and the digest it goes by. */
    private record Blob(StagedArchive.Entry entry, Digest digest) {
    }

    /** An image read from the archive and checked, not yet in the store. */
    private record Pending(List<Reference> tags, Digest configDigest, byte[] manifest, List<Blob> blobs) {
    }

    /**
     * Loads every image of the archive read from {@code in}.
     *
     * @param source what to call the archive in errors ("busybox.tar", "standard input")
     * @return Docker's lines: "Loaded image: NAME:TAG", or "Loaded image ID: sha256:..." for an untagged image
     */
    public List<String> load(InputStream in, String source) {
        removeAbandonedStaging();
        Path dir = stagingParent.resolve("load-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        try (StagedArchive archive = StagedArchive.read(decompress(in), dir)) {
            checkNamedBlobs(archive);
            List<Pending> images;
            if (archive.has(DockerManifestEntry.FILE)) {
                images = fromDockerManifest(archive);
            } else if (archive.has("index.json")) {
                images = fromOciIndex(archive);
            } else {
                throw new JboxException("it is neither a Docker archive (no manifest.json) nor an OCI image layout"
                        + " (no index.json); make it with jbox save, docker save or skopeo copy");
            }
            return commit(images);
        } catch (JboxException e) {
            throw new JboxException("cannot load " + source + ": " + e.getMessage());
        }
    }

    private static InputStream decompress(InputStream in) {
        try {
            return LayerUnpacker.decompress(in); // docker load reads a gzip-compressed archive too
        } catch (IOException e) {
            throw new JboxException("the archive cannot be read: " + e.getMessage());
        }
    }

    /** A file named {@code blobs/ALG/HEX} must hash to that name, whether or not an image refers to it. */
    private static void checkNamedBlobs(StagedArchive archive) {
        for (StagedArchive.Entry e : archive.entries()) {
            Matcher m = NAMED_BLOB.matcher(e.name());
            if (m.matches()) {
                checkDigest(e, new Digest(m.group(1), m.group(2)));
            }
        }
    }

    private static void checkDigest(StagedArchive.Entry e, Digest expected) {
        Digest actual = e.sha256();
        if (!expected.algorithm().equals("sha256")) {
            try (InputStream in = Files.newInputStream(e.file())) {
                actual = Digest.of(expected.algorithm(), in);
            } catch (IOException x) {
                throw new JboxException("cannot read the staged " + e.name() + ": " + x.getMessage());
            }
        }
        if (!actual.equals(expected)) {
            throw new JboxException("blob " + e.name() + " hashes to " + actual + ", not to " + expected
                    + "; the archive is corrupt or was tampered with, nothing was loaded");
        }
    }

    // ---- Docker's manifest.json ------------------------------------------------------------

    private List<Pending> fromDockerManifest(StagedArchive archive) {
        DockerManifestEntry[] entries = OciJson.read(archive.json(archive.get(DockerManifestEntry.FILE, "the archive")),
                DockerManifestEntry[].class, DockerManifestEntry.FILE);
        if (entries.length == 0) {
            throw new JboxException("manifest.json lists no image; the archive holds nothing to load");
        }
        List<Pending> images = new ArrayList<>();
        for (DockerManifestEntry m : entries) {
            if (m.config() == null) {
                throw new JboxException("manifest.json has an image without \"Config\"; the archive is damaged");
            }
            StagedArchive.Entry configFile = archive.get(inside(m.config()), "manifest.json");
            Matcher legacy = LEGACY_CONFIG.matcher(configFile.name());
            if (legacy.matches()) { // docker save before 25 names the config by its digest
                checkDigest(configFile, new Digest("sha256", legacy.group(1)));
            }
            byte[] configBytes = archive.json(configFile);
            ConfigFile config = ConfigFile.parse(configBytes, configFile.sha256());
            if (config.diffIds().size() != m.layers().size()) {
                throw new JboxException("manifest.json lists " + m.layers().size() + " layers for " + configFile.name()
                        + ", whose config has " + config.diffIds().size() + " diff ids; the archive is damaged");
            }
            List<Blob> blobs = new ArrayList<>(List.of(new Blob(configFile, configFile.sha256())));
            List<Descriptor> layers = new ArrayList<>();
            for (int i = 0; i < m.layers().size(); i++) {
                StagedArchive.Entry layer = archive.get(inside(m.layers().get(i)), "manifest.json");
                checkDiffId(layer, config.diffIds().get(i));
                layers.add(new Descriptor(layerMediaType(layer), layer.sha256(), layer.size()));
                blobs.add(new Blob(layer, layer.sha256()));
            }
            // An OCI manifest for the layers as they came (plain, gzip or zstd): written the same way every
            // time, so two loads of one archive store the same manifest digest.
            byte[] manifest = OciJson.bytes(Manifest.oci(
                    new Descriptor(MediaTypes.OCI_CONFIG, configFile.sha256(), configFile.size()), layers));
            List<Reference> tags = new ArrayList<>();
            for (String t : m.repoTags()) {
                tags.add(tag(t));
            }
            images.add(new Pending(tags, configFile.sha256(), manifest, blobs));
        }
        return images;
    }

    /** A path manifest.json gives, normalised; one that leaves the archive is refused. */
    private static String inside(String path) {
        try {
            return StagedArchive.normalise(path);
        } catch (JboxException e) {
            throw new JboxException("manifest.json points outside the archive ('" + path + "'); the archive is refused");
        }
    }

    private static Reference tag(String text) {
        Reference r;
        try {
            r = Reference.parse(text);
        } catch (JboxException e) {
            throw new JboxException("manifest.json tags an image '" + text + "', which is not an image name; the archive is damaged");
        }
        if (r.digest() != null) {
            throw new JboxException("manifest.json tags an image with a digest ('" + text + "'); RepoTags holds name:tag only");
        }
        return r.withDefaultTag();
    }

    private static String layerMediaType(StagedArchive.Entry layer) {
        try (InputStream in = Files.newInputStream(layer.file())) {
            byte[] magic = in.readNBytes(4);
            if (magic.length >= 2 && magic[0] == (byte) 0x1f && magic[1] == (byte) 0x8b) {
                return MediaTypes.OCI_LAYER_GZIP;
            }
            if (magic.length == 4 && magic[0] == 0x28 && magic[1] == (byte) 0xb5 && magic[2] == 0x2f && magic[3] == (byte) 0xfd) {
                return MediaTypes.OCI_LAYER_ZSTD;
            }
            return MediaTypes.OCI_LAYER;
        } catch (IOException e) {
            throw new JboxException("cannot read the staged " + layer.name() + ": " + e.getMessage());
        }
    }

    // ---- OCI image layout --------------------------------------------------------------------

    private List<Pending> fromOciIndex(StagedArchive archive) {
        ImageIndex index = OciJson.read(archive.json(archive.get("index.json", "the archive")), ImageIndex.class, "index.json");
        if (index.manifests().isEmpty()) {
            throw new JboxException("index.json lists no image; the archive holds nothing to load");
        }
        Map<Digest, Pending> images = new LinkedHashMap<>();
        for (Descriptor entry : index.manifests()) {
            Descriptor d = MediaTypes.isIndex(entry.mediaType()) ? platformManifest(archive, entry) : entry;
            Pending p = images.computeIfAbsent(d.digest(), x -> fromOciManifest(archive, d));
            Reference tag = ArchiveNames.of(entry);
            if (tag != null && !p.tags().contains(tag)) {
                p.tags().add(tag);
            }
        }
        return List.copyOf(images.values());
    }

    private Pending fromOciManifest(StagedArchive archive, Descriptor d) {
        StagedArchive.Entry manifestFile = blob(archive, d);
        byte[] manifestBytes = archive.json(manifestFile);
        Manifest manifest = Manifest.parse(manifestBytes, d.digest());
        StagedArchive.Entry configFile = blob(archive, manifest.config());
        ConfigFile config = ConfigFile.parse(archive.json(configFile), manifest.config().digest());
        if (config.diffIds().size() != manifest.layers().size()) {
            throw new JboxException("manifest " + d.digest() + " has " + manifest.layers().size() + " layers and its config "
                    + config.diffIds().size() + " diff ids; the archive is damaged");
        }
        List<Blob> blobs = new ArrayList<>(List.of(new Blob(configFile, manifest.config().digest())));
        for (int i = 0; i < manifest.layers().size(); i++) {
            Descriptor layer = manifest.layers().get(i);
            StagedArchive.Entry file = blob(archive, layer);
            checkDiffId(file, config.diffIds().get(i));
            blobs.add(new Blob(file, layer.digest()));
        }
        return new Pending(new ArrayList<>(), manifest.config().digest(), manifestBytes, blobs);
    }

    /** The blob a descriptor points to, of the size it states (its digest was checked with every named blob). */
    private static StagedArchive.Entry blob(StagedArchive archive, Descriptor d) {
        StagedArchive.Entry e = archive.get(ImageSaver.blobName(d.digest()), "a descriptor");
        if (e.size() != d.size()) {
            throw new JboxException("blob " + e.name() + " has " + e.size() + " bytes where its descriptor says "
                    + d.size() + "; the archive is corrupt or was tampered with, nothing was loaded");
        }
        return e;
    }

    /** A multi-platform image: the manifest for this machine, as {@code docker load} picks it. */
    private static Descriptor platformManifest(StagedArchive archive, Descriptor indexEntry) {
        ImageIndex nested = OciJson.read(archive.json(blob(archive, indexEntry)), ImageIndex.class, "index " + indexEntry.digest());
        for (Descriptor m : nested.manifests()) {
            if (MediaTypes.isManifest(m.mediaType()) && (m.platform() == null
                    || ("linux".equals(m.platform().os()) && BusyboxImage.architecture().equals(m.platform().architecture())))) {
                return m;
            }
        }
        throw new JboxException("image index " + indexEntry.digest() + " has no manifest for linux/"
                + BusyboxImage.architecture() + "; save the image for this machine's platform");
    }

    // ---- checks and commit -------------------------------------------------------------------

    /** The layer's tar (uncompressed if need be) must hash to the diff id the config names. */
    private static void checkDiffId(StagedArchive.Entry layer, Digest diffId) {
        if (diffId.equals(layer.sha256())) {
            return; // an uncompressed layer
        }
        Digest actual;
        try (InputStream in = LayerUnpacker.decompress(Files.newInputStream(layer.file()))) {
            actual = Digest.of(diffId.algorithm(), in);
        } catch (IOException e) {
            throw new JboxException("layer " + layer.name() + " cannot be decompressed (" + e.getMessage()
                    + "); the archive is corrupt or truncated, nothing was loaded");
        }
        if (!actual.equals(diffId)) {
            throw new JboxException("layer " + layer.name() + " holds a tar that hashes to " + actual
                    + ", but its image config names " + diffId + "; the archive is corrupt or was tampered with,"
                    + " nothing was loaded");
        }
    }

    private List<String> commit(List<Pending> images) {
        List<String> lines = new ArrayList<>();
        for (Pending p : images) {
            for (Blob b : p.blobs()) {
                if (!store.hasBlob(b.digest())) {
                    try (InputStream in = Files.newInputStream(b.entry().file())) {
                        store.putBlob(in, b.digest(), b.entry().size());
                    } catch (IOException e) {
                        throw new JboxException("cannot read the staged " + b.entry().name() + ": " + e.getMessage());
                    }
                }
            }
            if (p.tags().isEmpty()) {
                store.addManifest(p.manifest(), null);
                lines.add("Loaded image ID: " + p.configDigest());
            }
            for (Reference tag : p.tags()) {
                store.addManifest(p.manifest(), tag);
                lines.add("Loaded image: " + tag.familiar());
            }
        }
        return lines;
    }

    /** Staging directories of loads whose process died (killed half-way): nothing else removes them. */
    private void removeAbandonedStaging() {
        if (!Files.isDirectory(stagingParent)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(stagingParent)) {
            for (Path d : dirs.toList()) {
                Matcher m = STAGING.matcher(d.getFileName().toString());
                if (m.matches() && !ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
                    FileTrees.delete(d);
                }
            }
        } catch (IOException e) {
            throw new JboxException("cannot list " + stagingParent + ": " + e.getMessage());
        }
    }
}

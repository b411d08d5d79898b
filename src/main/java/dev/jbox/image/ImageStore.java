package dev.jbox.image;

import dev.jbox.DataRoot;
import dev.jbox.FileTrees;
import dev.jbox.JboxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The images the engine has, in the OCI image layout ({@code image-store/}: {@code oci-layout},
 * {@code index.json}, {@code blobs/sha256/...}), so umoci and skopeo read it as it is. Blobs go
 * through the {@link ContentStore}; {@code index.json} holds one entry per tag, named by its
 * {@code org.opencontainers.image.ref.name} annotation (the full reference), and untagged entries
 * for images a moved tag left behind, as Docker keeps its {@code <none>} images.
 */
public final class ImageStore {
    public static final String DEFAULT_IMAGE = "busybox";
    private static final Reference BUILTIN = Reference.parse(DEFAULT_IMAGE).withDefaultTag();
    private static final Pattern HEX_PREFIX = Pattern.compile("(sha256:)?[a-f0-9]{1,64}");

    private final DataRoot root;
    private final Path layout;
    private final Path ingest;
    private final ContentStore content;
    private final LayoutIndex index;
    private final Leases leases;

    public ImageStore(DataRoot root) {
        this.root = root;
        this.layout = root.root().resolve("image-store");
        this.ingest = root.root().resolve("image-ingest");
        this.content = new ContentStore(layout, ingest);
        this.index = new LayoutIndex(layout, ingest.resolve("lock"));
        this.leases = new Leases(ingest);
    }

    /** This machine's architecture as image configs name it (amd64, arm64...). */
    public static String architecture() {
        return BusyboxImage.architecture();
    }

    /** The OCI image layout directory. */
    public Path layout() {
        return layout;
    }

    // ---- blobs ---------------------------------------------------------------------------

    /** Where a blob is kept (it may not exist). */
    public Path blob(Digest digest) {
        return content.path(digest);
    }

    public boolean hasBlob(Digest digest) {
        return content.has(digest);
    }

    /**
     * Stores a blob, checked against {@code expected} if given. Until an image refers to it, this
     * process holds it against {@link #prune}.
     */
    public StoredBlob putBlob(InputStream in, Digest expected) {
        return putBlob(in, expected, -1);
    }

    public StoredBlob putBlob(InputStream in, Digest expected, long expectedSize) {
        if (expected != null) {
            leases.hold(expected); // before the rename, so no collection runs between the two
        }
        StoredBlob blob = content.put(in, expected, expectedSize);
        leases.hold(blob.digest());
        return blob;
    }

    // ---- images --------------------------------------------------------------------------

    /** Stores a config and the manifest of it and its layers (already stored), tagged {@code tag} if not null. */
    public StoredImage addImage(ConfigFile config, List<Descriptor> layers, Reference tag) {
        return addImage(OciJson.bytes(config), layers, tag);
    }

    /** As {@link #addImage(ConfigFile, List, Reference)} with the config's exact bytes. */
    public StoredImage addImage(byte[] config, List<Descriptor> layers, Reference tag) {
        StoredBlob c = putBlob(new java.io.ByteArrayInputStream(config), null, config.length);
        return addManifest(OciJson.bytes(Manifest.oci(c.describe(MediaTypes.OCI_CONFIG), layers)), tag);
    }

    /**
     * Stores an image index (its exact bytes) whose manifests are all in the store, and tags it: a
     * multi-platform image kept whole, so a push sends the same index on. Running it runs this
     * machine's manifest of it.
     */
    public StoredImage addIndex(byte[] indexBytes, Reference tag) {
        StoredBlob i = putBlob(new java.io.ByteArrayInputStream(indexBytes), null, indexBytes.length);
        ImageIndex parsed = OciJson.read(indexBytes, ImageIndex.class, "index " + i.digest());
        for (Descriptor d : parsed.manifests()) {
            if (!content.has(d.digest())) {
                throw new JboxException("index " + i.digest() + " refers to manifest " + d.digest()
                        + ", which is not in the store; store its images first");
            }
        }
        Descriptor entry = i.describe(parsed.mediaType() != null ? parsed.mediaType() : MediaTypes.OCI_INDEX);
        Reference tagged = checkTag(tag);
        index.update(idx -> withTag(idx, tagged, entry));
        return load(tagged, entry);
    }

    /** The store's entry that {@code tag} names (a manifest, or an index), or null. */
    public Descriptor entry(Reference tag) {
        String name = tag.withDefaultTag().toString();
        return index.read().manifests().stream().filter(d -> name.equals(d.refName())).findFirst().orElse(null);
    }

    /**
     * Stores a manifest (its exact bytes: its digest is of them) whose config and layers are in
     * the store, and tags it. Nothing is tagged if a blob is missing.
     */
    public StoredImage addManifest(byte[] manifestBytes, Reference tag) {
        StoredBlob m = putBlob(new java.io.ByteArrayInputStream(manifestBytes), null, manifestBytes.length);
        Manifest manifest = Manifest.parse(manifestBytes, m.digest());
        for (Descriptor d : blobsOf(manifest)) {
            if (!content.has(d.digest())) {
                throw new JboxException("manifest " + m.digest() + " refers to blob " + d.digest()
                        + ", which is not in the store; store its layers and config first");
            }
        }
        Descriptor entry = m.describe(manifest.mediaType());
        Reference tagged = tag == null ? null : checkTag(tag);
        index.update(i -> tagged == null ? withEntry(i, entry) : withTag(i, tagged, entry));
        List<Digest> referenced = new ArrayList<>();
        referenced.add(m.digest());
        blobsOf(manifest).forEach(d -> referenced.add(d.digest()));
        leases.release(referenced);
        return load(tagged, entry);
    }

    private static List<Descriptor> blobsOf(Manifest m) {
        List<Descriptor> all = new ArrayList<>();
        all.add(m.config());
        all.addAll(m.layers());
        return all;
    }

    /**
     * The image a user names: {@code name[:tag]}, {@code name@sha256:...}, an image id or a unique
     * prefix of one. The built-in busybox is made on first use.
     */
    public StoredImage resolve(String text) {
        StoredImage found = lookup(text);
        if (found == null) {
            throw noSuchImage(text);
        }
        return found;
    }

    /** The error for an image the store does not have, naming the built-in one and where to look. */
    public JboxException noSuchImage(String text) {
        return new JboxException("no such image: '" + text + "'; the built-in image is '" + DEFAULT_IMAGE
                + "' ('jbox images' lists the images in " + layout + ")");
    }

    /** As {@link #resolve}, but null when the store does not have the image (chapter 5 then pulls it). */
    public StoredImage lookup(String text) {
        String ref = text == null ? "" : text.strip();
        StoredImage byId = HEX_PREFIX.matcher(ref).matches() ? byId(ref) : null;
        if (byId != null) {
            return byId;
        }
        Reference r = Reference.parse(ref).withDefaultTag();
        StoredImage found = find(r);
        if (found == null && r.equals(BUILTIN)) {
            found = createBuiltin();
        }
        return found;
    }

    /** The image whose plain root directory is {@code rootfs}, or null: how a container's record names its image. */
    public Digest imageOfRootfs(Path rootfs) {
        if (rootfs == null || !rootfs.getFileName().toString().equals("rootfs")
                || !rootfs.getParent().getParent().equals(root.images())) {
            return null;
        }
        String hex = rootfs.getParent().getFileName().toString();
        return hex.matches("[a-f0-9]{64}") ? new Digest("sha256", hex) : null;
    }

    private StoredImage find(Reference r) {
        for (Descriptor d : index.read().manifests()) {
            if (r.digest() != null ? d.digest().equals(r.digest()) : r.toString().equals(d.refName())) {
                return load(r, d);
            }
        }
        return null;
    }

    private StoredImage byId(String text) {
        String hex = text.startsWith("sha256:") ? text.substring(7) : text;
        Map<Digest, StoredImage> matches = new LinkedHashMap<>();
        for (StoredImage image : list()) {
            if (image.id().hex().startsWith(hex) || (text.startsWith("sha256:") && image.manifestDigest().hex().equals(hex))) {
                matches.putIfAbsent(image.id(), image);
            }
        }
        if (matches.size() > 1) {
            throw new JboxException("image id prefix '" + text + "' is ambiguous (" + matches.size()
                    + " images); give more digits");
        }
        return matches.isEmpty() ? null : matches.values().iterator().next();
    }

    /** Every image entry: one per tag, and one per untagged image (reference null). */
    public List<StoredImage> list() {
        List<StoredImage> all = new ArrayList<>();
        for (Descriptor d : index.read().manifests()) {
            all.add(load(d.refName() == null ? null : Reference.parse(d.refName()), d));
        }
        return all;
    }

    /** Reads an index entry's manifest and config; a multi-platform index gives this machine's manifest. */
    private StoredImage load(Reference ref, Descriptor entry) {
        Descriptor d = entry;
        if (MediaTypes.isIndex(d.mediaType())) {
            d = platformManifest(d);
        }
        Manifest manifest = Manifest.parse(content.read(d.digest()), d.digest());
        Digest configDigest = manifest.config().digest();
        ConfigFile config = ConfigFile.parse(content.read(configDigest), configDigest);
        if (config.diffIds().size() != manifest.layers().size()) {
            throw new JboxException("image " + configDigest.shortHex() + " is inconsistent: its manifest has "
                    + manifest.layers().size() + " layers and its config " + config.diffIds().size()
                    + " diff ids; remove it (jbox rmi -f) and load it again");
        }
        return new StoredImage(ref, d.digest(), manifest, configDigest, config, manifest.layers(), config.diffIds());
    }

    private Descriptor platformManifest(Descriptor indexEntry) {
        ImageIndex i = OciJson.read(content.read(indexEntry.digest()), ImageIndex.class, "index " + indexEntry.digest());
        for (Descriptor m : i.manifests()) {
            if (m.platform() == null || (BusyboxImage.architecture().equals(m.platform().architecture())
                    && "linux".equals(m.platform().os()))) {
                return m;
            }
        }
        throw new JboxException("image index " + indexEntry.digest() + " has no manifest for linux/"
                + BusyboxImage.architecture() + "; pull or load an image made for this machine");
    }

    private StoredImage createBuiltin() {
        Path busybox = BusyboxImage.findStaticBusybox();
        return index.locked(() -> {
            StoredImage again = find(BUILTIN); // another jbox may have made it while we waited
            if (again != null) {
                return again;
            }
            BusyboxImage.Built b = BusyboxImage.build(busybox, BusyboxImage.sourceDateEpoch());
            putBlob(new java.io.ByteArrayInputStream(b.layer()), null, b.layer().length);
            putBlob(new java.io.ByteArrayInputStream(b.config()), null, b.config().length);
            return addManifest(b.manifest(), BUILTIN);
        });
    }

    // ---- tags ----------------------------------------------------------------------------

    /** {@code jbox tag SOURCE TARGET}: TARGET names the image SOURCE names. */
    public StoredImage tag(String source, String target) {
        StoredImage image = resolve(source);
        Reference t = checkTag(Reference.parse(target).withDefaultTag());
        Descriptor entry = new Descriptor(image.manifest().mediaType(), image.manifestDigest(),
                content.size(image.manifestDigest()));
        index.update(i -> withTag(i, t, entry));
        return load(t, entry);
    }

    private static Reference checkTag(Reference t) {
        if (t.digest() != null) {
            throw new JboxException("refusing to create a tag with a digest reference: '" + t.familiar()
                    + "'; give a name and a tag, e.g. app:v1");
        }
        return t.withDefaultTag();
    }

    /** The index with {@code tag} pointing at {@code entry}; an image the tag leaves without one stays, untagged. */
    private static ImageIndex withTag(ImageIndex i, Reference tag, Descriptor entry) {
        List<Descriptor> out = new ArrayList<>();
        Descriptor previous = null;
        for (Descriptor d : i.manifests()) {
            if (tag.toString().equals(d.refName())) {
                previous = d;
            } else if (!(d.refName() == null && d.digest().equals(entry.digest()))) {
                out.add(d); // (an untagged entry of this image is replaced by the tagged one)
            }
        }
        out.add(entry.withAnnotations(Map.of(Descriptor.REF_NAME, tag.toString())));
        if (previous != null && !named(out, previous.digest())) {
            out.add(previous.withAnnotations(null));
        }
        return i.withManifests(out);
    }

    private static ImageIndex withEntry(ImageIndex i, Descriptor entry) {
        if (named(i.manifests(), entry.digest())) {
            return i;
        }
        List<Descriptor> out = new ArrayList<>(i.manifests());
        out.add(entry);
        return i.withManifests(out);
    }

    private static boolean named(List<Descriptor> entries, Digest manifest) {
        return entries.stream().anyMatch(d -> d.digest().equals(manifest));
    }

    // ---- removal -------------------------------------------------------------------------

    /**
     * {@code jbox rmi}, by Docker's rules (daemon/images/image_delete.go):
     * <ul>
     * <li>by tag, the tag goes, and with the last tag the image (its manifest entry; the blobs go
     *     with {@link #prune});
     * <li>by digest ({@code name@sha256:...}), that reference goes, never a tag: the store keeps no
     *     digest references of its own (a digest names the manifest), so the image stays while a tag
     *     holds it and goes when it had none;
     * <li>by id, the image and its tag, or with {@code force} its several tags (refused without).
     * </ul>
     * An image a container uses stays: refused without {@code force}, left untagged with it.
     *
     * @param users image id -> a container that uses it
     * @return Docker's lines: "Untagged: ..." and "Deleted: ..."
     */
    public List<String> remove(String reference, boolean force, Map<Digest, String> users) {
        StoredImage image = resolve(reference);
        boolean byId = image.reference() == null || HEX_PREFIX.matcher(reference.strip()).matches();
        Reference named = byId ? null : image.reference();
        List<String> lines = new ArrayList<>();
        index.update(i -> {
            lines.clear();
            List<Descriptor> entries = i.manifests().stream().filter(d -> d.digest().equals(image.manifestDigest())).toList();
            List<Descriptor> tags = entries.stream().filter(d -> d.refName() != null).toList();
            if (byId && tags.size() > 1 && !force) {
                throw new JboxException("conflict: unable to delete " + image.id().shortHex() + " (must be forced) - image"
                        + " is referenced in multiple repositories; remove the tags one by one or use jbox rmi -f");
            }
            List<Descriptor> untag = byId ? tags
                    : tags.stream().filter(d -> d.refName().equals(named.toString())).toList(); // none for a digest
            boolean last = untag.size() == tags.size();
            String user = users.get(image.id());
            if (last && user != null && !force) {
                throw new JboxException("conflict: unable to remove image '" + reference + "' - container " + user
                        + " uses it; remove the container first (jbox rm " + user + ") or use jbox rmi -f");
            }
            List<Descriptor> out = new ArrayList<>(i.manifests());
            out.removeAll(untag);
            if (named != null && named.digest() != null) {
                lines.add("Untagged: " + named.familiar());
            }
            for (Descriptor d : untag) {
                lines.add("Untagged: " + Reference.parse(d.refName()).familiar());
            }
            if (last) {
                out.removeIf(d -> d.digest().equals(image.manifestDigest()));
                if (user != null) {
                    out.add(entries.get(0).withAnnotations(null)); // a container still runs on it
                } else {
                    lines.add("Deleted: " + image.manifestDigest());
                }
            }
            return i.withManifests(out);
        });
        return lines;
    }

    /** What {@link #prune} removed: image ids, and the bytes freed. */
    public record PruneResult(List<Digest> deletedImages, List<Digest> deletedBlobs, long reclaimed) {
    }

    /**
     * Removes untagged images (with {@code all}, every image) no container uses, then every blob
     * no image refers to and no live writer holds, leftover ingests, and plain root directories of
     * images that are gone.
     *
     * @param inUse ids of the images containers use
     */
    public PruneResult prune(boolean all, Set<Digest> inUse) {
        return index.locked(() -> {
            List<Digest> deletedImages = new ArrayList<>();
            ImageIndex kept = index.update(i -> {
                List<Descriptor> out = new ArrayList<>();
                for (Descriptor d : i.manifests()) {
                    Digest id = load(null, d).id();
                    if ((d.refName() == null || all) && !inUse.contains(id)) {
                        if (!deletedImages.contains(id)) {
                            deletedImages.add(id);
                        }
                    } else {
                        out.add(d);
                    }
                }
                return i.withManifests(out);
            });
            Set<Digest> live = new HashSet<>(Leases.heldByLiveProcesses(ingest));
            Set<Digest> keptIds = new HashSet<>(inUse);
            for (Descriptor d : kept.manifests()) {
                live.add(d.digest());
                if (MediaTypes.isIndex(d.mediaType())) {
                    OciJson.read(content.read(d.digest()), ImageIndex.class, "index " + d.digest())
                            .manifests().forEach(m -> live.add(m.digest()));
                }
                StoredImage image = load(null, d);
                keptIds.add(image.id());
                live.add(image.manifestDigest());
                blobsOf(image.manifest()).forEach(b -> live.add(b.digest()));
            }
            deletedImages.removeIf(keptIds::contains); // another tag of it is kept
            long reclaimed = content.removeStaleIngests(Duration.ofHours(1));
            List<Digest> deletedBlobs = new ArrayList<>();
            for (Digest blob : content.list()) {
                if (!live.contains(blob)) {
                    reclaimed += content.size(blob);
                    content.delete(blob);
                    deletedBlobs.add(blob);
                }
            }
            reclaimed += removeFlatRootfs(keptIds);
            return new PruneResult(deletedImages, deletedBlobs, reclaimed);
        });
    }

    /** The plain directories chapters 1-3 run images on (see dev.jbox.layers.FlatRootfs) of images that are gone. */
    private long removeFlatRootfs(Set<Digest> keep) {
        if (!Files.isDirectory(root.images())) {
            return 0;
        }
        Set<String> keepHex = new LinkedHashSet<>();
        keep.forEach(d -> keepHex.add(d.hex()));
        long freed = 0;
        try (Stream<Path> dirs = Files.list(root.images())) {
            for (Path dir : dirs.toList()) {
                String name = dir.getFileName().toString();
                // only jbox's own directories, and an unpacking in progress (".ID.tmp-...") left alone for an hour
                boolean ours = name.matches("[a-f0-9]{64}") || (name.matches("\\.[a-f0-9]{64}\\.tmp-.*")
                        && Files.getLastModifiedTime(dir).toInstant().isBefore(java.time.Instant.now().minus(Duration.ofHours(1))));
                if (ours && !keepHex.contains(name)) {
                    freed += FileTrees.size(dir);
                    FileTrees.delete(dir);
                }
            }
        } catch (IOException e) {
            throw new JboxException("cannot clean " + root.images() + ": " + e.getMessage());
        }
        return freed;
    }

    /**
     * The bytes the blobs of {@code images} take, each blob counted once however many images
     * share it: what {@code jbox system df} shows.
     */
    public long uniqueSize(List<StoredImage> images) {
        Set<Digest> seen = new HashSet<>();
        long size = 0;
        for (StoredImage image : images) {
            List<Digest> blobs = new ArrayList<>();
            blobs.add(image.manifestDigest());
            blobsOf(image.manifest()).forEach(d -> blobs.add(d.digest()));
            for (Digest d : blobs) {
                if (seen.add(d)) {
                    size += content.size(d);
                }
            }
        }
        return size;
    }
}

package dev.jbox.registry;

import dev.jbox.image.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What one repository holds, as links into the shared {@link BlobStore} (Distribution's layout):
 * <pre>
 *   repositories/NAME/_layers/ALG/HEX                   a blob pushed to (or mounted into) NAME
 *   repositories/NAME/_manifests/revisions/ALG/HEX      a manifest of NAME; the file holds its Content-Type
 *   repositories/NAME/_manifests/tags/TAG               the digest the tag points at
 *   repositories/NAME/_referrers/ALG/HEX/ALG.HEX        a manifest whose subject is ALG:HEX (its descriptor)
 * </pre>
 * A blob is served from a repository only through its link there: pushing to one repository
 * grants nothing in another, except by an explicit mount.
 */
final class Repository {
    private final RepositoryName name;
    private final Path dir;

    Repository(Path repositories, RepositoryName name) {
        this.name = name;
        this.dir = repositories.resolve(name.value());
    }

    RepositoryName name() {
        return name;
    }

    boolean exists() {
        return Files.isDirectory(dir.resolve("_manifests")) || Files.isDirectory(dir.resolve("_layers"));
    }

    private Path layer(Digest d) {
        return dir.resolve("_layers").resolve(d.algorithm()).resolve(d.hex());
    }

    private Path revision(Digest d) {
        return dir.resolve("_manifests").resolve("revisions").resolve(d.algorithm()).resolve(d.hex());
    }

    private Path tagFile(String tag) {
        return dir.resolve("_manifests").resolve("tags").resolve(tag);
    }

    private Path referrerDir(Digest subject) {
        return dir.resolve("_referrers").resolve(subject.algorithm()).resolve(subject.hex());
    }

    void linkBlob(Digest d) throws IOException {
        SmallFiles.write(layer(d), new byte[0]);
    }

    boolean hasBlob(Digest d) {
        return Files.exists(layer(d));
    }

    boolean unlinkBlob(Digest d) throws IOException {
        return SmallFiles.deletePruning(layer(d), dir);
    }

    void putManifest(Digest d, String contentType) throws IOException {
        SmallFiles.write(revision(d), contentType);
    }

    /** The Content-Type the manifest was pushed with, if the repository holds it. */
    Optional<String> manifestType(Digest d) throws IOException {
        return SmallFiles.read(revision(d));
    }

    boolean deleteManifest(Digest d) throws IOException {
        return SmallFiles.deletePruning(revision(d), dir);
    }

    List<Digest> manifests() throws IOException {
        return digestsUnder(dir.resolve("_manifests").resolve("revisions"));
    }

    List<Digest> blobs() throws IOException {
        return digestsUnder(dir.resolve("_layers"));
    }

    private static List<Digest> digestsUnder(Path top) throws IOException {
        List<Digest> all = new ArrayList<>();
        for (String algorithm : List.of("sha256", "sha512")) {
            for (String hex : names(top.resolve(algorithm))) {
                all.add(new Digest(algorithm, hex));
            }
        }
        return all;
    }

    Optional<Digest> tag(String tag) throws IOException {
        return SmallFiles.read(tagFile(tag)).map(String::strip).map(Digest::parse);
    }

    void tag(String tag, Digest d) throws IOException {
        SmallFiles.write(tagFile(tag), d.toString());
    }

    boolean untag(String tag) throws IOException {
        return Files.deleteIfExists(tagFile(tag));
    }

    /** Every tag, in the lexical order the spec's tag listing pages through. */
    List<String> tags() throws IOException {
        return names(dir.resolve("_manifests").resolve("tags"));
    }

    void addReferrer(Digest subject, Digest referrer, byte[] descriptor) throws IOException {
        SmallFiles.write(referrerDir(subject).resolve(referrer.algorithm() + "." + referrer.hex()), descriptor);
    }

    void removeReferrer(Digest subject, Digest referrer) throws IOException {
        SmallFiles.deletePruning(referrerDir(subject).resolve(referrer.algorithm() + "." + referrer.hex()), dir);
    }

    /** The descriptors (JSON) of the manifests whose subject is {@code subject}. */
    List<byte[]> referrers(Digest subject) throws IOException {
        List<byte[]> all = new ArrayList<>();
        for (String file : names(referrerDir(subject))) {
            all.add(Files.readAllBytes(referrerDir(subject).resolve(file)));
        }
        return all;
    }

    private static List<String> names(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(d)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }
}

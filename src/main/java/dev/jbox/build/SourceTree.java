package dev.jbox.build;

import dev.jbox.JboxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where COPY and ADD take files from: the build context (less what {@code .dockerignore} leaves
 * out) or, for {@code COPY --from}, another stage's root. Sources are context-relative paths or
 * Go-style globs; none may lead outside the root. Symbolic links are copied as links, never followed.
 */
public final class SourceTree {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path root;
    private final DockerIgnore ignore;

    public SourceTree(Path root, DockerIgnore ignore) {
        this.root = root.toAbsolutePath().normalize();
        this.ignore = ignore;
    }

    public Path root() {
        return root;
    }

    /** The paths a source names (a path or a glob), sorted; an error if it names nothing or leaves the root. */
    public List<Path> match(String source) {
        String rel = Path.of("/" + source).normalize().toString().substring(1);
        if (source.startsWith("..") || source.contains("/../") || source.endsWith("/..")) {
            Path resolved = root.resolve(source).normalize();
            if (!resolved.startsWith(root)) {
                throw new JboxException("'" + source + "' is outside the build context; copy it into " + root + " first");
            }
            rel = root.relativize(resolved).toString();
        }
        List<Path> found = new ArrayList<>();
        if (rel.chars().noneMatch(c -> c == '*' || c == '?' || c == '[')) {
            Path p = root.resolve(rel);
            if (Files.exists(p, NOFOLLOW) && (rel.isEmpty() || !ignore.ignores(rel))) {
                found.add(p);
            }
        } else {
            Pattern glob = Pattern.compile(DockerIgnore.regex(rel));
            for (Path p : walk(root)) {
                if (glob.matcher(relative(p)).matches()) {
                    found.add(p);
                }
            }
        }
        if (found.isEmpty()) {
            throw new JboxException("'" + source + "' not found in " + root + " (or left out by .dockerignore);"
                    + " check the path, which is relative to the build context");
        }
        return found;
    }

    /** {@code start} and everything below it that is not ignored, sorted by path, {@code start} first. */
    public List<Path> walk(Path start) {
        List<Path> out = new ArrayList<>();
        try {
            walk(start, out);
        } catch (IOException e) {
            throw new JboxException("cannot read " + start + ": " + e.getMessage());
        }
        return out;
    }

    private void walk(Path p, List<Path> out) throws IOException {
        String rel = relative(p);
        boolean ignored = !rel.isEmpty() && ignore.ignores(rel);
        if (!ignored) {
            out.add(p);
        }
        if (Files.isDirectory(p, NOFOLLOW) && (!ignored || ignore.hasExceptions())) {
            try (Stream<Path> children = Files.list(p)) {
                for (Path c : children.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList()) {
                    walk(c, out);
                }
            }
        }
    }

    public String relative(Path p) {
        return root.relativize(p).toString();
    }

    // tag::content-digest[]
    /**
     * The digest of what a COPY takes: for every file below the sources, its path, type, mode,
     * owner, size and content (or link target), but not its time. Docker's classic builder hashes
     * the same header fields (a tarsum without mtime), so touching a file leaves the cache valid
     * and changing a byte or a mode invalidates it.
     */
    public String contentDigest(List<Path> sources) {
        MessageDigest md = sha256();
        try {
            for (Path source : sources) {
                for (Path p : walk(source)) {
                    Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size", NOFOLLOW);
                    String header = relative(p) + "\0" + Integer.toOctalString((Integer) a.get("mode")) + "\0"
                            + a.get("uid") + ":" + a.get("gid") + "\0";
                    md.update(header.getBytes(StandardCharsets.UTF_8));
                    if (Files.isSymbolicLink(p)) {
                        md.update(Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8));
                    } else if (Files.isRegularFile(p, NOFOLLOW)) {
                        md.update((a.get("size") + "\0").getBytes(StandardCharsets.UTF_8));
                        try (InputStream in = Files.newInputStream(p)) {
                            byte[] buf = new byte[1 << 16];
                            for (int n; (n = in.read(buf)) > 0; ) {
                                md.update(buf, 0, n);
                            }
                        }
                    }
                    md.update((byte) '\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }
    // end::content-digest[]

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

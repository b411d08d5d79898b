package dev.jbox.build;

import dev.jbox.DataRoot;
import dev.jbox.FileTrees;
import dev.jbox.JboxException;
import dev.jbox.engine.Engine;
import dev.jbox.image.ConfigFile;
import dev.jbox.image.Descriptor;
import dev.jbox.image.Digest;
import dev.jbox.image.ImageStore;
import dev.jbox.image.MediaTypes;
import dev.jbox.image.Reference;
import dev.jbox.image.StoredImage;
import dev.jbox.layers.LayerDiff;
import dev.jbox.layers.Snapshots;
import dev.jbox.volumes.UserFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code jbox build}: a Dockerfile's instructions, one step after the other, as Docker's classic
 * builder runs them. Each step starts from the state the step before left (an image config and
 * its layers) and either changes only the config (ENV, CMD, LABEL...: an "empty layer" in the
 * history) or adds a layer: RUN's from a container on an overlay of the image, COPY's and ADD's
 * from the files they copy. Every step is looked up in the {@link BuildCache} first.
 *
 * <p>Layers are reproducible: entries sorted, every time clamped to SOURCE_DATE_EPOCH (0 if it is
 * not set), owners root unless --chown says otherwise. With SOURCE_DATE_EPOCH set, the config's
 * times are it too, and the same Dockerfile and context give the same image id every time.
 */
public final class Builder {
    private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

    /** The image built: its id and the tags it got. */
    public record Result(Digest id, List<String> tags) {
    }

    /** One FROM and what follows it. */
    private static final class Stage {
        final String name;
        ImageState state;
        final Map<String, String> args = new LinkedHashMap<>();
        boolean cmdSet;
        List<String> shell = DEFAULT_SHELL;

        Stage(String name, ImageState state) {
            this.name = name;
            this.state = state;
        }
    }

    private final ImageStore store;
    private final Engine engine;
    private final Snapshots snapshots;
    private final BuildCache cache;
    private final Path scratch;

    public Builder(DataRoot root) {
        this.store = new ImageStore(root);
        this.engine = new Engine(root);
        this.snapshots = new Snapshots(root.root().resolve("snapshots"));
        this.cache = new BuildCache(root.root().resolve("build-cache"), store);
        this.scratch = root.root().resolve("build-tmp");
    }

    // ---- one build ---------------------------------------------------------------------------

    private Dockerfile file;
    private BuildOptions options;
    private BuildOutput out;
    private ShellWords shell;
    private SourceTree context;
    private String created;
    private long epoch;
    private final Map<String, String> globalArgs = new LinkedHashMap<>();
    private final Set<String> usedArgs = new LinkedHashSet<>();
    private final List<Stage> stages = new ArrayList<>();

    public Result build(BuildOptions o) {
        options = o;
        out = new BuildOutput(o.out(), o.quiet(), o.terminal());
        Path context = checkedContext(o.context());
        Path dockerfile = o.dockerfile() != null ? o.dockerfile() : context.resolve("Dockerfile");
        List<Reference> tags = new ArrayList<>();
        for (String t : o.tags()) {
            tags.add(tag(t));
        }
        try {
            file = Dockerfile.parse(dockerfile.toString(), Files.readString(dockerfile));
        } catch (IOException e) {
            throw new JboxException("cannot read the Dockerfile " + dockerfile + ": " + e.getMessage()
                    + "; give one with -f FILE or put a Dockerfile in " + context);
        }
        shell = new ShellWords(file.escape());
        this.context = new SourceTree(context, DockerIgnore.read(context));
        epoch = o.sourceDateEpoch() == null ? 0 : o.sourceDateEpoch();
        created = DateTimeFormatter.ISO_INSTANT.format(o.sourceDateEpoch() != null ? Instant.ofEpochSecond(epoch)
                : Instant.now().truncatedTo(ChronoUnit.SECONDS));
        Stage current = null;
        int n = 0;
        for (Instruction in : file.instructions()) {
            n++;
            out.step(n, file.instructions().size(), in.original());
            if (in.keyword().equals("FROM")) {
                current = from(in);
                stages.add(current);
            } else if (current == null) {
                globalArg(in);
                continue;
            } else {
                current.state = step(current, in);
            }
            out.line(" ---> " + current.state.id().shortHex());
        }
        ImageState last = current.state;
        StoredImage image = store.addImage(last.configBytes(), last.layers(), tags.isEmpty() ? null : tags.get(0));
        warnUnusedArgs();
        out.line("Successfully built " + image.id().shortHex());
        List<String> named = new ArrayList<>();
        for (Reference t : tags) {
            if (t != tags.get(0)) {
                store.tag(image.id().hex(), t.toString());
            }
            named.add(t.familiar());
            out.line("Successfully tagged " + t.familiar());
        }
        out.result(image.id());
        return new Result(image.id(), named);
    }

    private static Path checkedContext(Path context) {
        if (context == null || !Files.isDirectory(context)) {
            throw new JboxException("the build context '" + context + "' is not a directory; give the directory"
                    + " that holds the Dockerfile and the files it copies, e.g. jbox build -t app .");
        }
        return context.toAbsolutePath().normalize();
    }

    private static Reference tag(String t) {
        Reference r;
        try {
            r = Reference.parse(t).withDefaultTag();
        } catch (RuntimeException e) {
            throw new JboxException("invalid tag '" + t + "': " + e.getMessage() + "; give NAME[:TAG], e.g. -t app:v1");
        }
        if (r.digest() != null) {
            throw new JboxException("invalid tag '" + t + "': a tag cannot hold a digest; give NAME[:TAG], e.g. -t app:v1");
        }
        return r;
    }

    // ---- FROM and ARG --------------------------------------------------------------------------

    private Stage from(Instruction in) {
        List<String> words = words(in, in.text(), globalArgs);
        String name = null;
        if (words.size() == 3 && words.get(1).equalsIgnoreCase("AS")) {
            name = words.get(2).toLowerCase(Locale.ROOT);
            if (!name.matches("[a-z][a-z0-9_.-]*")) {
                throw file.error(in, "invalid stage name '" + words.get(2) + "'; use letters, digits, '_', '.', '-', e.g. AS builder");
            }
        } else if (words.size() != 1) {
            throw file.error(in, "FROM takes an image and an optional stage name: FROM IMAGE [AS NAME]");
        }
        String image = words.get(0);
        Stage earlier = stage(image);
        if (earlier != null) {
            return new Stage(name, earlier.state);
        }
        if (image.equalsIgnoreCase("scratch")) {
            return new Stage(name, ImageState.of(new ConfigFile(null, null, architecture(), "linux", null,
                    ConfigFile.RootFs.layers(List.of()), List.of()), List.of()));
        }
        return new Stage(name, imageState(in, image));
    }

    private ImageState imageState(Instruction in, String reference) {
        StoredImage image;
        try {
            image = store.resolve(reference);
        } catch (JboxException e) {
            throw file.error(in, e.getMessage());
        }
        try {
            byte[] bytes = Files.readAllBytes(store.blob(image.configDigest()));
            return new ImageState(image.config(), image.layers(), bytes);
        } catch (IOException e) {
            throw file.error(in, "cannot read the config of " + reference + ": " + e.getMessage()
                    + "; remove the image and load it again");
        }
    }

    /** An earlier stage by name or number, or null. */
    private Stage stage(String nameOrIndex) {
        if (nameOrIndex.matches("\\d+")) {
            int i = Integer.parseInt(nameOrIndex);
            return i < stages.size() ? stages.get(i) : null;
        }
        for (Stage s : stages) {
            if (nameOrIndex.equalsIgnoreCase(s.name)) {
                return s;
            }
        }
        return null;
    }

    private void globalArg(Instruction in) {
        for (String word : shell.rawWords(in.text())) {
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            String value = options.buildArgs().containsKey(name) ? options.buildArgs().get(name)
                    : eq < 0 ? null : expand(in, word.substring(eq + 1), globalArgs);
            globalArgs.put(name, value);
            usedArgs.add(name);
        }
    }

    // ---- the steps of a stage -----------------------------------------------------------------

    private ImageState step(Stage s, Instruction in) {
        Map<String, String> vars = new HashMap<>();
        s.args.forEach((k, v) -> {
            if (v != null) {
                vars.put(k, v);
            }
        });
        for (String e : s.state.run().env() == null ? List.<String>of() : s.state.run().env()) {
            int eq = e.indexOf('=');
            vars.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
        }
        ImageState state = s.state;
        ConfigEdit c = new ConfigEdit(state.run());
        String nop = "/bin/sh -c #(nop)  ";
        switch (in.keyword()) {
            case "ENV" -> {
                Map<String, String> pairs = keyValues(in, vars, true);
                pairs.forEach(c::setEnv);
                String text = "ENV " + joinPairs(pairs);
                return cached(state, text, null, () -> state.next(c.build(), null, null, created, nop + text));
            }
            case "LABEL" -> {
                Map<String, String> pairs = keyValues(in, vars, false);
                c.labels.putAll(pairs);
                String text = "LABEL " + joinPairs(pairs);
                return cached(state, text, null, () -> state.next(c.build(), null, null, created, nop + text));
            }
            case "ARG" -> {
                List<String> declared = new ArrayList<>();
                for (String word : shell.rawWords(in.text())) {
                    int eq = word.indexOf('=');
                    String name = eq < 0 ? word : word.substring(0, eq);
                    String value = options.buildArgs().containsKey(name) ? options.buildArgs().get(name)
                            : eq >= 0 ? expand(in, word.substring(eq + 1), vars) : globalArgs.get(name);
                    s.args.put(name, value);
                    usedArgs.add(name);
                    declared.add(eq < 0 ? name : name + "=" + expand(in, word.substring(eq + 1), vars));
                }
                String text = "ARG " + String.join(" ", declared);
                return cached(state, text, null, () -> state.next(c.build(), null, null, created, nop + text));
            }
            case "WORKDIR" -> {
                String dir = expand(in, in.text(), vars);
                String base = c.workingDir == null || c.workingDir.isEmpty() ? "/" : c.workingDir;
                c.workingDir = Path.of(dir.startsWith("/") ? dir : base + "/" + dir).normalize().toString();
                String text = "WORKDIR " + c.workingDir;
                return cached(state, text, null, () -> workdir(state, c, nop + text));
            }
            case "USER" -> {
                c.user = expand(in, in.text(), vars);
                String text = "USER " + c.user;
                return cached(state, text, null, () -> state.next(c.build(), null, null, created, nop + text));
            }
            case "CMD", "ENTRYPOINT" -> {
                List<String> command = in.isJson() ? in.json() : in.text().isEmpty() ? List.of() : withShell(s, in.text());
                if (in.keyword().equals("CMD")) {
                    c.cmd = command;
                    s.cmdSet = true;
                } else {
                    c.entrypoint = command;
                    if (!s.cmdSet) {
                        c.cmd = null; // Docker: an ENTRYPOINT drops the base image's CMD
                    }
                }
                String text = in.keyword() + " " + jsonArray(command);
                return cached(state, text, null, () -> state.next(c.build(), null, null, created, nop + text));
            }
            case "EXPOSE" -> {
                for (String port : words(in, in.text(), vars)) {
                    for (String p : ports(in, port)) {
                        c.exposedPorts.put(p, Map.of());
                    }
                }
                String text = "EXPOSE " + String.join(" ", c.exposedPorts.keySet());
                return cached(state, text, null, () -> state.next(c.build(), null, null, created, nop + text));
            }
            case "VOLUME" -> {
                List<String> paths = in.isJson() ? expandAll(in, in.json(), vars) : words(in, in.text(), vars);
                for (String p : paths) {
                    if (p.isBlank()) {
                        throw file.error(in, "VOLUME names an empty path; give a path, e.g. VOLUME /data");
                    }
                    c.volumes.put(p, Map.of());
                }
                String text = "VOLUME " + jsonArray(paths);
                return cached(state, text, null, () -> state.next(c.build(), null, null, created, nop + text));
            }
            case "STOPSIGNAL" -> {
                c.stopSignal = expand(in, in.text(), vars);
                String text = "STOPSIGNAL " + c.stopSignal;
                return cached(state, text, null, () -> state.next(c.build(), null, null, created, nop + text));
            }
            case "MAINTAINER" -> {
                String text = "MAINTAINER " + in.text();
                return cached(state, text, null,
                        () -> state.withAuthor(in.text()).next(c.build(), null, null, created, nop + text));
            }
            case "SHELL" -> {
                if (!in.isJson() || in.json().isEmpty()) {
                    throw file.error(in, "SHELL must be written in JSON form, e.g. SHELL [\"/bin/sh\", \"-c\"]");
                }
                s.shell = in.json(); // the build's own state: the OCI config has no field for it
                String text = "SHELL " + jsonArray(in.json());
                return cached(state, text, null, () -> state.next(c.build(), null, null, created, nop + text));
            }
            case "RUN" -> {
                return run(s, in, c);
            }
            case "COPY", "ADD" -> {
                return copy(s, in, vars);
            }
            default -> throw file.error(in, in.keyword() + " cannot come here");
        }
    }

    /** A step looked up in the cache first; on a miss it runs and its result is stored. */
    private ImageState cached(ImageState parent, String text, String content, Supplier<ImageState> action) {
        Digest key = BuildCache.key(parent.id(), text, content);
        ImageState hit = options.noCache() ? null : cache.find(key);
        if (hit != null) {
            out.line(" ---> Using cache");
            return hit;
        }
        ImageState next = action.get();
        cache.put(key, next);
        return next;
    }

    // tag::run[]
    private ImageState run(Stage s, Instruction in, ConfigEdit c) {
        List<String> argv = in.isJson() ? in.json() : withShell(s, in.text());
        // The stage's build arguments are in the command's environment (ENV wins over ARG), and in
        // the cache key, as Docker's "|N NAME=value ... /bin/sh -c ..." history line has them.
        TreeMap<String, String> args = new TreeMap<>();
        s.args.forEach((k, v) -> {
            if (v != null) {
                args.put(k, v);
            }
        });
        List<String> env = new ArrayList<>();
        args.forEach((k, v) -> {
            if (c.env.stream().noneMatch(e -> e.startsWith(k + "="))) {
                env.add(k + "=" + v);
            }
        });
        env.addAll(c.env);
        String text = (args.isEmpty() ? "" : "|" + args.size() + " " + joinPairs(args) + " ") + String.join(" ", argv);
        String workdir = c.workingDir == null || c.workingDir.isEmpty() ? "/" : c.workingDir;
        ImageState state = s.state;
        return cached(state, text, null, () -> {
            List<Path> lowers = lowers(state);
            Layer layer;
            try (MountedRoot root = MountedRoot.mount(scratch, lowers, true)) {
                checkUser(in, root, c.user);
                new RunStep(engine, options.network(), options.quiet(), options.out()).run(root, argv, env, workdir, c.user);
                root.unmount();
                layer = layer(root.upper(), root.scratch());
            }
            return state.next(c.build(), layer == null ? null : layer.descriptor(), layer == null ? null : layer.diffId(),
                    created, text);
        });
    }
    // end::run[]

    /**
     * The USER of a RUN resolved in the stage's root before its container is made, as Docker does
     * at this step (an earlier RUN may have added the user): a name the image does not have fails
     * with the Dockerfile's line. The container resolves it again the same way (UserFeature).
     */
    private void checkUser(Instruction in, MountedRoot root, String user) {
        if (user == null || user.isEmpty()) {
            return;
        }
        try {
            UserFeature.resolveIn(root.merged(), user);
        } catch (JboxException e) {
            throw file.error(in, "cannot run as USER " + user + ": " + e.getMessage().replace("(--user ", "(USER "));
        }
    }

    private ImageState workdir(ImageState state, ConfigEdit c, String history) {
        List<Path> lowers = lowers(state);
        RootLookup image = new RootLookup(lowers);
        String rel = c.workingDir.substring(1);
        if (rel.isEmpty() || image.isDirectory(rel)) {
            return state.next(c.build(), null, null, created, history);
        }
        // The directory does not exist: a layer that makes it, so a container can start there.
        Path dir = newScratch();
        try {
            new FileCopy(dir.resolve("staging"), image, null, null, null).mkdirs(rel);
            Layer layer = layer(dir.resolve("staging"), dir);
            return state.next(c.build(), layer.descriptor(), layer.diffId(), created, history);
        } catch (IOException e) {
            throw new JboxException("cannot make WORKDIR " + c.workingDir + ": " + e.getMessage());
        } finally {
            FileTrees.delete(dir);
        }
    }

    // tag::copy[]
    private ImageState copy(Stage s, Instruction in, Map<String, String> vars) {
        boolean add = in.keyword().equals("ADD");
        List<String> args = in.isJson() ? expandAll(in, in.json(), vars) : words(in, in.text(), vars);
        if (args.size() < 2) {
            throw file.error(in, in.keyword() + " needs a source and a destination, e.g. " + in.keyword() + " app.tar /app/");
        }
        List<String> sources = args.subList(0, args.size() - 1);
        String dest = args.get(args.size() - 1);
        String workdir = s.state.run().workingDir() == null || s.state.run().workingDir().isEmpty() ? "/" : s.state.run().workingDir();
        String absDest = dest.startsWith("/") ? dest : (workdir.endsWith("/") ? workdir : workdir + "/") + dest;
        if (absDest.endsWith("/.")) {
            absDest = absDest.substring(0, absDest.length() - 1);
        }
        String chown = in.flag("chown") == null ? null : expand(in, in.flag("chown"), vars);
        Integer chmod = chmod(in);
        for (String src : sources) {
            if (src.matches("(?i)(https?|git)://.*")) {
                throw file.error(in, "ADD of a URL is not supported by jbox build; download it in a RUN step, or copy it"
                        + " into the context and COPY it");
            }
        }
        StringBuilder text = new StringBuilder(in.keyword());
        if (chown != null) {
            text.append(" --chown=").append(chown);
        }
        if (chmod != null) {
            text.append(" --chmod=").append(Integer.toOctalString(chmod));
        }
        String content;
        ImageState fromState = null;
        if (in.flag("from") != null) {
            String from = expand(in, in.flag("from"), vars);
            Stage earlier = stage(from);
            if (earlier == s) {
                throw file.error(in, "COPY --from=" + from + " names this stage itself; name an earlier stage");
            }
            fromState = earlier != null ? earlier.state : imageState(in, from);
            text.append(" --from=").append(fromState.id());
            content = "stage " + fromState.id(); // its layers are reproducible: its id stands for its files
        } else {
            List<Path> matched = matchAll(in, context, sources);
            content = context.contentDigest(matched);
        }
        text.append(' ').append(String.join(" ", sources)).append(' ').append(dest);
        String history = "/bin/sh -c #(nop) " + text + " (content " + content.replace("stage ", "") + ")";
        ImageState state = s.state;
        ImageState source = fromState;
        String target = absDest;
        return cached(state, text.toString(), content, () -> {
            List<Path> lowers = lowers(state);
            RootLookup image = new RootLookup(lowers);
            Integer[] owner = owner(in, chown, image);
            Path dir = newScratch();
            try (MountedRoot from = source == null ? null : MountedRoot.mount(dir, lowers(source), false)) {
                SourceTree tree = from == null ? context : new SourceTree(from.merged(), DockerIgnore.of(List.of()));
                List<Path> matched = matchAll(in, tree, sources);
                new FileCopy(dir.resolve("staging"), image, owner[0], owner[1], chmod).copy(tree, matched, target, add);
                if (from != null) {
                    from.unmount();
                }
                Layer layer = layer(dir.resolve("staging"), dir);
                return state.next(new ConfigEdit(state.run()).build(), layer == null ? null : layer.descriptor(),
                        layer == null ? null : layer.diffId(), created, history);
            } catch (IOException e) {
                throw file.error(in, "cannot copy: " + e.getMessage());
            } finally {
                FileTrees.delete(dir);
            }
        });
    }
    // end::copy[]

    private List<Path> matchAll(Instruction in, SourceTree tree, List<String> sources) {
        List<Path> matched = new ArrayList<>();
        for (String src : sources) {
            try {
                for (Path p : tree.match(src)) {
                    if (!matched.contains(p)) {
                        matched.add(p);
                    }
                }
            } catch (JboxException e) {
                throw file.error(in, in.keyword() + " failed: " + e.getMessage());
            }
        }
        return matched;
    }

    /** --chown=USER[:GROUP] as uid and gid, names looked up in the image; nulls without --chown. */
    private Integer[] owner(Instruction in, String chown, RootLookup image) {
        if (chown == null) {
            return new Integer[] {null, null};
        }
        String[] parts = chown.split(":", 2);
        Integer uid = image.id(parts[0], "etc/passwd");
        if (uid == null) {
            throw file.error(in, "unable to find user " + parts[0] + " in the image's /etc/passwd; give a numeric id,"
                    + " e.g. --chown=1000:1000");
        }
        Integer gid = parts.length > 1 ? image.id(parts[1], "etc/group")
                : parts[0].matches("\\d+") ? uid : image.primaryGroup(parts[0]);
        if (gid == null) {
            throw file.error(in, "unable to find group " + (parts.length > 1 ? parts[1] : "of " + parts[0])
                    + " in the image; give a numeric id, e.g. --chown=1000:1000");
        }
        return new Integer[] {uid, gid};
    }

    private Integer chmod(Instruction in) {
        String v = in.flag("chmod");
        if (v == null) {
            return null;
        }
        if (!v.matches("[0-7]{3,4}")) {
            throw file.error(in, "invalid --chmod=" + v + "; give an octal mode, e.g. --chmod=755");
        }
        return Integer.parseInt(v, 8);
    }

    // ---- layers ---------------------------------------------------------------------------------

    /** A layer made by a step: its descriptor in the store and its diff id. */
    record Layer(Descriptor descriptor, Digest diffId) {
    }

    /**
     * {@code dir} as a reproducible gzip layer in the store (every time clamped to the epoch), or
     * null if it is empty: a RUN that changes nothing adds no layer, as in Docker.
     */
    private Layer layer(Path dir, Path scratchDir) {
        try {
            if (!Files.isDirectory(dir)) {
                return null;
            }
            try (var list = Files.list(dir)) {
                if (list.findAny().isEmpty()) {
                    return null;
                }
            }
            Path tar = scratchDir.resolve("layer.tar.gz");
            LayerDiff.Layer written;
            try (OutputStream o = Files.newOutputStream(tar)) {
                written = new LayerDiff().write(dir, o, LayerDiff.Compression.GZIP, epoch);
            }
            try (InputStream i = Files.newInputStream(tar)) {
                store.putBlob(i, written.digest(), written.size());
            }
            return new Layer(new Descriptor(MediaTypes.OCI_LAYER_GZIP, written.digest(), written.size()), written.diffId());
        } catch (IOException e) {
            throw new JboxException("cannot write a layer of " + dir + ": " + e.getMessage());
        }
    }

    /** The state's layers unpacked (once each, shared by chain id) as overlay lower directories. */
    private List<Path> lowers(ImageState state) {
        List<Snapshots.Layer> layers = new ArrayList<>();
        List<Digest> diffIds = state.config().diffIds();
        for (int i = 0; i < state.layers().size(); i++) {
            Digest blob = state.layers().get(i).digest();
            layers.add(new Snapshots.Layer(diffIds.get(i), () -> Files.newInputStream(store.blob(blob))));
        }
        return snapshots.prepare(layers);
    }

    private Path newScratch() {
        try {
            Files.createDirectories(scratch);
            return Files.createTempDirectory(scratch, "copy-");
        } catch (IOException e) {
            throw new JboxException("cannot create a scratch directory in " + scratch + ": " + e.getMessage());
        }
    }

    // ---- words --------------------------------------------------------------------------------

    private List<String> withShell(Stage s, String command) {
        List<String> argv = new ArrayList<>(s.shell);
        argv.add(command);
        return argv;
    }

    private String expand(Instruction in, String word, Map<String, String> vars) {
        try {
            return shell.expand(word, vars);
        } catch (IllegalArgumentException e) {
            throw file.error(in, e.getMessage() + "; check the quotes and ${...}");
        }
    }

    private List<String> expandAll(Instruction in, List<String> words, Map<String, String> vars) {
        List<String> out = new ArrayList<>();
        words.forEach(w -> out.add(expand(in, w, vars)));
        return out;
    }

    private List<String> words(Instruction in, String text, Map<String, String> vars) {
        try {
            return shell.words(text, vars);
        } catch (IllegalArgumentException e) {
            throw file.error(in, e.getMessage() + "; check the quotes and ${...}");
        }
    }

    /** ENV and LABEL: KEY=VALUE pairs, or the old form KEY VALUE (one pair, the value the rest of the line). */
    private Map<String, String> keyValues(Instruction in, Map<String, String> vars, boolean env) {
        List<String> raw;
        try {
            raw = shell.rawWords(in.text());
        } catch (IllegalArgumentException e) {
            throw file.error(in, e.getMessage() + "; check the quotes");
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        if (!raw.get(0).contains("=")) {
            String rest = in.text().strip().substring(raw.get(0).length()).strip();
            if (rest.isEmpty()) {
                throw file.error(in, in.keyword() + " " + raw.get(0) + " has no value; write " + in.keyword() + " KEY=VALUE");
            }
            pairs.put(expand(in, raw.get(0), vars), expand(in, rest, vars));
            return pairs;
        }
        for (String w : raw) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw file.error(in, "'" + w + "' is not KEY=VALUE; write " + in.keyword() + " KEY=VALUE [KEY=VALUE...]"
                        + " (quote values with spaces)");
            }
            String key = expand(in, w.substring(0, eq), vars);
            if (env && key.contains(" ")) {
                throw file.error(in, "invalid variable name '" + key + "'");
            }
            pairs.put(key, expand(in, w.substring(eq + 1), vars));
        }
        return pairs;
    }

    private static String joinPairs(Map<String, String> pairs) {
        List<String> out = new ArrayList<>();
        pairs.forEach((k, v) -> out.add(k + "=" + v));
        return String.join(" ", out);
    }

    private static String jsonArray(List<String> items) {
        try {
            return ImageState.MAPPER.writeValueAsString(items);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** EXPOSE's ports as the config keys them: "80/tcp"; a range gives each port. */
    private List<String> ports(Instruction in, String spec) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(?:-(\\d+))?(?:/(tcp|udp|sctp))?")
                .matcher(spec.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw file.error(in, "invalid port '" + spec + "'; write PORT[/tcp|/udp], e.g. EXPOSE 80/tcp");
        }
        int first = Integer.parseInt(m.group(1));
        int last = m.group(2) == null ? first : Integer.parseInt(m.group(2));
        if (first < 1 || last > 65535 || last < first || last - first > 1000) {
            throw file.error(in, "invalid port range '" + spec + "'; ports go from 1 to 65535, e.g. EXPOSE 8000-8010");
        }
        String proto = m.group(3) == null ? "tcp" : m.group(3);
        List<String> out = new ArrayList<>();
        for (int p = first; p <= last; p++) {
            out.add(p + "/" + proto);
        }
        return out;
    }

    private void warnUnusedArgs() {
        List<String> unused = options.buildArgs().keySet().stream().filter(a -> !usedArgs.contains(a)).sorted().toList();
        if (!unused.isEmpty()) {
            out.line("[Warning] One or more build-args " + unused + " were not consumed");
        }
    }

    /** The OCI name of this machine's architecture, for FROM scratch. */
    private static String architecture() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }
}

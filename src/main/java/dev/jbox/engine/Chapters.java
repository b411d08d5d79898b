package dev.jbox.engine;

import dev.jbox.JboxException;
import dev.jbox.cgroups.CgroupsFeature;
import dev.jbox.chroot.ChrootRuntime;
import dev.jbox.lifecycle.ContainerNetworking;
import dev.jbox.namespaces.NamespaceRuntime;
import dev.jbox.namespaces.NamespacesFeature;
import dev.jbox.runtime.ContainerRuntime;
import dev.jbox.runtime.NativeTools;
import dev.jbox.DataRoot;
import dev.jbox.layers.ImageLayersFeature;
import dev.jbox.registry.client.StoreThenRegistry;
import dev.jbox.volumes.UserFeature;
import dev.jbox.volumes.VolumesFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The book's chapters as the engine sees them: one line per chapter says what it adds. A
 * chapter's engine is its line plus every line above it, so {@code --chapter N} runs the engine
 * as it stood after chapter N, and a chapter's behaviour stays true in every later one.
 */
public final class Chapters {
    /**
     * One line of the table: a new runtime (or null: keep the one above), a new way to root a
     * container of an image (or null: keep it), a new place a missing image comes from (or null:
     * keep it), and the features it adds.
     */
    private record Line(int number, String title, Function<DataRoot, ContainerRuntime> runtime,
                        Function<EngineContext, ImageRoot> images, Function<EngineContext, ImageSource> source,
                        List<Function<EngineContext, Feature>> adds) {
    }

    // tag::table[]
    private static final List<Line> TABLE = List.of(
            new Line(1, "the chroot jail", root -> new ChrootRuntime(), FlatImageRoot::new, ctx -> new ImageSource.StoreOnly(),
                    List.of()),
            new Line(2, "namespaces, pid 1 and networking",
                    root -> new NamespaceRuntime(NativeTools.path(root, "jbox-init")), null, null,
                    List.of(ctx -> new NamespacesFeature(), ContainerNetworking::new)),
            new Line(3, "cgroups", null, null, null, List.of(ctx -> new CgroupsFeature())),
            new Line(4, "union layers", null, ImageLayersFeature::new, null, List.of(VolumesFeature::new, UserFeature::new)),
            new Line(5, "the registry", null, null, ctx -> new StoreThenRegistry(), List.of()));
    // end::table[]

    private final List<Chapter> chapters;

    /** The chapters with their features made for one engine. */
    Chapters(EngineContext context) {
        List<Chapter> built = new ArrayList<>();
        Function<DataRoot, ContainerRuntime> runtime = null;
        ImageRoot images = null;
        ImageSource source = null;
        List<Feature> features = new ArrayList<>();
        for (Line line : TABLE) {
            runtime = line.runtime() != null ? line.runtime() : runtime;
            if (line.images() != null) {
                images = line.images().apply(context);
                if (images instanceof Feature acts) {
                    features.add(acts); // a root made per container (chapter 4's overlay) is made and released as a feature
                }
            }
            if (line.source() != null) {
                source = line.source().apply(context);
                if (source instanceof Feature acts) {
                    features.add(acts); // chapter 5's pulling brings --pull, which the table's option check refuses before it
                }
            }
            line.adds().forEach(f -> features.add(f.apply(context)));
            built.add(new Chapter(line.number(), line.title(), runtime, images, source, features));
        }
        this.chapters = List.copyOf(built);
    }

    public static int latest() {
        return TABLE.size();
    }

    public Chapter get(int number) {
        if (number < 1 || number > chapters.size()) {
            throw new JboxException("there is no chapter " + number + " runtime; use --chapter 1 to " + chapters.size());
        }
        return chapters.get(number - 1);
    }

    // tag::check-options[]
    /**
     * Refuses the options a chapter does not have yet, naming the chapter that brings each:
     * what a reader of chapter 1 may not use is decided here, not by ifs in the CLI.
     */
    public void checkOptions(int number, Set<String> given) {
        Chapter chapter = get(number);
        for (String option : given.stream().sorted().toList()) {
            for (Chapter later : chapters.subList(number, chapters.size())) {
                Feature bringer = later.features().stream().filter(f -> f.options().contains(option)
                        && !chapter.features().contains(f)).findFirst().orElse(null);
                if (bringer != null) {
                    throw new JboxException(option + " needs " + bringer.name() + ", which chapter " + later.number()
                            + " brings; this is --chapter " + number + ": drop " + option + " or use --chapter "
                            + later.number() + " or later");
                }
            }
        }
    }
    // end::check-options[]
}

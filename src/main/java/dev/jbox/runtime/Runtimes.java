package dev.jbox.runtime;

import dev.jbox.JboxException;
import dev.jbox.Store;
import dev.jbox.chroot.ChrootRuntime;
import dev.jbox.namespaces.NamespaceRuntime;
import java.util.List;
import java.util.function.Function;

/** The runtime of each chapter of the book, so {@code --chapter N} runs the engine as it stood after chapter N. */
public final class Runtimes {
    private static final List<Function<Store, Runtime>> CHAPTERS = List.of(
            store -> new ChrootRuntime(),                                               // 1: chroot jail
            store -> new NamespaceRuntime(NativeTools.path(store, "jbox-init"))         // 2: namespaces
    );

    private Runtimes() {
    }

    public static int latest() {
        return CHAPTERS.size();
    }

    public static void check(int chapter) {
        if (chapter < 1 || chapter > CHAPTERS.size()) {
            throw new JboxException("there is no chapter " + chapter + " runtime; use --chapter 1 to " + CHAPTERS.size());
        }
    }

    public static Runtime forChapter(int chapter, Store store) {
        check(chapter);
        return CHAPTERS.get(chapter - 1).apply(store);
    }
}

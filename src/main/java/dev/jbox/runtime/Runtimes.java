package dev.jbox.runtime;

import dev.jbox.JboxException;
import dev.jbox.chroot.ChrootRuntime;
import java.util.List;
import java.util.function.Supplier;

/** The runtime of each chapter of the book, so {@code --chapter N} runs the engine as it stood after chapter N. */
public final class Runtimes {
    private static final List<Supplier<Runtime>> CHAPTERS = List.of(
            ChrootRuntime::new // chapter 1: chroot jail
    );

    private Runtimes() {
    }

    public static int latest() {
        return CHAPTERS.size();
    }

    public static Runtime forChapter(int chapter) {
        if (chapter < 1 || chapter > CHAPTERS.size()) {
            throw new JboxException("there is no chapter " + chapter + " runtime; use --chapter 1"
                    + (CHAPTERS.size() > 1 ? " to " + CHAPTERS.size() : ""));
        }
        return CHAPTERS.get(chapter - 1).get();
    }
}

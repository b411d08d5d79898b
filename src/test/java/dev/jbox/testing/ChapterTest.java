package dev.jbox.testing;

import dev.jbox.engine.Chapters;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * A test of something chapter {@link #since} introduced. It runs against that chapter's engine
 * and every later one (its {@code int chapter} parameter), because a chapter may add to what the
 * earlier ones built but never break it: the way Crafting Interpreters keeps every chapter's code working.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "chapter {0}")
@ArgumentsSource(ChapterTest.FromChapter.class)
public @interface ChapterTest {
    /** The chapter that introduced what the test checks. */
    int since();

    /** Chapters {@code since} to the latest, for the test method's {@link ChapterTest}. */
    final class FromChapter implements ArgumentsProvider {
        @Override
        public Stream<? extends Arguments> provideArguments(ExtensionContext context) {
            int since = context.getRequiredTestMethod().getAnnotation(ChapterTest.class).since();
            return IntStream.rangeClosed(since, Chapters.latest()).mapToObj(Arguments::of);
        }
    }
}

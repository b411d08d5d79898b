package dev.jbox.testing;

import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fails a test that leaves running what it started, checked right after the test body and before
 * any {@code @AfterEach} (where {@link Cli#removeAll} resets the store: had the check come after
 * it, it would only prove that reset works). So {@code rm}, {@code --rm} and {@code stop} are what
 * the tests prove, and a test that starts a detached container removes it itself.
 *
 * <p>Registered for every integration test (META-INF/services, with failsafe's extension
 * autodetection). It looks only at what is the test's own ({@link Leftovers}), so jbox containers
 * of other stores on the same machine do not fail it.
 */
public final class EachTestCleansUp implements BeforeEachCallback, AfterTestExecutionCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(EachTestCleansUp.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("before", Leftovers.take());
    }

    @Override
    public void afterTestExecution(ExtensionContext context) throws InterruptedException {
        Leftovers before = context.getStore(NS).get("before", Leftovers.class);
        List<Path> dirs = tempDirs(context);
        List<String> left = before.leftBehindIn(Leftovers.take(), dirs);
        // A container whose pid 1 was just killed (rm -f, stop) may still be on its way out.
        for (int i = 0; i < 30 && !left.isEmpty(); i++) {
            Thread.sleep(100);
            left = before.leftBehindIn(Leftovers.take(), dirs);
        }
        if (!left.isEmpty()) {
            throw new AssertionError("the test left behind what it started (remove it in the test: rm -f, stop,"
                    + " --rm; a reset in @AfterEach comes too late to prove anything):\n  " + String.join("\n  ", left));
        }
    }

    /** The test's {@code @TempDir} fields, static or not: where its stores, images and root file systems are. */
    static List<Path> tempDirs(ExtensionContext context) {
        List<Path> dirs = new ArrayList<>();
        List<Object> instances = context.getTestInstances().map(i -> i.getAllInstances()).orElse(List.of());
        for (Object instance : instances) {
            for (Class<?> c = instance.getClass(); c != null; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (f.isAnnotationPresent(TempDir.class)) {
                        f.setAccessible(true);
                        addPath(dirs, get(f, Modifier.isStatic(f.getModifiers()) ? null : instance));
                    }
                }
            }
        }
        return dirs;
    }

    private static Object get(Field f, Object instance) {
        try {
            return f.get(instance);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read @TempDir " + f, e);
        }
    }

    private static void addPath(List<Path> dirs, Object value) {
        if (value instanceof Path p) {
            dirs.add(p);
        } else if (value instanceof File f) {
            dirs.add(f.toPath());
        }
    }
}

package dev.jbox.network;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves anything of its own on the host ({@link NetTestSupport#hostState}),
 * even when the test itself failed, and then removes the leftover links so the next test
 * starts clean. Namespace teardown is asynchronous in the kernel, so it waits up to 10 s.
 */
public final class HostLeakCheck implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(HostLeakCheck.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("before", NetTestSupport.hostState());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        @SuppressWarnings("unchecked")
        List<String> before = (List<String>) context.getStore(NS).get("before");
        List<String> leaked = List.of();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            leaked = new ArrayList<>(NetTestSupport.hostState());
            leaked.removeAll(before);
            if (leaked.isEmpty() && NetTestSupport.hostState().containsAll(before)) {
                return;
            }
            Thread.sleep(50);
        }
        for (String line : leaked) {
            if (line.startsWith("link: ")) {
                String name = line.split(" ")[2].replaceFirst(":$", "").replaceFirst("@.*", "");
                new ProcessBuilder("ip", "link", "del", name).start().waitFor();
            }
        }
        throw new AssertionError("the test left on the host: " + leaked + " (before: " + before + ")");
    }
}

package dev.jbox.registry;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh registry per test, in a temporary store, on a free loopback port; stopped after the test. */
abstract class RegistryTestBase {
    @TempDir
    Path root;
    RegistryClient reg;

    @BeforeEach
    void startRegistry() {
        reg = new RegistryClient(root);
    }

    @AfterEach
    void stopRegistry() {
        reg.close();
    }
}

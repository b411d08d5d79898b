package dev.jbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.testing.MachineSnapshot;
import dev.jbox.testing.SuiteSnapshot;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Runs after every other test class: the machine must hold exactly what it held before the suite. */
@Order(Integer.MAX_VALUE)
class LeakCheckIT {
    @Test
    void theSuiteLeftNothingBehind() throws InterruptedException {
        var before = SuiteSnapshot.before();
        var leaks = before.leaksIn(MachineSnapshot.take());
        for (int i = 0; i < 20 && !leaks.isEmpty(); i++) {
            Thread.sleep(100); // a container's last process may still be exiting
            leaks = before.leaksIn(MachineSnapshot.take());
        }
        assertThat(leaks).as("left behind by the test suite").isEmpty();
    }
}

package dev.jbox.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** vm/provision.sh, the one list of the system packages jbox needs, as the tests read it. */
public final class Provision {
    private Provision() {
    }

    /** The packages {@code ./jbox run} needs (its first build included), from {@code vm/provision.sh --list}. */
    public static List<String> runPackages() {
        List<String> argv = new ArrayList<>(List.of(Cli.REPO.resolve("vm/provision.sh").toString(), "--list"));
        Cli.Result r = Cli.run(argv, Map.of());
        if (r.exitCode() != 0 || r.stdout().isBlank()) {
            throw new AssertionError("vm/provision.sh --list: " + r);
        }
        return r.stdout().lines().toList();
    }
}

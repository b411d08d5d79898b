package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.build.BuildOptions;
import dev.jbox.build.Builder;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.KernelException;
import dev.jbox.layers.LayerDiff;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "build", description = "Build an image from a Dockerfile and a context directory.",
        customSynopsis = "jbox build [-t NAME[:TAG]]... [-f Dockerfile] [--build-arg K=V]... [-q] DIR")
final class BuildCommand implements Callable<Integer> {
    /**
     * A build that fails exits 1, as {@code docker build} does whatever failed (a RUN's non-zero
     * code, a bad Dockerfile, a missing context): Docker's CLI keeps 125 for {@code docker run}'s
     * own failures and for bad flags, which stay 125 here too (picocli's usage errors).
     */
    static final int FAILED = 1;

    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @ParentCommand
    Main main;

    @Option(names = {"-t", "--tag"}, paramLabel = "NAME[:TAG]", description = "Name the image (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The Dockerfile (default: DIR/Dockerfile).")
    Path dockerfile;

    @Option(names = "--build-arg", paramLabel = "K=V", description = "Set a build argument (K alone takes it from here).")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = {"-q", "--quiet"}, description = "Print only the image id.")
    boolean quiet;

    @Option(names = "--no-cache", description = "Run every step, whatever the cache holds.")
    boolean noCache;

    @Option(names = "--network", paramLabel = "NETWORK", description = "The network of RUN steps: bridge (default), host, none or a network's name.")
    String network;

    @Parameters(index = "0", paramLabel = "DIR", description = "The build context: the files COPY and ADD see.")
    Path context;

    @Override
    public Integer call() {
        Main.requireRoot();
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : buildArgs) {
            int eq = a.indexOf('=');
            if (eq == 0) {
                throw new JboxException("invalid --build-arg '" + a + "'; write --build-arg NAME=VALUE");
            }
            if (eq > 0) {
                args.put(a.substring(0, eq), a.substring(eq + 1));
            } else if (System.getenv(a) != null) {
                args.put(a, System.getenv(a)); // as Docker: a name alone takes the value of this environment
            }
        }
        try {
            new Builder(main.store()).build(new BuildOptions(context, dockerfile, tags, args, quiet, noCache, network,
                    LayerDiff.sourceDateEpoch(), System.out, Kernel.isatty(1)));
        } catch (JboxException | KernelException e) {
            throw new JboxException(FAILED, e.getMessage(), e);
        }
        return 0;
    }
}

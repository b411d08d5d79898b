package dev.jbox.cli;

import dev.jbox.cli.format.HumanSize;
import dev.jbox.image.Digest;
import dev.jbox.image.ImageStore;
import dev.jbox.layers.ContainerLayers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "prune", description = {"Remove untagged images (-a: every image no container uses), then the"
        + " layers and configs no image refers to."})
final class ImagePruneCommand implements Callable<Integer> {
    @ParentCommand
    ImageCommand parent;

    @Option(names = {"-a", "--all"}, description = "Remove every image no container uses, not only untagged ones.")
    boolean all;

    @Option(names = {"-f", "--force"}, description = "Do not ask for confirmation.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        Main.requireRoot();
        if (!force) {
            System.out.print("WARNING! This will remove " + (all ? "all images without at least one container associated to them"
                    : "all dangling images") + ".\nAre you sure you want to continue? [y/N] ");
            System.out.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (answer == null || !answer.strip().equalsIgnoreCase("y")) {
                return 0;
            }
        }
        ImageStore images = new ImageStore(parent.main.store());
        var users = ImageUsers.of(parent.main.engine().list(), images);
        ImageStore.PruneResult r = images.prune(all, new HashSet<>(users.keySet()));
        long snapshots = ContainerLayers.pruneSnapshots(parent.main.store(), images);
        if (!r.deletedImages().isEmpty()) {
            System.out.println("Deleted Images:");
            for (Digest id : r.deletedImages()) {
                System.out.println("deleted: " + id);
            }
            System.out.println();
        }
        System.out.println("Total reclaimed space: " + HumanSize.of(r.reclaimed() + snapshots, 3));
        return 0;
    }
}

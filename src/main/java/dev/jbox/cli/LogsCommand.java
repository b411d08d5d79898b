package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.engine.Engine;
import dev.jbox.lifecycle.ContainerRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", description = "Print the output of a detached container.")
final class LogsCommand extends ContainerCommand implements Callable<Integer> {
    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the container ends.")
    boolean follow;

    @Parameters(paramLabel = "CONTAINER")
    String container;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Engine engine = engine();
        ContainerRecord c = engine.find(container);
        Path log = engine.logOf(c);
        if (!c.detached()) {
            throw new JboxException("container " + c.name() + " was not detached: its output went to the terminal"
                    + " that ran it, and jbox keeps logs of detached containers (run -d) only");
        }
        try (InputStream in = Files.newInputStream(log)) {
            byte[] buffer = new byte[8192];
            while (true) {
                int n = in.read(buffer);
                if (n > 0) {
                    System.out.write(buffer, 0, n);
                    continue;
                }
                System.out.flush();
                if (!follow || !engine.state(c).running()) {
                    // One more read: the container may have written its last words just before ending.
                    for (int m; (m = in.read(buffer)) > 0; ) {
                        System.out.write(buffer, 0, m);
                    }
                    System.out.flush();
                    return 0;
                }
                Thread.sleep(50);
            }
        }
    }
}

package dev.jbox.cli;

import dev.jbox.registry.client.Logins;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "logout", description = "Forget the login for a registry.")
final class LogoutCommand implements Callable<Integer> {
    @Mixin
    HelpOption helpOption;

    @Mixin
    RegistryClientOptions registry;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SERVER", description = "HOST[:PORT] of the registry (default: Docker Hub).")
    String server;

    @Override
    public Integer call() {
        String host = Logins.registry(server);
        if (Logins.logout(host, registry.config())) {
            System.out.println("Removing login credentials for " + host);
        } else {
            System.out.println("Not logged in to " + host);
        }
        return 0;
    }
}

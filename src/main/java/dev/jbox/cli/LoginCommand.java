package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.registry.client.ClientConfig;
import dev.jbox.registry.client.Credentials;
import dev.jbox.registry.client.Logins;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "login", description = "Log in to a registry: check the user name and password there, then keep them for pull and push.")
final class LoginCommand implements Callable<Integer> {
    @Mixin
    HelpOption helpOption;

    @Mixin
    RegistryClientOptions registry;

    @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "The user name (asked for on a terminal if not given).")
    String username;

    @Option(names = {"-p", "--password"}, paramLabel = "PASSWORD", description = "The password (insecure: it shows in ps and in the shell's history).")
    String password;

    @Option(names = "--password-stdin", description = "Read the password from the standard input.")
    boolean passwordStdin;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SERVER", description = "HOST[:PORT] of the registry (default: Docker Hub).")
    String server;

    @Override
    public Integer call() throws IOException {
        String host = Logins.registry(server);
        if (password != null && passwordStdin) {
            throw new JboxException("--password and --password-stdin are mutually exclusive; give one");
        }
        Console console = System.console();
        if (passwordStdin) {
            if (username == null) {
                throw new JboxException("--password-stdin needs --username: the standard input holds the password");
            }
            password = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).replaceFirst("\r?\n$", "");
        } else if (password != null) {
            System.err.println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
        }
        if (username == null) {
            username = console == null ? null : console.readLine("Username: ");
        }
        if (password == null && console != null) {
            char[] typed = console.readPassword("Password: ");
            password = typed == null ? null : new String(typed);
        }
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            throw new JboxException("login to " + host + " needs a user name and a password: give --username and"
                    + " --password-stdin (e.g. echo \"$PASS\" | jbox login -u USER --password-stdin " + host + ")");
        }
        ClientConfig config = registry.config();
        Logins.login(host, new Credentials(username.strip(), password), config);
        System.err.println("WARNING! Your password will be stored unencrypted in " + config.credentials().file() + " (mode 0600).");
        System.out.println("Login Succeeded");
        return 0;
    }
}

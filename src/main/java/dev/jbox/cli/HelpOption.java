package dev.jbox.cli;

import picocli.CommandLine.Option;

/** {@code --help} on every subcommand. Not -h: {@code run -h} is the host name, as in Docker. */
final class HelpOption {
    @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
    boolean help;
}

package dev.jbox.cli;

import dev.jbox.engine.Engine;
import picocli.CommandLine.ParentCommand;

/** What the commands that act on existing containers share: the engine. */
abstract class ContainerCommand {
    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @ParentCommand
    Main main;

    Engine engine() {
        Main.requireRoot();
        return main.engine();
    }
}

package io.optimus.perception.cli;

import io.optimus.cli.GroupCommand;
import picocli.CommandLine.Command;

/** {@code optimus perception}: train and evaluate the shared backbone on procedural driving scenes. */
@Command(name = "perception", mixinStandardHelpOptions = true,
    description = "The shared perception backbone: train and evaluate on procedural driving scenes.",
    subcommands = {PerceptionTrainCommand.class, PerceptionEvalCommand.class})
public final class PerceptionCommand extends GroupCommand {
}

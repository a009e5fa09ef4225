package io.optimus.policy.cli;

import io.optimus.cli.GroupCommand;
import picocli.CommandLine.Command;

/** {@code optimus policy}: mimicry policies — train, evaluate, deploy. */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = "Mimicry policies: train, evaluate, deploy, import (TorchScript).",
    subcommands = {PolicyTrainCommand.class, PolicyEvalCommand.class, PolicyDeployCommand.class,
        PolicyImportCommand.class})
public final class PolicyCommand extends GroupCommand {
}

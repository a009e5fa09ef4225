package io.optimus.motion.bvh.cli;

import io.optimus.cli.GroupCommand;
import picocli.CommandLine.Command;

/** {@code optimus mocap}: BVH motion capture import and human-to-robot retargeting. */
@Command(name = "mocap", mixinStandardHelpOptions = true,
    description = "Motion capture: BVH info and human-to-robot retargeting.",
    subcommands = {MocapInfoCommand.class, MocapRetargetCommand.class})
public final class MocapCommand extends GroupCommand {
}

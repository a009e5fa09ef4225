package io.optimus.motion.bvh.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code optimus mocap}: BVH motion capture import and human-to-robot retargeting. */
@Command(name = "mocap", mixinStandardHelpOptions = true,
    description = "Motion capture: BVH info and human-to-robot retargeting.",
    subcommands = {MocapInfoCommand.class, MocapRetargetCommand.class})
public final class MocapCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }
}

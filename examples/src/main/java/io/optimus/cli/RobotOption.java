package io.optimus.cli;

import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import picocli.CommandLine.Option;

/** The one {@code --robot} option of every command that loads a robot model: {@code @Mixin RobotOption robot}. */
public final class RobotOption {
  @Option(names = "--robot", defaultValue = "optimus", paramLabel = "optimus|FILE.urdf",
      description = "Robot model: a shipped name (optimus) or a URDF file (default ${DEFAULT-VALUE}).")
  String spec = "optimus";

  /** What was given: a shipped name or a URDF path. */
  public String spec() {
    return spec;
  }

  /** Loads it; a missing or bad model is an InputException naming the file. */
  public RobotModel load() {
    return Robots.load(spec);
  }
}

package io.optimus.cli;

import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.common.InputException;
import picocli.CommandLine.Option;

/** The one {@code --world} option of every command that runs a simulated robot: {@code @Mixin WorldOption world}. */
public final class WorldOption {
  @Option(names = "--world", defaultValue = SimulatedWorlds.DEFAULT, paramLabel = "physics|kinematic",
      description = "Simulated world: physics (Bullet contact dynamics, grasp by friction) or kinematic"
          + " (independent joints, rule-based grasp; fast) (default ${DEFAULT-VALUE}).")
  String name = SimulatedWorlds.DEFAULT;

  /** The chosen world's name; an unknown one is an InputException (one line, exit 2). */
  public String name() {
    if (!SimulatedWorlds.NAMES.contains(name)) {
      throw new InputException("--world '" + name + "' is unknown: expected one of "
          + String.join(", ", SimulatedWorlds.NAMES));
    }
    return name;
  }
}

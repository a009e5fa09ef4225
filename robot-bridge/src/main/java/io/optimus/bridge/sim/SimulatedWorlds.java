package io.optimus.bridge.sim;

import io.optimus.common.InputException;
import java.util.List;

/**
 * The one place a simulated world is chosen by name, for every host (bridge, demo, evaluation, benches):
 * {@code physics} ({@link PhysicsSimulatedWorld} on Bullet: contact dynamics, a grasp by friction) or
 * {@code kinematic} ({@link KinematicWorld}: independent joints, a rule-based grasp; fast).
 */
public final class SimulatedWorlds {
  public static final String PHYSICS = "physics";
  public static final String KINEMATIC = "kinematic";
  public static final List<String> NAMES = List.of(PHYSICS, KINEMATIC);
  /** The world hosts run unless told otherwise: contact dynamics, the only world whose success means something. */
  public static final String DEFAULT = PHYSICS;

  private SimulatedWorlds() {}

  /** The world called {@code name}; an unknown name is an {@link InputException} naming it and the choices. */
  public static SimulatedWorld.Factory byName(String name) {
    return switch (check(name)) {
      case PHYSICS -> PhysicsSimulatedWorld.FACTORY;
      default -> KinematicWorld.FACTORY;
    };
  }

  /** {@code name} if it is a world's, else an {@link InputException}. */
  public static String check(String name) {
    if (!NAMES.contains(name)) {
      throw new InputException("world '" + name + "' is unknown: expected one of " + String.join(", ", NAMES));
    }
    return name;
  }
}

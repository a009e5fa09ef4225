package io.optimus.bridge.physics;

import io.optimus.common.InputException;
import java.util.List;

/**
 * What surrounds the robot (world frame: x forward, y left, z up, origin on the floor between the
 * feet): the floor at z = 0, a table (top height and footprint), loose objects, and the stepping
 * rates. The robot's pelvis is fixed on a stand (tabletop work; no walking) where
 * {@link io.optimus.motion.model.RobotRig#forwardStanding} puts it (soles on the floor, feet centred on
 * the origin), raised by {@code standClearance} (0 for the tabletop: physics and kinematics agree).
 *
 * @param controlHz control ticks per second: one {@link PhysicsWorld#step()} is one tick
 * @param substeps physics steps per control tick
 */
public record PhysicsScene(double tableTop, double tableMinX, double tableMaxX, double tableMinY, double tableMaxY,
    double tableFriction, List<ObjectSpec> objects, double gravity, double controlHz, int substeps,
    double standClearance) {
  /** Stiff finger PDs on 10-20 g phalanges need a 1 ms step with explicit torques: 4 substeps at 250 Hz. */
  public static final int DEFAULT_SUBSTEPS = 4;

  public PhysicsScene {
    objects = List.copyOf(objects);
    if (!(tableTop > 0.2 && tableTop < 1.5) || !(tableMaxX > tableMinX) || !(tableMaxY > tableMinY)) {
      throw new InputException("table: top " + tableTop + " m or footprint is out of range");
    }
    if (!(controlHz >= 10 && controlHz <= 2000)) {
      throw new InputException("control rate " + controlHz + " Hz is out of range 10-2000");
    }
    if (substeps < 1 || substeps > 100) {
      throw new InputException("substeps " + substeps + " is out of range 1-100");
    }
    if (!(gravity >= 0 && gravity < 100)) {
      throw new InputException("gravity " + gravity + " m/s^2 is out of range [0, 100)");
    }
  }

  /**
   * A tabletop (top at 0.75 m, x 0.20-0.75, y -0.5-0.5) with the given objects, 250 Hz: the engine tests' and
   * {@code bench sim}'s scene. The bridge's world takes its table height from its config (0.9 m, within the
   * reach of a robot on the stand; the palm gets no lower than about 0.83 m).
   */
  public static PhysicsScene tabletop(List<ObjectSpec> objects) {
    return new PhysicsScene(0.75, 0.20, 0.75, -0.5, 0.5, 0.6, objects, 9.81, 250, DEFAULT_SUBSTEPS, 0);
  }

  public PhysicsScene withObjects(List<ObjectSpec> newObjects) {
    return new PhysicsScene(tableTop, tableMinX, tableMaxX, tableMinY, tableMaxY, tableFriction, newObjects, gravity,
        controlHz, substeps, standClearance);
  }

  public PhysicsScene withSubsteps(int n) {
    return new PhysicsScene(tableTop, tableMinX, tableMaxX, tableMinY, tableMaxY, tableFriction, objects, gravity,
        controlHz, n, standClearance);
  }

  public PhysicsScene withGravity(double g) {
    return new PhysicsScene(tableTop, tableMinX, tableMaxX, tableMinY, tableMaxY, tableFriction, objects, g,
        controlHz, substeps, standClearance);
  }

  /** Control period (s). */
  public double tickSeconds() {
    return 1.0 / controlHz;
  }
}

package io.optimus.bridge.world;

import io.optimus.common.InputException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One task of a {@link TaskWorld}: its objects (sizes, colours, masses, frictions), their seeded
 * layout and its goal. The world runs grasps, falls and hands; it calls the task a success once the
 * goal has held without a break for {@link #holdSeconds()}. Goals are written with tolerances (poses
 * and speeds within bounds, never exact equalities) so that they hold in a physics world too.
 * The object the task moves is named {@code cube}.
 */
public abstract class Task {
  /** Task names, in the order the CLIs list them. */
  public static final List<String> NAMES = List.of("pick-place", "stack", "handover");

  /** A new task definition by name; an unknown name is a one-line {@link InputException}. */
  public static Task create(String name) {
    return switch (name == null ? "" : name) {
      case "pick-place" -> new PickPlaceTask();
      case "stack" -> new StackTask();
      case "handover" -> new HandoverTask();
      default -> throw new InputException("task '" + name + "' is unknown: expected one of " + NAMES);
    };
  }

  public abstract String name();

  /** The task's objects, created once per world, in a fixed order. */
  abstract WorldObject[] createObjects();

  /** A new layout from {@code rnd}: object poses (resting on the table) and the target area of {@code w}. */
  abstract void layout(SplittableRandom rnd, TaskWorld w);

  /** Whether the goal is met in the world's state now. */
  abstract boolean goalMet(TaskWorld w);

  /** How long (s) the goal must hold, unbroken, for success. */
  double holdSeconds() {
    return 0;
  }

  /** Keeps the target area where the task wants it as objects move (default: fixed by the layout). */
  void track(TaskWorld w) {
  }

  /** A yaw within +-0.6 rad, as objects are set down by a person facing the table. */
  static void randomYaw(SplittableRandom rnd, WorldObject o) {
    io.optimus.motion.geometry.Rotations.quatFromYaw((rnd.nextDouble() - 0.5) * 1.2, o.orientation);
  }

  /** Sets {@code o} at rest on the table at (x, y). */
  static void onTable(TaskWorld w, WorldObject o, double x, double y) {
    o.position[0] = x;
    o.position[1] = y;
    o.position[2] = w.tableTop + o.size[2] / 2;
  }
}

package io.optimus.bridge.sim;

import io.optimus.bridge.body.RobotBody;
import io.optimus.bridge.body.SimulatedBody;
import io.optimus.bridge.world.HandSample;
import io.optimus.bridge.world.TaskWorld;

/**
 * The kinematic world: independent PD-plus-inertia joints ({@link SimulatedBody}) and a
 * {@link TaskWorld} whose cube follows a closed hand and falls straight down when let go. No
 * contact dynamics; fast and deterministic.
 */
public final class KinematicWorld implements SimulatedWorld {
  /** Simulated joints from the description, at the rig's home pose, with the spec's task objects. */
  public static final Factory FACTORY = (rig, description, spec) ->
      new KinematicWorld(new SimulatedBody(description, rig.home()), spec);

  private final RobotBody body;
  private final TaskWorld objects;

  /** Kinematic task objects around {@code body} (simulated, or a real driver in a mock-up scene). */
  public KinematicWorld(RobotBody body, Spec spec) {
    this.body = body;
    this.objects = spec.hasTask() ? new TaskWorld(spec.robotId(), spec.task(), spec.seed(), spec.tableTop()) : null;
  }

  @Override
  public RobotBody body() {
    return body;
  }

  @Override
  public TaskWorld objects() {
    return objects;
  }

  @Override
  public void stepObjects(double dt, HandSample left, HandSample right) {
    objects.step(dt, left, right);
  }

  @Override
  public void close() {
    body.close();
  }
}

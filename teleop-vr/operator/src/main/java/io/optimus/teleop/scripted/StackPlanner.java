package io.optimus.teleop.scripted;

import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.ObjectState;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.TaskState;
import io.optimus.proto.v1.Vector3;

/**
 * What a person does to stack the cube on the base: the pick-and-place movements of
 * {@link PickPlacePlanner} (curved minimum-jerk reaches, seeded aim errors, corrections, pauses,
 * regrasps, tremor), aimed at the base's top face instead of a target area on the table, read afresh
 * from every task state (the base may be nudged). The cube is set down on the base, never dropped
 * onto it: the place area the planner sees is only as large as its drop margin, so it lets go only
 * once the cube is where it should be. In the physics world the hook grasp's fingertips curl under the
 * small cube's far bottom edge and would land on the base first: the cube is carried with the fingers
 * tipped up so that its near bottom edge is lowest, set down on that edge and, let go, tips down flat
 * onto the base; a cube that ends up back on the table is picked up again ({@link #REPICKS}), also at the
 * table's front edge and further out to the side than pick-and-place would. The hand opens moving forward
 * and up a little ({@link #RELEASE_SLIDE}): opened in place, the middle fingertip curled under the cube,
 * standing on the base, sprang free and flicked the cube back off the base; moving forward, the cube comes
 * along a few centimetres as the fingers let go and more often drops onto the base.
 */
public final class StackPlanner implements ScriptedPlanner {
  public static final String BASE = "base";
  /**
   * The fingers tipped up (rad) while the cube is carried and set down ({@link PickPlacePlanner#setDownTilt}):
   * physics, stepped, seeds 1-6, 0.5 rad: 2/6 without picking again, 0.8 rad: 1/6; as grasped: 0/6.
   */
  static final double SET_DOWN_TILT = 0.5;
  /**
   * As the hand opens on the base it moves this far (m) forward, along the fingers' heading, and rises this
   * far: opened in place, the middle fingertip curled under the cube (stood on the base) sprang free and
   * flicked the cube back towards the body, off the base. Physics, stepped, seeds 1-50: 23/50 (opened in
   * place 19/50); 2 cm up 16/50, tipped 0.3 rad 18/50: not a robust optimum (benchmarks/scripted-tasks.md).
   */
  static final double RELEASE_SLIDE = 0.05;
  static final double RELEASE_RISE = 0.01;
  /**
   * A cube that ended up back on the table is picked up again up to this many times an episode (pick-and-place:
   * {@link PickPlacePlanner#MAX_REPICKS}), also where pick-and-place would not: down to this far forward (m;
   * the table's front edge is at 0.20) and out to this far to the side (m). Lost over the base, the cube often
   * landed there (x 0.225, |y| 0.30-0.32). Physics, stepped, seeds 1-50: 27/50, 23/50 with pick-and-place's 2
   * second picks from x 0.24, |y| 0.28 (benchmarks/scripted-tasks.md, session 34).
   */
  static final int REPICKS = 3;
  static final double REPICK_MIN_X = 0.22;
  static final double REPICK_MAX_Y = 0.34;
  private final PickPlacePlanner planner;

  public StackPlanner(long seed, int episodes, boolean record, PickPlacePlanner.Listener listener) {
    this.planner = new PickPlacePlanner(seed, episodes, record, listener).setDownTilt(SET_DOWN_TILT)
        .releaseMove(RELEASE_RISE, RELEASE_SLIDE).repicks(REPICKS, REPICK_MIN_X, REPICK_MAX_Y);
  }

  @Override
  public void tick(double t, TaskState task, ControlMode robotMode, PalmFeedback palms, PickPlacePlanner.Output out) {
    planner.tick(t, placeOnBase(task), robotMode, palms, out);
  }

  /** The stack task as a pick-and-place one: the place area is the base's top face (null without a base). */
  static TaskState placeOnBase(TaskState task) {
    ObjectState base = HumanMotion.find(task, BASE);
    if (base == null) {
      return task == null ? null : task.toBuilder().clearTargetArea().build();
    }
    Vector3 p = base.getPose().getPosition();
    double top = p.getZ() + HumanMotion.halfHeight(base);
    double size = 2 * PickPlacePlanner.DROP_MARGIN; // no drop: "inside" only at the very centre
    return task.toBuilder()
        .setTargetArea(Pose.newBuilder().setPosition(Vector3.newBuilder().setX(p.getX()).setY(p.getY()).setZ(top))
            .setOrientation(Quaternion.newBuilder().setW(1)))
        .setTargetSize(Vector3.newBuilder().setX(size).setY(size).setZ(0.002))
        .build();
  }

  /** The working hand of the current episode: 0 left, 1 right. */
  public int hand() {
    return planner.hand();
  }

  @Override
  public PickPlacePlanner.Phase phase() {
    return planner.phase();
  }

  @Override
  public boolean finished() {
    return planner.finished();
  }

  @Override
  public int episodesDone() {
    return planner.episodesDone();
  }

  @Override
  public int successes() {
    return planner.successes();
  }
}

package io.optimus.teleop.scripted;

import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.SafetyStatus;
import io.optimus.proto.v1.TaskState;
import io.optimus.teleop.source.PoseSource;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code scripted:pick-place}: the {@link ScriptedOperator} of the pick-and-place task, with its
 * {@link PickPlacePlanner} at hand (fumbles, steady gaze). Its hands press the same buttons a person
 * would, so recording and marking go through the normal control mapping; it holds the deadman through
 * {@code commands.deadman}.
 */
public final class PickPlaceOperator implements PoseSource {
  public static final String NAME = "scripted:pick-place";
  public static final String PROFILE = ScriptedOperator.PROFILE;
  /** Eye height of the default 1.75 m operator. */
  static final double HEAD_HEIGHT = ScriptedOperator.HEAD_HEIGHT;
  /** How far down (rad) the operator tilts the head: within optimus' neck (0.9 rad). */
  static final double MAX_HEAD_PITCH = ScriptedOperator.MAX_HEAD_PITCH;

  private final PickPlacePlanner planner;
  private final ScriptedOperator operator;

  /**
   * @param task the latest task state from the robot (null until one arrived)
   * @param mapping robot base frame -> operator frame (the inverse of the bridge's calibration)
   */
  public PickPlaceOperator(Supplier<TaskState> task, RobotToOperator mapping, long seed, int episodes,
      boolean record, double rateHz, PickPlacePlanner.Listener listener) {
    this.planner = new PickPlacePlanner(seed, episodes, record, listener);
    this.operator = new ScriptedOperator(NAME, planner, task, mapping, rateHz);
  }

  /** Lets the operator see whether the robot engaged (from the robot's safety status topic). */
  public PickPlaceOperator watchSafety(Supplier<SafetyStatus> status) {
    operator.watchSafety(status);
    return this;
  }

  /** Lets the operator see where the robot's palms are (from the robot's joint states). */
  public PickPlaceOperator watchPalms(PalmFeedback feedback) {
    operator.watchPalms(feedback);
    return this;
  }

  /** Keeps the head looking ahead until the robot has taken a frame ({@link ScriptedOperator#awaitRobot}). */
  public PickPlaceOperator awaitRobot(java.util.function.BooleanSupplier tookAFrame) {
    operator.awaitRobot(tookAFrame);
    return this;
  }

  public PickPlacePlanner planner() {
    return planner;
  }

  /** The planner's intent of the last frame (robot frame; for diagnostics). */
  PickPlacePlanner.Output lastOutput() {
    return operator.lastOutput();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<OperatorFrame.Builder> next() throws InterruptedException {
    return operator.next();
  }

  /** The frame for monotonic time {@code tickNs} (exposed so tests can drive time without waiting). */
  public OperatorFrame.Builder frameAt(long tickNs) {
    return operator.frameAt(tickNs);
  }
}

package io.optimus.teleop.scripted;

import io.optimus.common.Stamps;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.geometry.proto.Pose3Proto;
import io.optimus.motion.retarget.OperatorCalibration;
import io.optimus.proto.v1.ControllerButtons;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.OperatorCommands;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.SafetyStatus;
import io.optimus.proto.v1.TaskState;
import io.optimus.proto.v1.Timestamp;
import io.optimus.common.FramePacer;
import io.optimus.teleop.source.PoseSource;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code scripted:TASK}: a synthetic operator doing one of the bridge's tasks from the task state the
 * robot publishes (a {@link ScriptedPlanner}: {@link PickPlacePlanner}, {@link StackPlanner},
 * {@link HandoverPlanner}), emitting operator-frame poses (through {@link RobotToOperator}) at a
 * headset's rate. Its hands press the same buttons a person would, so
 * recording and marking go through the normal control mapping; it holds the deadman through
 * {@code commands.deadman} (a person holds it with the squeeze; the bridge closes the hand from the
 * trigger alone, so the squeeze stays 0 here).
 */
public final class ScriptedOperator implements PoseSource {
  public static final String PREFIX = "scripted:";
  /** The tasks a scripted operator does (the bridge's {@code --task} names). */
  public static final java.util.List<String> TASKS = java.util.List.of("pick-place", "stack", "handover");
  public static final String PROFILE = "scripted";
  /** Eye height of the default 1.75 m operator. */
  static final double HEAD_HEIGHT = 1.64;
  /** How far down (rad) the operator tilts the head: within optimus' neck (0.9 rad). */
  static final double MAX_HEAD_PITCH = 0.85;

  private final String name;
  private final ScriptedPlanner planner;
  private final Supplier<TaskState> task;
  private final RobotToOperator mapping;
  private final FramePacer pacer;
  private final PickPlacePlanner.Output out = new PickPlacePlanner.Output();
  private long startNs = -1;
  private Supplier<SafetyStatus> safety = () -> null;
  private PalmFeedback palms = PalmFeedback.none();
  private BooleanSupplier robotTookAFrame = () -> true;
  private boolean robotTookOne;

  /**
   * @param task the latest task state from the robot (null until one arrived)
   * @param mapping robot base frame -> operator frame (the inverse of the bridge's calibration)
   */
  public ScriptedOperator(String name, ScriptedPlanner planner, Supplier<TaskState> task, RobotToOperator mapping,
      double rateHz) {
    this.name = name;
    this.planner = planner;
    this.task = task;
    this.mapping = mapping;
    this.pacer = new FramePacer(rateHz);
  }

  /**
   * The scripted operator of {@code task} (one of {@link #TASKS}; anything else is a one-line
   * {@link io.optimus.common.InputException}), named {@code scripted:TASK}.
   */
  public static ScriptedOperator forTask(String task, Supplier<TaskState> state, RobotToOperator mapping, long seed,
      int episodes, boolean record, double rateHz, PickPlacePlanner.Listener listener) {
    ScriptedPlanner p = switch (task == null ? "" : task) {
      case "pick-place" -> new PickPlacePlanner(seed, episodes, record, listener);
      case "stack" -> new StackPlanner(seed, episodes, record, listener);
      case "handover" -> new HandoverPlanner(seed, episodes, record, listener);
      default -> throw new io.optimus.common.InputException("scripted task '" + task + "' is unknown: expected one of "
          + TASKS);
    };
    return new ScriptedOperator(PREFIX + task, p, state, mapping, rateHz);
  }

  /** Lets the operator see whether the robot engaged (from the robot's safety status topic). */
  public ScriptedOperator watchSafety(Supplier<SafetyStatus> status) {
    this.safety = status;
    return this;
  }

  /** Lets the operator see where the robot's palms are (from the robot's joint states). */
  public ScriptedOperator watchPalms(PalmFeedback feedback) {
    this.palms = feedback;
    return this;
  }

  /**
   * Looks straight ahead until {@code tookAFrame} says the robot has taken one of this operator's frames (live:
   * its joint states echo a capture stamp). A calibration's body yaw starts as the first head yaw it sees and
   * then holds within the deadband ({@link OperatorCalibration#YAW_DEADBAND_DEG}); this operator's own
   * calibration sees its first frame, the bridge's whichever frame its loop took first. When that one already
   * looked at the cube, the two body frames stayed 24.5 degrees apart for the whole run and the giver's grasps
   * failed from the first episode on (in-process live, layouts 1 and 1001: none in 4 and 12 attempts).
   */
  public ScriptedOperator awaitRobot(BooleanSupplier tookAFrame) {
    this.robotTookAFrame = tookAFrame;
    return this;
  }

  public ScriptedPlanner planner() {
    return planner;
  }

  /** The planner's intent of the last frame (robot frame; for diagnostics). */
  PickPlacePlanner.Output lastOutput() {
    return out;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<OperatorFrame.Builder> next() throws InterruptedException {
    if (planner.finished()) {
      return Optional.empty();
    }
    long tick = pacer.await();
    if (startNs < 0) {
      startNs = tick;
    }
    return Optional.of(frameAt(tick));
  }

  /** The frame for monotonic time {@code tickNs} (exposed so tests can drive time without waiting). */
  public OperatorFrame.Builder frameAt(long tickNs) {
    if (startNs < 0) {
      startNs = tickNs;
    }
    SafetyStatus s = safety.get();
    planner.tick((tickNs - startNs) / 1e9, task.get(), s == null ? null : s.getMode(), palms, out);
    Timestamp stamp = Timestamp.newBuilder().setMonotonicNs(tickNs)
        .setWallNs(Stamps.wallNanos() + (tickNs - System.nanoTime())).build();
    OperatorFrame.Builder f = OperatorFrame.newBuilder().setCaptureTime(stamp);
    // the operator stands at the origin of the operator frame and looks at the work as the robot's
    // head camera sees it (the retargeter copies the head's orientation): pitched from the robot's
    // eye, which stands higher over the table than the operator's 1.2 m shoulders, so the table
    // fills the view rather than its bottom edge; no further down than the robot's neck bends
    // (past it, the whole-body IK leans the body and the hands miss). Half the yaw: the view holds
    // the whole table, and a turned head turns the calibrated body frame (hence awaitRobot).
    Vec3 eye = new Vec3(0, 0, HEAD_HEIGHT);
    Vec3 look = out.lookAt.minus(mapping.robotEye());
    robotTookOne = robotTookOne || robotTookAFrame.getAsBoolean();
    double yaw = robotTookOne ? Math.atan2(look.y(), look.x()) * 0.5 : 0;
    double pitch = Math.min(MAX_HEAD_PITCH, Math.atan2(-look.z(), Math.hypot(look.x(), look.y())));
    Pose3 head = new Pose3(eye, Quat.fromRpy(0, pitch, yaw));
    mapping.trackHead(head);
    f.setHead(Pose3Proto.toProto(head)).setHeadValid(true);
    // no controller in hand: the synthetic operator holds the deadman directly (a person squeezes);
    // the trigger closes the robot's hand
    f.setCommands(OperatorCommands.newBuilder().setDeadman(out.deadman));
    f.setLeft(hand(0, ControllerButtons.newBuilder().setSecondary(out.failureButton)));
    f.setRight(hand(1, ControllerButtons.newBuilder().setPrimary(out.successButton).setSecondary(out.recordButton)));
    return f;
  }

  private HandInput.Builder hand(int h, ControllerButtons.Builder buttons) {
    io.optimus.proto.v1.Pose grip = Pose3Proto.toProto(mapping.handToOperator(h, out.palm[h]));
    return HandInput.newBuilder().setGripPose(grip).setAimPose(grip).setGripValid(true).setAimValid(true)
        .setTracked(true).setTrigger((float) out.trigger[h]).setSqueeze(0)
        .setButtons(buttons).setInteractionProfile(PROFILE);
  }
}

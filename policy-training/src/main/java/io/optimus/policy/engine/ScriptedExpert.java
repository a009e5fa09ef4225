package io.optimus.policy.engine;

import io.optimus.bridge.control.MotionRetargeter;
import io.optimus.bridge.control.TeleopActionSource;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.retarget.OperatorBody;
import io.optimus.motion.retarget.RobotProfile;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.TaskState;
import io.optimus.teleop.controls.EventRepeater;
import io.optimus.teleop.controls.OperatorControls;
import io.optimus.teleop.scripted.CalibratedRobotToOperator;
import io.optimus.teleop.scripted.HandoverPlanner;
import io.optimus.teleop.scripted.PalmFeedback;
import io.optimus.teleop.scripted.PickPlacePlanner;
import io.optimus.teleop.scripted.ScriptedOperator;
import io.optimus.teleop.scripted.ScriptedPlanner;
import io.optimus.teleop.scripted.StackPlanner;

/**
 * The supervising expert of one episode: teleop-vr's scripted operator of the task (the one that records
 * the demonstrations), watching the robot the policy drives. Every operator frame it plans from the task
 * state and the robot's palms as they are, like a person watching the robot, and keeps its palm targets
 * (robot frame) to judge the policy by. Its frames go through the bridge's teleop source (whole-body
 * retargeting) all along, so that when it takes over, the retargeter's calibration has tracked the same
 * head poses as in a demonstration.
 */
public final class ScriptedExpert {
  /** The rate the scripted operators stream at (a headset's, as in the demonstrations). */
  public static final double RATE_HZ = 90;

  private final RobotRig rig;
  private final ScriptedOperator operator;
  private final ScriptedPlanner planner;
  private final OperatorControls controls = new OperatorControls(new EventRepeater(1));
  private final TeleopActionSource teleop;
  private final PalmFeedback palms;
  /** Where the palms would be at the expert's retargeted joint target (its next command). */
  private final PalmFeedback wantedPalms;
  private JointState wanted;
  private final double[] base;
  private final Vec3[] target = new Vec3[2];
  private TaskState task;
  private JointState seen;
  private long sequence;

  /**
   * @param seed the expert's own randomness (durations, aim, tremor), drawn per episode
   * @param standing the robot stands on its feet (kinematic world); else on the physics world's stand
   */
  public ScriptedExpert(RobotRig rig, String task, long seed, boolean standing) {
    this.rig = rig;
    ScriptedPlanner inner = switch (task) {
      case "pick-place" -> new PickPlacePlanner(seed, 1, false, null);
      case "stack" -> new StackPlanner(seed, 1, false, null);
      case "handover" -> new HandoverPlanner(seed, 1, false, null);
      default -> throw new io.optimus.common.InputException("the scripted expert does tasks "
          + ScriptedOperator.TASKS + ", not '" + task + "'");
    };
    this.planner = new Watched(inner);
    this.operator = new ScriptedOperator(ScriptedOperator.PREFIX + task, planner, () -> this.task,
        new CalibratedRobotToOperator(RobotProfile.detect(rig.model()), OperatorBody.DEFAULT), RATE_HZ);
    this.base = standing ? null : rig.standBase();
    this.palms = PalmFeedback.fromStates(rig, () -> seen);
    this.wantedPalms = PalmFeedback.fromStates(rig, () -> wanted);
    operator.watchPalms(palms);
    this.teleop = newTeleop();
  }

  /** A fresh bridge teleop source (whole-body retargeting from the rig's home pose) for the expert's frames. */
  TeleopActionSource newTeleop() {
    return new TeleopActionSource(new MotionRetargeter(rig.model(), rig.home()), rig.dof());
  }

  public String name() {
    return operator.name();
  }

  /** The bridge's teleop source the expert's frames drive (the action source when it has taken over). */
  public TeleopActionSource teleop() {
    return teleop;
  }

  /** The expert's next frame at {@code nowNs}, seeing the task state and the robot's measured joints. */
  public OperatorFrame frame(long nowNs, TaskState taskState, double[] measuredQ) {
    this.task = taskState;
    seen = state(measuredQ);
    OperatorFrame.Builder f = operator.frameAt(nowNs).setSchemaVersion(1).setOperatorId("expert")
        .setSessionId("expert").setSource(operator.name()).setSequence(++sequence);
    controls.apply(f);
    return f.build();
  }

  /** The expert's retargeted joint target for its latest frame (what it would command the robot now). */
  public void wanted(double[] q) {
    wanted = state(q);
  }

  private JointState state(double[] q) {
    JointState.Builder b = JointState.newBuilder();
    if (base != null) {
      b.setBasePose(io.optimus.proto.v1.Pose.newBuilder()
          .setPosition(io.optimus.proto.v1.Vector3.newBuilder().setX(base[0]).setY(base[1]).setZ(base[2]))
          .setOrientation(io.optimus.proto.v1.Quaternion.newBuilder().setW(1)));
    }
    for (double v : q) {
      b.addPosition(v);
    }
    return b.build();
  }

  /**
   * How far the robot is from what the expert would command: the largest distance (m) of a robot palm, as
   * last seen, from where it would be at the expert's retargeted joint target ({@link #wanted}); NaN
   * before both are known. Both sides go through the same forward kinematics, so the offset between the
   * operator's hand and the robot's palm that the expert aims around does not count.
   */
  public double deviationM() {
    double worst = Double.NaN;
    for (int h = 0; h < 2; h++) {
      Vec3 p = palms.palm(h);
      Vec3 w = wantedPalms.palm(h);
      if (p != null && w != null) {
        double d = p.distance(w);
        worst = Double.isNaN(worst) ? d : Math.max(worst, d);
      }
    }
    return worst;
  }

  /** The expert's palm target for hand 0 (left) or 1 (right), robot frame; null before its first plan. */
  public Vec3 target(int hand) {
    return target[hand];
  }

  /** The robot's palm as the expert last saw it; null before it saw one. */
  public Vec3 seen(int hand) {
    return palms.palm(hand);
  }

  public String phase() {
    return planner.phase().name();
  }

  /** The expert's plan of the episode has run to its end (it judged its attempt). */
  public boolean episodeEnded() {
    return planner.episodesDone() > 0;
  }

  /** The planner, with its palm targets kept after every tick. */
  private final class Watched implements ScriptedPlanner {
    private final ScriptedPlanner inner;

    Watched(ScriptedPlanner inner) {
      this.inner = inner;
    }

    @Override
    public void tick(double t, TaskState task, ControlMode robotMode, PalmFeedback palms, PickPlacePlanner.Output out) {
      inner.tick(t, task, robotMode, palms, out);
      for (int h = 0; h < 2; h++) {
        target[h] = out.palm[h] == null ? null : out.palm[h].translation();
      }
    }

    @Override
    public boolean finished() {
      return inner.finished();
    }

    @Override
    public int episodesDone() {
      return inner.episodesDone();
    }

    @Override
    public int successes() {
      return inner.successes();
    }

    @Override
    public Enum<?> phase() {
      return inner.phase();
    }
  }
}

package io.optimus.teleop.scripted;

import static org.junit.jupiter.api.Assertions.*;

import io.optimus.bridge.world.HandSample;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.geometry.proto.Pose3Proto;
import io.optimus.motion.model.Robots;
import io.optimus.motion.retarget.HandSide;
import io.optimus.motion.retarget.OperatorBody;
import io.optimus.motion.retarget.OperatorCalibration;
import io.optimus.motion.retarget.RobotProfile;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.OperatorEvent;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.teleop.OperatorStream;
import io.optimus.teleop.controls.EventRepeater;
import io.optimus.teleop.controls.OperatorControls;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The scripted operator in closed loop with the bridge's real task world: its palm poses (identity
 * calibration: operator frame = robot frame) and trigger drive the world's hands, the world's task
 * state feeds it back. Simulated time, 90 Hz.
 */
class PickPlaceOperatorTest {
  private static final double RATE = 90;

  record Run(boolean success, double seconds, List<OperatorEventType> events, double pathLength, int frames) {}

  /** What the bridge does to an operator frame's hands: here, nothing (identity calibration). */
  interface BridgeSide {
    void toRobot(OperatorFrame f, HandSample left, HandSample right);
  }

  static final BridgeSide IDENTITY = (f, l, r) -> {
    sample(f.getLeft(), l);
    sample(f.getRight(), r);
  };

  static Run run(long seed, boolean record) {
    return run(seed, record, RobotToOperator.identity(), IDENTITY);
  }

  static Run run(long seed, boolean record, RobotToOperator mapping, BridgeSide bridge) {
    return run(seed, record, mapping, bridge, null);
  }

  static Run run(long seed, boolean record, RobotToOperator mapping, BridgeSide bridge, HandSample[] seenBy) {
    TaskWorld world = new TaskWorld("r1", "pick-place", seed, 0.75);
    PickPlaceOperator op = new PickPlaceOperator(world::toProto, mapping, seed * 31 + 7, 1, record, RATE, null);
    if (seenBy != null) { // the operator sees where the robot's palms really are
      op.watchPalms(h -> new Vec3(seenBy[h].position[0], seenBy[h].position[1], seenBy[h].position[2]));
    }
    OperatorControls controls = new OperatorControls(new EventRepeater(1));
    HandSample left = seenBy != null ? seenBy[0] : new HandSample("left_hand");
    HandSample right = seenBy != null ? seenBy[1] : new HandSample("right_hand");
    long dtNs = Math.round(1e9 / RATE);
    long t = 1_000_000_000L;
    Set<Long> seen = new LinkedHashSet<>();
    List<OperatorEventType> events = new ArrayList<>();
    double path = 0;
    double[] prev = null;
    int frames = 0;
    while (!op.planner().finished() && frames < 60 * RATE) {
      OperatorFrame.Builder fb = op.frameAt(t).setSequence(frames + 1).setSource(op.name());
      controls.apply(fb);
      OperatorFrame f = fb.build();
      OperatorStream.checkFinite(f);
      for (OperatorEvent e : f.getEventsList()) {
        if (seen.add(e.getEventId())) {
          events.add(e.getType());
        }
      }
      bridge.toRobot(f, left, right);
      HandInput working = op.planner().phase() == PickPlacePlanner.Phase.WAIT_TASK ? f.getRight()
          : (f.getLeft().getTrigger() > 0 ? f.getLeft() : f.getRight());
      double[] p = {working.getGripPose().getPosition().getX(), working.getGripPose().getPosition().getY(),
          working.getGripPose().getPosition().getZ()};
      if (prev != null) {
        path += Math.sqrt(Math.pow(p[0] - prev[0], 2) + Math.pow(p[1] - prev[1], 2) + Math.pow(p[2] - prev[2], 2));
      }
      prev = p;
      world.step(1 / RATE, left, right);
      t += dtNs;
      frames++;
    }
    assertTrue(op.planner().finished(), "seed " + seed + " never finished; phase " + op.planner().phase());
    return new Run(world.success(), frames / RATE, events, path, frames);
  }

  private static void sample(HandInput h, HandSample s) {
    s.set(h.getGripPose().getPosition().getX(), h.getGripPose().getPosition().getY(),
        h.getGripPose().getPosition().getZ(), h.getTrigger());
    s.orientation[0] = h.getGripPose().getOrientation().getW();
    s.orientation[1] = h.getGripPose().getOrientation().getX();
    s.orientation[2] = h.getGripPose().getOrientation().getY();
    s.orientation[3] = h.getGripPose().getOrientation().getZ();
  }

  @Test
  void putsTheCubeInTheTargetAcrossLayoutsWithHumanVariability() {
    int successes = 0;
    Set<Integer> durations = new LinkedHashSet<>();
    for (long seed = 1; seed <= 10; seed++) {
      Run r = run(seed, true);
      if (r.success()) {
        successes++;
        assertEquals(List.of(OperatorEventType.OPERATOR_EVENT_RECORD_START, OperatorEventType.OPERATOR_EVENT_MARK_SUCCESS,
            OperatorEventType.OPERATOR_EVENT_RECORD_STOP), r.events(), "seed " + seed);
      } else {
        assertEquals(List.of(OperatorEventType.OPERATOR_EVENT_RECORD_START, OperatorEventType.OPERATOR_EVENT_MARK_FAILURE,
            OperatorEventType.OPERATOR_EVENT_RECORD_STOP), r.events(), "seed " + seed);
      }
      assertTrue(r.seconds() > 3 && r.seconds() < 20, "episode took " + r.seconds() + " s");
      durations.add(r.frames());
    }
    assertTrue(successes >= 9, "successes: " + successes + "/10");
    assertTrue(durations.size() >= 8, "episodes should differ in timing: " + durations);
  }

  @Test
  void putsThePalmOnTheCubeThroughTheBridgesCalibration() {
    RobotProfile profile = RobotProfile.detect(Robots.load("optimus"));
    for (long seed = 11; seed <= 14; seed++) {
      CalibratedRobotToOperator mapping = new CalibratedRobotToOperator(profile, OperatorBody.DEFAULT);
      OperatorCalibration bridgeCalibration = new OperatorCalibration(profile);
      bridgeCalibration.setBody(OperatorBody.DEFAULT);
      double[] p = new double[3];
      double[] q = new double[4];
      BridgeSide bridge = (f, l, r) -> {
        bridgeCalibration.track(Pose3Proto.fromProto(f.getHead()));
        for (int h = 0; h < 2; h++) {
          HandInput in = h == 0 ? f.getLeft() : f.getRight();
          HandSample out = h == 0 ? l : r;
          p[0] = in.getGripPose().getPosition().getX();
          p[1] = in.getGripPose().getPosition().getY();
          p[2] = in.getGripPose().getPosition().getZ();
          q[0] = in.getGripPose().getOrientation().getW();
          q[1] = in.getGripPose().getOrientation().getX();
          q[2] = in.getGripPose().getOrientation().getY();
          q[3] = in.getGripPose().getOrientation().getZ();
          bridgeCalibration.handToRobot(h == 0 ? HandSide.LEFT : HandSide.RIGHT, p, q, p, q);
          out.set(p[0], p[1], p[2], in.getTrigger());
          System.arraycopy(q, 0, out.orientation, 0, 4);
        }
      };
      Run r = run(seed, false, mapping, bridge);
      assertTrue(r.success(), "seed " + seed + " through the calibration");
    }
  }

  @Test
  void calibratedMappingInvertsTheBridgesHandMapping() {
    RobotProfile profile = RobotProfile.detect(Robots.load("optimus"));
    OperatorBody tall = OperatorBody.ofHeight(1.92);
    CalibratedRobotToOperator mapping = new CalibratedRobotToOperator(profile, tall);
    OperatorCalibration bridge = new OperatorCalibration(profile);
    bridge.setBody(tall);
    Pose3 head = new Pose3(new Vec3(0.4, -0.3, 1.8), Quat.fromRpy(0, 0.4, 0.9)); // turned 0.9 rad, beyond the dead band
    mapping.trackHead(head);
    bridge.track(head);
    double[] p = new double[3];
    double[] q = new double[4];
    for (int h = 0; h < 2; h++) {
      Pose3 target = new Pose3(new Vec3(0.35, h == 0 ? 0.2 : -0.15, 0.8), Quat.fromRpy(0.1, 0.2, -0.3));
      Pose3 op = mapping.handToOperator(h, target);
      p[0] = op.translation().x(); p[1] = op.translation().y(); p[2] = op.translation().z();
      // the retargeter turns the grip orientation into the palm convention, then maps it
      Quat palm = op.rotation().times(io.optimus.motion.retarget.OperatorRetargeter.gripToPalm(h == 0 ? HandSide.LEFT : HandSide.RIGHT));
      q[0] = palm.w(); q[1] = palm.x(); q[2] = palm.y(); q[3] = palm.z();
      bridge.handToRobot(h == 0 ? HandSide.LEFT : HandSide.RIGHT, p, q, p, q);
      assertEquals(0.35, p[0], 1e-9);
      assertEquals(target.translation().y(), p[1], 1e-9);
      assertEquals(0.8, p[2], 1e-9);
      assertEquals(1, Math.abs(new Quat(q[0], q[1], q[2], q[3]).dot(target.rotation())), 1e-9);
    }
  }

  @Test
  void aGraspThatDidNotTakeIsOpenedAndRetried() {
    TaskWorld world = new TaskWorld("r1", "pick-place", 8, 0.75);
    boolean[] regrasped = {false};
    PickPlaceOperator[] op = new PickPlaceOperator[1];
    // after the first closing the robot reports the cube neither held nor lifted (it stays on the table
    // while the hand rises): the operator must notice
    java.util.function.Supplier<io.optimus.proto.v1.TaskState> task = () -> {
      io.optimus.proto.v1.TaskState t = world.toProto();
      if (op[0] != null && op[0].planner().phase() == PickPlacePlanner.Phase.REGRASP) {
        regrasped[0] = true;
      }
      if (!regrasped[0] && op[0] != null && op[0].planner().phase() == PickPlacePlanner.Phase.VERIFY) {
        io.optimus.proto.v1.TaskState.Builder b = t.toBuilder();
        b.getObjectsBuilder(0).setHeldBy("").setGrasped(false).getPoseBuilder().getPositionBuilder().setZ(0.75 + 0.025);
        return b.build();
      }
      return t;
    };
    op[0] = new PickPlaceOperator(task, RobotToOperator.identity(), 99, 1, false, RATE, null);
    HandSample left = new HandSample("left_hand");
    HandSample right = new HandSample("right_hand");
    long t = 0;
    for (int i = 0; i < 40 * RATE && !op[0].planner().finished(); i++) {
      OperatorFrame f = op[0].frameAt(t).build();
      IDENTITY.toRobot(f, left, right);
      world.step(1 / RATE, left, right);
      t += Math.round(1e9 / RATE);
    }
    assertTrue(regrasped[0], "the operator backed off and tried again");
    assertTrue(op[0].planner().finished());
    assertTrue(world.success(), "and then completed the task");
    assertEquals(1, op[0].planner().successes());
  }

  @Test
  void aFumbledFirstGraspClosesOutOfReachThenRecovers() {
    int successes = 0;
    for (long seed = 1; seed <= 6; seed++) {
      TaskWorld world = new TaskWorld("r1", "pick-place", seed, 0.75);
      PickPlaceOperator op = new PickPlaceOperator(world::toProto, RobotToOperator.identity(), seed * 31 + 7, 1, false,
          RATE, null);
      op.planner().fumbleRate(1);
      HandSample left = new HandSample("left_hand");
      HandSample right = new HandSample("right_hand");
      long t = 0;
      for (int i = 0; i < 40 * RATE && !op.planner().finished(); i++) {
        OperatorFrame f = op.frameAt(t).build();
        IDENTITY.toRobot(f, left, right);
        world.step(1 / RATE, left, right);
        t += Math.round(1e9 / RATE);
      }
      assertTrue(world.firstAttemptDistanceM() > TaskWorld.GRASP_RADIUS,
          "seed " + seed + ": the first closing is out of reach: " + world.firstAttemptDistanceM() + " m");
      assertTrue(world.firstAttemptDistanceM() < 0.12, "seed " + seed + ": but near the cube: "
          + world.firstAttemptDistanceM() + " m");
      assertTrue(world.graspAttempts() >= 2, "seed " + seed + ": grasped again after the miss");
      assertTrue(world.toProto().getMissedGrasps() >= 1, "seed " + seed + ": the task state counts the miss");
      successes += world.success() ? 1 : 0;
    }
    assertTrue(successes >= 5, "fumbled episodes still end in the target: " + successes + "/6");
    assertThrows(IllegalArgumentException.class, () -> new PickPlacePlanner(1, 1, false, null).fumbleRate(1.5));
  }

  @Test
  void seeingTheRobotsHandCorrectsASystematicReachError() {
    // the robot's hand ends up 9 cm to the left of where it is sent (a calibration error): closing
    // there grasps nothing
    BridgeSide offset = (f, l, r) -> {
      IDENTITY.toRobot(f, l, r);
      l.position[1] += 0.09;
      r.position[1] += 0.09;
    };
    for (long seed = 21; seed <= 23; seed++) {
      Run blind = run(seed, false, RobotToOperator.identity(), offset);
      assertFalse(blind.success(), "without looking, seed " + seed + " cannot grasp");
      HandSample[] hands = {new HandSample("left_hand"), new HandSample("right_hand")};
      Run seeing = run(seed, false, RobotToOperator.identity(), offset, hands);
      assertTrue(seeing.success(), "looking at the hand, seed " + seed + " corrects and succeeds");
      assertEquals(List.of(OperatorEventType.OPERATOR_EVENT_MARK_SUCCESS), seeing.events());
    }
  }

  @Test
  void anArmThatCannotComeDownAcrossTheBodyLetsTheCubeDropOverTheArea() {
    // like the robot's arm reaching across its chest: the lower the hand, the less it gets past the
    // midline (0.03 m at the table, 0.18 m at 0.1 m above it), so setting the cube down on a far target
    // drags it out of the area; held a little higher, it is over the area
    double tableTop = 0.75;
    BridgeSide acrossTheChest = (f, l, r) -> {
      IDENTITY.toRobot(f, l, r);
      for (HandSample h : new HandSample[] {l, r}) {
        double side = h == l ? 1 : -1; // a hand crosses the midline towards -side
        double reach = 0.03 + 1.5 * Math.max(0, h.position[2] - tableTop);
        h.position[1] = side > 0 ? Math.max(h.position[1], -reach) : Math.min(h.position[1], reach);
      }
    };
    for (long seed : new long[] {1002, 1003, 1005}) { // cube left of the midline, target 19-20 cm right of it
      TaskWorld world = new TaskWorld("r1", "pick-place", seed, tableTop);
      assertTrue(world.targetCentre()[1] < -0.18, "a far target: " + world.targetCentre()[1]);
      HandSample[] hands = {new HandSample("left_hand"), new HandSample("right_hand")};
      Run run = run(seed, false, RobotToOperator.identity(), acrossTheChest, hands);
      assertTrue(run.success(), "seed " + seed + ": dropped over the area");
      assertEquals(List.of(OperatorEventType.OPERATOR_EVENT_MARK_SUCCESS), run.events());
    }
  }

  @Test
  void aSteadyGazeKeepsTheHeadStillWhileTheHandsWork() {
    for (boolean steady : new boolean[] {false, true}) {
      TaskWorld world = new TaskWorld("r1", "pick-place", 4, 0.75);
      PickPlaceOperator op = new PickPlaceOperator(world::toProto, RobotToOperator.identity(), 11, 1, false, RATE, null);
      if (steady) {
        op.planner().steadyGaze(0.36, 0);
      }
      HandSample left = new HandSample("left_hand");
      HandSample right = new HandSample("right_hand");
      long t = 0;
      double minYaw = Double.POSITIVE_INFINITY;
      double maxYaw = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < 40 * RATE && !op.planner().finished(); i++) {
        OperatorFrame f = op.frameAt(t).build();
        if (op.planner().phase() != PickPlacePlanner.Phase.WAIT_TASK) {
          io.optimus.proto.v1.Quaternion q = f.getHead().getOrientation();
          double yaw = Math.atan2(2 * (q.getW() * q.getZ() + q.getX() * q.getY()), 1 - 2 * (q.getY() * q.getY() + q.getZ() * q.getZ()));
          minYaw = Math.min(minYaw, yaw);
          maxYaw = Math.max(maxYaw, yaw);
        }
        IDENTITY.toRobot(f, left, right);
        world.step(1 / RATE, left, right);
        t += Math.round(1e9 / RATE);
      }
      assertTrue(world.success(), "steady " + steady + ": the task is done either way");
      double turn = maxYaw - minYaw;
      assertTrue(steady ? turn < 1e-9 : turn > 0.05, "steady " + steady + ": the head turned " + turn + " rad");
    }
    assertThrows(IllegalArgumentException.class, () -> new PickPlacePlanner(1, 1, false, null).steadyGaze(Double.NaN, 0));
  }

  @Test
  void sameSeedSameMotionWithoutRecordingEvents() {
    Run a = run(3, false);
    Run b = run(3, false);
    assertEquals(a.frames(), b.frames());
    assertEquals(a.pathLength(), b.pathLength(), 1e-9);
    assertEquals(List.of(OperatorEventType.OPERATOR_EVENT_MARK_SUCCESS), a.events());
  }

  @Test
  void holdsStillWithoutTaskState() {
    PickPlaceOperator op = new PickPlaceOperator(() -> null, RobotToOperator.identity(), 1, 1, true, RATE, null);
    OperatorFrame.Builder first = op.frameAt(0);
    OperatorFrame.Builder later = op.frameAt(2_000_000_000L);
    assertEquals(PickPlacePlanner.Phase.WAIT_TASK, op.planner().phase());
    assertEquals(first.getRight().getGripPose().getPosition().getX(), later.getRight().getGripPose().getPosition().getX(), 0.003);
    assertFalse(later.getCommands().getDeadman(), "no deadman while waiting");
  }
}

package io.optimus.policy.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.control.ControlLoop;
import io.optimus.bridge.control.MotionRetargeter;
import io.optimus.bridge.control.TeleopActionSource;
import io.optimus.bridge.sim.KinematicWorld;
import io.optimus.bridge.sim.PhysicsSimulatedWorld;
import io.optimus.bridge.sim.SimulatedRobot;
import io.optimus.bridge.sim.SimulatedWorld;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.motion.retarget.OperatorBody;
import io.optimus.motion.retarget.RobotProfile;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.TaskState;
import io.optimus.teleop.controls.EventRepeater;
import io.optimus.teleop.controls.OperatorControls;
import io.optimus.teleop.scripted.CalibratedRobotToOperator;
import io.optimus.teleop.scripted.PickPlaceOperator;
import io.optimus.teleop.scripted.PickPlacePlanner;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The scripted pick-and-place operator through the whole chain (operator frames, the bridge's
 * retargeter and safety supervisor, {@link SimulatedRobot} stepped in simulated time) in the physics
 * world, where the cube is picked from the table by contact and friction: no grasp rule. Seeds are
 * drawn as {@link ScriptedDemos} draws them.
 */
class ScriptedPickPlacePhysicsTest {
  private static final RobotRig RIG = new RobotRig(Robots.load("optimus"));
  private static final boolean VERBOSE = Boolean.getBoolean("scripted.verbose");
  private static final double TIMEOUT_S = ScriptedDemos.DEFAULT_TIMEOUT_S;

  /** How one episode went: success, the cube's highest rise, its final horizontal distance from the target's centre, the planner's last phase. */
  record Episode(long seed, boolean success, double seconds, double maxLift, double cubeToTarget, String phase) {}

  @Test
  void aHandfulOfSeedsPickAndPlaceInPhysics() {
    int ok = 0;
    StringBuilder log = new StringBuilder();
    for (int e = 0; e < 4; e++) {
      Episode r = episode(e, PhysicsSimulatedWorld.FACTORY, 20);
      ok += r.success() ? 1 : 0;
      log.append(r).append('\n');
    }
    // measured 3 of these 4 (33 of 50 over the first 50); the target is 85 %
    assertTrue(ok >= 3, ok + " of 4 succeeded:\n" + log);
  }

  /**
   * The 50-seed figure: {@code ./mvnw -o -q -pl policy-training -am test -Dtest=ScriptedPickPlacePhysicsTest#fiftySeeds
   * -Dsurefire.failIfNoSpecifiedTests=false -Dtest.groups.excluded=none -Dfuzz.skip=true -Dworld=physics}.
   */
  @Test
  @Tag("long")
  void fiftySeeds() {
    String world = System.getProperty("world", "physics");
    int n = Integer.getInteger("seeds", 50);
    SimulatedWorld.Factory f = world.equals("physics") ? PhysicsSimulatedWorld.FACTORY : KinematicWorld.FACTORY;
    int ok = 0;
    int first = Integer.getInteger("first", 0);
    for (int e = first; e < first + n; e++) {
      Episode r = episode(e, f, TIMEOUT_S);
      ok += r.success() ? 1 : 0;
      System.out.println("SCRIPTED " + world + " " + r);
    }
    System.out.printf(Locale.ROOT, "SCRIPTED %s: %d/%d succeeded%n", world, ok, n);
  }

  /**
   * The recording path itself ({@link ScriptedDemos}, which gives the operator no view of the
   * robot's hand): {@code -Dtest=ScriptedPickPlacePhysicsTest#scriptedDemos -Dseeds=N -Dworld=physics}.
   */
  @Test
  @Tag("long")
  void scriptedDemos(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    new ScriptedDemos("optimus", TIMEOUT_S).world(System.getProperty("world", "physics"))
        .record(dir, "pick-place", Integer.getInteger("seeds", 10), 1, System.out);
  }

  /** Episode {@code index} of a 1-episode-per-seed run with base seed 1 (as {@code ScriptedDemos.record}). */
  static Episode episode(long index, SimulatedWorld.Factory worldFactory, double timeoutS) {
    SplittableRandom seeds = new SplittableRandom(index);
    long worldSeed = seeds.nextLong() & Long.MAX_VALUE;
    long operatorSeed = seeds.nextLong();
    TaskState[] latest = {null};
    io.optimus.proto.v1.JointState[] joints = {null};
    RobotProfile profile = RobotProfile.detect(RIG.model());
    PickPlaceOperator op = new PickPlaceOperator(() -> latest[0], new CalibratedRobotToOperator(profile, OperatorBody.DEFAULT),
        operatorSeed, 1, false, ScriptedDemos.OPERATOR_RATE_HZ, null);
    // the operator sees the robot's hand (the live teleop watches its joint states the same way)
    SimulatedRobot[] robotRef = {null};
    io.optimus.teleop.scripted.PalmFeedback seen = h -> {
      if (robotRef[0] != null && robotRef[0].world() instanceof PhysicsSimulatedWorld pw) {
        // the hand where it is: the joint states' forward kinematics put the base where the legs say
        // (feet on the floor), but the physics robot stands on a fixed stand with its legs in the air
        double[] p = new double[3];
        pw.physics().linkPose(h == 0 ? RIG.left().palmLink() : RIG.right().palmLink(), p, new double[4]);
        return new io.optimus.motion.geometry.Vec3(p[0], p[1], p[2]);
      }
      return io.optimus.teleop.scripted.PalmFeedback.fromStates(RIG, () -> joints[0]).palm(h);
    };
    op.watchPalms(seen);
    OperatorControls controls = new OperatorControls(new EventRepeater(1));
    BridgeConfig config = BridgeConfig.defaults("scripted-bot").withTask("pick-place", worldSeed).withCamera(0);
    SimulatedRobot robot = SimulatedRobot.builder(RIG, config).world(worldFactory).statusRateHz(0).stateEvery(10)
        .output(new ControlLoop.Output() {
          @Override
          public void state(io.optimus.proto.v1.JointState s) {
            joints[0] = s;
          }

          @Override
          public void task(TaskState t) {
            latest[0] = t;
          }
        }).build();
    robotRef[0] = robot;
    TaskWorld world = robot.objects();
    latest[0] = world.toProto();
    robot.loop().setSource(new TeleopActionSource(new MotionRetargeter(RIG.model(), RIG.home()), RIG.dof()));
    long period = (long) (1e9 / config.controlRateHz());
    long operatorPeriod = (long) (1e9 / ScriptedDemos.OPERATOR_RATE_HZ);
    long start = 1_000_000_000L;
    long now = start;
    long nextOperator = now;
    long seq = 0;
    double restZ = world.cube().position[2];
    double maxLift = 0;
    boolean success = false;
    PickPlacePlanner.Phase last = op.planner().phase();
    try {
      while (now < start + (long) (timeoutS * 1e9) && !success) {
        if (now >= nextOperator) {
          OperatorFrame.Builder f = op.frameAt(now).setSchemaVersion(1).setOperatorId("scripted").setSessionId("s")
              .setSource(op.name()).setSequence(++seq);
          controls.apply(f);
          robot.inbox().offer(f.build(), now);
          nextOperator += operatorPeriod;
        }
        robot.step(now);
        PickPlacePlanner.Phase before = last;
        last = op.planner().phase();
        if (VERBOSE && last != before && robot.world() instanceof PhysicsSimulatedWorld pw) {
          double[] p = new double[3];
          double[] o = new double[4];
          int h = op.planner().hand();
          pw.physics().linkPose(h == 0 ? RIG.left().palmLink() : RIG.right().palmLink(), p, o);
          io.optimus.proto.v1.ObjectState cs = world.toProto().getObjects(0);
          io.optimus.motion.geometry.Quat want = PickPlacePlanner.graspOrientation(cs);
          io.optimus.motion.geometry.Vec3 inPalm = new io.optimus.motion.geometry.Quat(o[0], o[1], o[2], o[3]).inverse().rotate(new io.optimus.motion.geometry.Vec3(
              world.cube().position[0] - p[0], world.cube().position[1] - p[1], world.cube().position[2] - p[2]));
          double[] jq = new double[RIG.dof()];
          pw.physics().readJoints(jq, null, null);
          StringBuilder fj = new StringBuilder("    fingers");
          for (io.optimus.motion.model.Joint j : RIG.model().dofJoints()) {
            if (j.group().equals(h == 0 ? "left_hand" : "right_hand") && !j.isMimic()) {
              fj.append(String.format(Locale.ROOT, " %s %.2f", j.name().replace("_joint", ""), jq[j.qIndex()]));
            }
          }
          System.out.println(fj);
          System.out.printf(Locale.ROOT, "    palm angle err %.3f rad, cube in palm %s%n",
              new io.optimus.motion.geometry.Quat(o[0], o[1], o[2], o[3]).angleTo(want), inPalm);
          double[] c = world.cube().position;
          io.optimus.motion.geometry.Vec3 g = PickPlacePlanner.graspPalm(world.toProto().getObjects(0), h, 0);
          System.out.printf(Locale.ROOT, "  t %.2f %s -> %s palm (%.3f %.3f %.3f) grasp palm (%.3f %.3f %.3f) err %.3f cube (%.3f %.3f %.3f)%n",
              (now - start) / 1e9, before, op.planner().phase(), p[0], p[1], p[2], g.x(), g.y(), g.z(),
              Math.sqrt(Math.pow(p[0] - g.x(), 2) + Math.pow(p[1] - g.y(), 2) + Math.pow(p[2] - g.z(), 2)), c[0], c[1], c[2]);
        }
        maxLift = Math.max(maxLift, world.cube().position[2] - restZ);
        success = world.success();
        now += period;
      }
    } finally {
      robot.close();
    }
    PickPlacePlanner p = op.planner();
    double[] target = world.targetCentre();
    double toTarget = Math.hypot(world.cube().position[0] - target[0], world.cube().position[1] - target[1]);
    return new Episode(index, success, (now - start) / 1e9, maxLift, toTarget, p.phase().name());
  }
}

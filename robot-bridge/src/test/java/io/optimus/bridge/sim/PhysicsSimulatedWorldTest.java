package io.optimus.bridge.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.control.ActionSource;
import io.optimus.bridge.control.ControlContext;
import io.optimus.bridge.safety.SafetySupervisor;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.EpisodeSourceKind;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyEventType;
import io.optimus.proto.v1.SafetySeverity;
import io.optimus.proto.v1.SafetyStatus;
import io.optimus.bridge.physics.PhysicsWorld;
import io.optimus.bridge.physics.bullet.BulletWorld;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.bridge.world.WorldObject;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.JointState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A {@link SimulatedRobot} on Bullet: the body and the task objects move under physics. */
class PhysicsSimulatedWorldTest {
  static final RobotRig RIG = new RobotRig(Robots.load("optimus"));
  static final BridgeConfig CONFIG = BridgeConfig.defaults("phys-bot").withCamera(0).withTask("pick-place", 7);

  static SimulatedRobot robot(BridgeConfig c, List<JointState> states) {
    return SimulatedRobot.builder(RIG, c).world(PhysicsSimulatedWorld.FACTORY).output(new io.optimus.bridge.control.ControlLoop.Output() {
      @Override
      public void state(JointState s) {
        states.add(s);
      }
    }).build();
  }

  static long period(BridgeConfig c) {
    return (long) (1e9 / c.controlRateHz());
  }

  static PhysicsWorld physics(SimulatedRobot r) {
    return assertInstanceOf(PhysicsSimulatedWorld.class, r.world()).physics();
  }

  @Test
  void withNoOperatorTheRobotHoldsHomeAndTheCubeStaysOnTheTable() {
    List<JointState> states = new ArrayList<>();
    try (SimulatedRobot r = robot(CONFIG, states)) {
      TaskWorld objects = r.objects();
      assertTrue(objects.isPhysical());
      WorldObject cube = objects.cube();
      double[] start = cube.position.clone();
      assertEquals(objects.tableTop + cube.size[2] / 2, start[2], 1e-9, "laid out resting on the table");
      long p = period(CONFIG);
      for (int k = 0; k < 2 * CONFIG.controlRateHz(); k++) {
        r.step(k * p);
      }
      assertEquals(2e9, physics(r).timeNs(), 1e6, "one physics tick per control tick");
      double[] home = RIG.home();
      JointState last = states.get(states.size() - 1);
      BulletWorld bullet = (BulletWorld) physics(r);
      double worst = 0;
      String worstJoint = "";
      for (int j = 0; j < home.length; j++) {
        double err = Math.abs(last.getPosition(j) - home[j]);
        // PD steady state under gravity: at most the whole robot's weight at 0.6 m on this joint's stiffness
        double bound = 60 * 9.81 * 0.6 / bullet.stiffness(j);
        assertTrue(err < Math.max(bound, 1e-3), RIG.model().dofJoints().get(j).name() + " is " + err
            + " rad off home, PD steady-state bound " + bound);
        if (err > worst) {
          worst = err;
          worstJoint = RIG.model().dofJoints().get(j).name();
        }
      }
      assertTrue(worst < 0.05, "home held within 0.05 rad; worst " + worstJoint + " " + worst);
      double moved = Math.hypot(Math.hypot(cube.position[0] - start[0], cube.position[1] - start[1]),
          cube.position[2] - start[2]);
      assertTrue(moved < 0.001, "the cube moved " + moved + " m resting on the table");
      double[] pp = new double[3];
      physics(r).objectPose(0, pp, new double[4]);
      assertEquals(pp[0], cube.position[0], 0.0, "task world shows the physics pose");
      assertEquals(pp[2], cube.position[2], 0.0);
      assertTrue(Math.hypot(Math.hypot(cube.velocity[0], cube.velocity[1]), cube.velocity[2]) < 1e-3,
          "at rest: " + java.util.Arrays.toString(cube.velocity));
      assertFalse(cube.held(), "physics grasps by contact only, never by rule");
      assertEquals(0, r.supervisor().contacts(), "standing at home the robot touches nothing: "
          + r.supervisor().status(0).getLastContact());
    }
  }

  @Test
  void aTaskResetRePlacesTheCubeAtTheNewLayoutAtRest() {
    try (SimulatedRobot r = robot(CONFIG, new ArrayList<>())) {
      TaskWorld objects = r.objects();
      long p = period(CONFIG);
      long t = 0;
      for (int k = 0; k < 50; k++) {
        r.step(t += p);
      }
      double[] before = objects.cube().position.clone();
      double[] layout;
      synchronized (objects) {
        objects.reset(1234);
        layout = objects.cube().position.clone();
      }
      assertTrue(Math.hypot(layout[0] - before[0], layout[1] - before[1]) > 0.01, "seed 1234 lays out elsewhere");
      for (int k = 0; k < 25; k++) {
        r.step(t += p);
      }
      double[] now = new double[3];
      physics(r).objectPose(0, now, new double[4]);
      double[] v = new double[3];
      physics(r).objectVelocity(0, v);
      double off = Math.hypot(Math.hypot(now[0] - layout[0], now[1] - layout[1]), now[2] - layout[2]);
      assertTrue(off < 0.001, "physics cube " + off + " m from the new layout");
      assertTrue(Math.hypot(Math.hypot(v[0], v[1]), v[2]) < 0.01, "at rest after the reset");
      assertEquals(now[0], objects.cube().position[0], 0.0, "task world follows the physics cube");
      assertEquals(1234, objects.seed());
    }
  }

  /** Swings the right arm forward and down, straight, until the hand is pressed into the table. */
  static final class PressOnTable implements ActionSource {
    private final double[] home = RIG.home();
    private final int pitch = RIG.model().qIndex("right_shoulder_pitch_joint");
    private final int elbow = RIG.model().qIndex("right_elbow_joint");
    private long k;

    @Override
    public String name() {
      return "press";
    }

    @Override
    public EpisodeSourceKind kind() {
      return EpisodeSourceKind.EPISODE_SOURCE_KIND_SCRIPTED;
    }

    @Override
    public boolean target(ControlContext ctx, double[] target) {
      System.arraycopy(home, 0, target, 0, target.length);
      double s = Math.min(1, k++ / 500.0); // 2 s at 250 Hz
      target[pitch] = home[pitch] + s * (PRESS_PITCH - home[pitch]);
      target[elbow] = home[elbow] * (1 - s);
      return true;
    }
  }

  /** Shoulder pitch putting the straight right arm's palm over the table, 1 cm below its top (forward kinematics). */
  static final double PRESS_PITCH = pitchWithPalmAt(CONFIG.tableTop() - 0.01);

  static double pitchWithPalmAt(double z) {
    KinematicsData d = RIG.kinematics().newData();
    int pitch = RIG.model().qIndex("right_shoulder_pitch_joint");
    int palm = RIG.right().palmLink();
    for (double p = 0; p > -2.0; p -= 0.005) {
      System.arraycopy(RIG.home(), 0, d.q, 0, d.q.length);
      d.q[pitch] = p;
      d.q[RIG.model().qIndex("right_elbow_joint")] = 0;
      RIG.forwardStanding(d);
      double x = d.linkPosition[3 * palm];
      if (x > 0.22 && d.linkPosition[3 * palm + 2] < z) {
        return p;
      }
    }
    throw new AssertionError("no shoulder pitch puts the palm on the table");
  }

  @Test
  void theHandPressedIntoTheTableIsARobotTableContactInTheSafetyStatus() {
    try (SimulatedRobot r = robot(CONFIG, new ArrayList<>())) {
      SafetySupervisor sup = r.supervisor();
      long p = period(CONFIG);
      long t = 0;
      for (int k = 0; k < 50; k++) {
        r.step(t += p);
      }
      assertTrue(rightHandOnTable(sup).isEmpty(), "at home the right hand is off the table: " + sup.events());
      long before = sup.contacts();
      r.loop().setSource(new PressOnTable());
      sup.engageUnattended(t, "test");
      for (int k = 0; k < 750; k++) {
        r.step(t += p);
      }
      SafetyStatus status = sup.status(t);
      assertTrue(status.getContactsTotal() > before, "pressing into the table adds contacts");
      assertTrue(status.getLastContact().startsWith("robot-"), status.getLastContact());
      List<SafetyEvent> pressed = rightHandOnTable(sup);
      assertFalse(pressed.isEmpty(), "no right-hand table contact event: " + sup.events());
      assertEquals(SafetySeverity.SAFETY_SEVERITY_INFO, pressed.get(0).getSeverity(), "information, not a stop");
      assertEquals(ControlMode.CONTROL_MODE_ENGAGED, sup.mode(), "a contact does not stop the robot");
    }
  }

  static List<SafetyEvent> rightHandOnTable(SafetySupervisor sup) {
    return sup.events().stream().filter(x -> x.getType() == SafetyEventType.SAFETY_EVENT_CONTACT)
        .filter(x -> x.getDetail().startsWith("robot-table: right_")).toList();
  }

  /**
   * Camera, hand samples and the published base pose come from {@link RobotRig#forwardStanding} of the
   * measured joints: the physics robot must stand exactly there (it once stood 1.1 cm higher and 3.5 cm
   * further forward).
   */
  @Test
  void physicsLinkPosesEqualForwardKinematicsOfTheMeasuredJoints() {
    List<JointState> states = new ArrayList<>();
    try (SimulatedRobot r = robot(CONFIG, states)) {
      long p = period(CONFIG);
      long t = 0;
      for (int k = 0; k < 100; k++) {
        r.step(t += p);
      }
      r.loop().setSource(new PressOnTable()); // arm moving: the comparison is not only at home
      r.supervisor().engageUnattended(t, "test");
      for (int k = 0; k < 200; k++) {
        r.step(t += p);
      }
      KinematicsData d = RIG.kinematics().newData();
      JointState last = states.get(states.size() - 1);
      for (int j = 0; j < d.q.length; j++) {
        d.q[j] = last.getPosition(j);
      }
      RIG.forwardStanding(d);
      double[] pos = new double[3];
      double[] quat = new double[4];
      for (String link : List.of("right_palm", "left_palm", "pelvis", "right_foot", RIG.model().links()
          .get(RIG.cameraLink()).name())) {
        int l = RIG.model().linkIndex(link);
        physics(r).linkPose(l, pos, quat);
        double off = Math.hypot(Math.hypot(pos[0] - d.linkPosition[3 * l], pos[1] - d.linkPosition[3 * l + 1]),
            pos[2] - d.linkPosition[3 * l + 2]);
        assertTrue(off < 0.001, link + ": physics and forward kinematics differ by " + off + " m");
      }
      assertEquals(0, ((BulletWorld) physics(r)).standLift(), 0.0, "the shipped robot's soles need no lift");
      physics(r).linkPose(0, pos, quat);
      var base = last.getBasePose().getPosition();
      assertEquals(pos[0], base.getX(), 0.001, "published base pose x");
      assertEquals(pos[2], base.getZ(), 0.001, "published base pose z");
    }
  }

  /**
   * On the stand, bent knees swing the feet, not the pelvis: the published base pose, the hand samples
   * and the camera (forwardOnStand) follow the physics, where a feet-on-the-floor estimate
   * (forwardStanding) would put the palms centimetres off (the scripted operator once saw them 20 cm off).
   */
  @Test
  void bentKneesOnTheStandLeaveThePelvisWhereItIs() {
    List<JointState> states = new ArrayList<>();
    try (SimulatedRobot r = robot(CONFIG, states)) {
      long p = period(CONFIG);
      long t = 0;
      double[] home = RIG.home();
      int[] knees = {RIG.model().qIndex("left_knee_joint"), RIG.model().qIndex("right_knee_joint")};
      r.loop().setSource(new ActionSource() {
        @Override
        public String name() {
          return "knees";
        }

        @Override
        public EpisodeSourceKind kind() {
          return EpisodeSourceKind.EPISODE_SOURCE_KIND_SCRIPTED;
        }

        @Override
        public boolean target(ControlContext ctx, double[] target) {
          System.arraycopy(home, 0, target, 0, target.length);
          for (int k : knees) {
            var lim = RIG.model().dofJoints().stream().filter(j -> j.qIndex() == k).findFirst().orElseThrow().limits();
            target[k] = Math.abs(lim.upper()) > Math.abs(lim.lower()) ? 0.6 : -0.6;
          }
          return true;
        }
      });
      r.supervisor().engageUnattended(t, "test");
      for (int k = 0; k < 500; k++) {
        r.step(t += p);
      }
      JointState last = states.get(states.size() - 1);
      KinematicsData onStand = RIG.kinematics().newData();
      KinematicsData standing = RIG.kinematics().newData();
      for (int j = 0; j < onStand.q.length; j++) {
        onStand.q[j] = standing.q[j] = last.getPosition(j);
      }
      assertTrue(Math.abs(onStand.q[knees[0]] - home[knees[0]]) > 0.3, "the knees bent: " + onStand.q[knees[0]]);
      RIG.forwardOnStand(onStand);
      RIG.forwardStanding(standing);
      double[] pos = new double[3];
      double[] quat = new double[4];
      int palm = RIG.model().linkIndex("right_palm");
      physics(r).linkPose(palm, pos, quat);
      double onStandOff = Math.hypot(Math.hypot(pos[0] - onStand.linkPosition[3 * palm],
          pos[1] - onStand.linkPosition[3 * palm + 1]), pos[2] - onStand.linkPosition[3 * palm + 2]);
      double standingOff = Math.hypot(Math.hypot(pos[0] - standing.linkPosition[3 * palm],
          pos[1] - standing.linkPosition[3 * palm + 1]), pos[2] - standing.linkPosition[3 * palm + 2]);
      assertTrue(onStandOff < 0.001, "palm: physics and forwardOnStand differ by " + onStandOff + " m");
      assertTrue(standingOff > 0.01, "a standing estimate should be off with bent knees, is " + standingOff + " m");
      double[] stand = RIG.standBase();
      var base = last.getBasePose().getPosition();
      assertEquals(stand[0], base.getX(), 1e-9, "published base x is the stand's");
      assertEquals(stand[2], base.getZ(), 1e-9, "published base z is the stand's");
    }
  }

  @Test
  void successIsACubeAtRestInTheTargetAreaNotAMovingOneNorOneOutside() {
    try (SimulatedRobot r = robot(CONFIG, new ArrayList<>())) {
      TaskWorld objects = r.objects();
      WorldObject cube = objects.cube();
      PhysicsWorld w = physics(r);
      double[] target = objects.targetCentre();
      double[] upright = {1, 0, 0, 0};
      long p = period(CONFIG);
      long[] t = {0};
      Runnable tick = () -> r.step(t[0] += p);
      for (int k = 0; k < 50; k++) {
        tick.run();
      }
      assertFalse(objects.success(), "the layout starts outside the target area");
      w.placeObject(0, new double[] {target[0], target[1], objects.tableTop + cube.size[2] / 2}, upright);
      for (int k = 0; k < 75; k++) {
        tick.run();
      }
      assertTrue(objects.success(), "at rest in the target area: z " + cube.position[2] + ", v "
          + java.util.Arrays.toString(cube.velocity));

      w.placeObject(0, new double[] {target[0], target[1], objects.tableTop + cube.size[2] / 2 + 0.15}, upright);
      int falling = 0;
      for (int k = 0; k < 40; k++) { // 160 ms of a 175 ms fall
        tick.run();
        assertFalse(objects.success(), "falling at " + cube.velocity[2] + " m/s above the target");
        falling += cube.velocity[2] < -0.5 ? 1 : 0;
      }
      assertTrue(falling > 20, "the task world saw it fall (" + falling + " fast ticks)");

      double[] outside = {target[0], target[1] + Math.signum(target[1]) * 0.15, objects.tableTop + cube.size[2] / 2};
      w.placeObject(0, outside, upright);
      for (int k = 0; k < 75; k++) {
        tick.run();
      }
      assertTrue(objects.restsOnTable(cube) && TaskWorld.upright(cube), "resting upright");
      assertFalse(objects.success(), "at rest, but 15 cm beside the target area's centre");
    }
  }

  /** The body and the object sync allocate nothing per tick beyond the engine's own step. */
  @Test
  void aTickAllocatesNoMoreThanTheEngineStep() {
    var desc = RIG.describe("alloc", 250, 0);
    try (SimulatedWorld w = PhysicsSimulatedWorld.FACTORY.create(RIG, desc,
        new SimulatedWorld.Spec("alloc", "pick-place", 3, 0.9))) {
      var body = w.body();
      var state = new io.optimus.bridge.body.BodyState(RIG.dof());
      double[] command = RIG.home();
      var left = new io.optimus.bridge.world.HandSample("left");
      var right = new io.optimus.bridge.world.HandSample("right");
      PhysicsWorld engine = ((PhysicsSimulatedWorld) w).physics();
      var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
      long me = Thread.currentThread().getId();
      int n = 1000;
      long[] engineOnly = new long[2];
      long[] tick = new long[2];
      for (int round = 0; round < 2; round++) { // the first round warms up
        long a0 = threads.getThreadAllocatedBytes(me);
        for (int k = 0; k < n; k++) {
          engine.step();
        }
        engineOnly[round] = threads.getThreadAllocatedBytes(me) - a0;
        long b0 = threads.getThreadAllocatedBytes(me);
        for (int k = 0; k < n; k++) {
          body.read(k, state);
          body.write(k, command, null, null);
          synchronized (w.objects()) {
            w.stepObjects(0.004, left, right);
          }
        }
        tick[round] = threads.getThreadAllocatedBytes(me) - b0;
      }
      assertTrue(tick[1] - engineOnly[1] < 64L * 1024, n + " ticks allocated " + tick[1] + " bytes, the engine's "
          + n + " steps alone " + engineOnly[1]);
    }
  }

  @Test
  void aPhysicalTaskWorldIsNotSteppedKinematically() {
    TaskWorld w = TaskWorld.physical("r", "pick-place", 1, 0.75);
    assertThrows(IllegalStateException.class, () -> w.step(0.004, null, null));
  }

  /** In physics a hold is a touch of the hand's links on a lifted object: reported, and nothing else is. */
  @Test
  void aPhysicalHoldIsTheHandTouchingALiftedObject() {
    TaskWorld w = TaskWorld.physical("r", "pick-place", 1, 0.75);
    WorldObject cube = w.objects()[0];
    double[] p = cube.position.clone();
    double[] still = new double[3];
    w.setTouchedBy(0, 2);
    w.observe(0.004, null, null);
    assertFalse(cube.held(), "a cube on the table that a hand touches is not held");
    p[2] += 0.05;
    w.setObjectState(0, p, cube.orientation.clone(), still);
    w.setTouchedBy(0, 0);
    w.observe(0.004, null, null);
    assertFalse(cube.held(), "a lifted cube no hand touches is not held (falling)");
    w.setTouchedBy(0, 2);
    w.observe(0.004, null, null);
    assertTrue(cube.held(), "a lifted cube the right hand touches is held");
    assertEquals("right_hand", w.toProto().getObjects(0).getHeldBy());
  }
}

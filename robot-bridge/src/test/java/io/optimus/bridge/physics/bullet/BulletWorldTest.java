package io.optimus.bridge.physics.bullet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.physics.ContactEvent;
import io.optimus.bridge.physics.ObjectSpec;
import io.optimus.bridge.physics.PhysicsScene;
import io.optimus.bridge.physics.PhysicsWorld;
import io.optimus.common.InputException;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import io.optimus.motion.model.UrdfLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulletWorldTest {
  private static final RobotModel OPTIMUS = Robots.load("optimus");
  private static final double[] HOME = new RobotRig(OPTIMUS).home();
  private final BulletBackend backend = new BulletBackend();

  private static void steps(PhysicsWorld w, double seconds) {
    long n = Math.round(seconds * w.scene().controlHz());
    for (long k = 0; k < n; k++) {
      w.step();
    }
  }

  @Test
  void cubeDroppedFromThirtyCentimetresFirstTouchesTheTableAfterFreeFallTime() {
    PhysicsScene scene = PhysicsScene.tabletop(List.of(ObjectSpec.cube("cube", 0.04, 0.1, 0.6)));
    try (PhysicsWorld w = backend.create(OPTIMUS, scene, HOME)) {
      List<ContactEvent> events = new ArrayList<>();
      w.onContact(events::add);
      double h = 0.30;
      w.placeObject(0, new double[] {0.5, 0.3, scene.tableTop() + 0.02 + h}, new double[] {1, 0, 0, 0});
      long start = w.timeNs();
      steps(w, 0.4);
      ContactEvent first = events.stream().filter(e -> e.kind() == ContactEvent.Kind.OBJECT_TABLE).findFirst()
          .orElseThrow(() -> new AssertionError("the cube never touched the table: " + events));
      double t = (first.timeNs() - start) / 1e9;
      double expected = Math.sqrt(2 * h / scene.gravity());
      assertEquals(expected, t, 0.005, "first touch at " + t + " s, free fall predicts " + expected + " s");
    }
  }

  @Test
  void cubesRestingOnTheTableMoveLessThanOneMillimetreInTenSeconds() {
    PhysicsScene scene = PhysicsScene.tabletop(List.of(ObjectSpec.cube("small", 0.03, 0.05, 0.6),
        ObjectSpec.cube("large", 0.06, 0.2, 0.6)));
    try (PhysicsWorld w = backend.create(OPTIMUS, scene, HOME)) {
      double[][] start = new double[2][3];
      for (int k = 0; k < 2; k++) {
        double s = w.object(k).sz();
        w.placeObject(k, new double[] {0.45, -0.2 + 0.3 * k, scene.tableTop() + s / 2}, new double[] {1, 0, 0, 0});
      }
      steps(w, 0.2); // contact settles to its equilibrium penetration
      double[] o = new double[4];
      for (int k = 0; k < 2; k++) {
        w.objectPose(k, start[k], o);
      }
      steps(w, 10);
      double[] p = new double[3];
      for (int k = 0; k < 2; k++) {
        w.objectPose(k, p, o);
        double d = Math.hypot(Math.hypot(p[0] - start[k][0], p[1] - start[k][1]), p[2] - start[k][2]);
        assertTrue(d < 0.001, w.object(k).name() + " moved " + d + " m while resting");
        assertEquals(scene.tableTop() + w.object(k).sz() / 2, p[2], 0.002, w.object(k).name() + " is not on the table");
      }
    }
  }

  @Test
  void aJointCommandedPastItsEffortLimitDoesNotReachItsTarget() {
    // 1 kg at 0.15 m needs 1.47 N m to hold horizontal: a 1 N m drive cannot, a 50 N m drive can.
    double weak = holdHorizontal(1.0);
    double strong = holdHorizontal(50.0);
    assertTrue(weak < Math.PI / 2 - 0.3, "a 1 N m drive lifted the arm to " + weak + " rad");
    assertEquals(Math.PI / 2, strong, 0.01, "the 50 N m drive should reach the target");
  }

  private double holdHorizontal(double effort) {
    RobotModel arm = UrdfLoader.parse(TestArms.pendulum(effort), "pendulum");
    try (BulletWorld w = backend.create(arm, PhysicsScene.tabletop(List.of()), new double[] {0})) {
      w.command(new double[] {Math.PI / 2});
      steps(w, 3);
      double[] q = new double[1];
      double[] tau = new double[1];
      w.readJoints(q, null, tau);
      assertTrue(Math.abs(tau[0]) <= effort + 1e-9, "drive torque " + tau[0] + " exceeds the effort limit " + effort);
      return q[0];
    }
  }

  @Test
  void withoutCommandTheArmSagsAndPositionControlHoldsItWithinThePdSteadyStateError() {
    int pitch = OPTIMUS.qIndex("left_shoulder_pitch_joint");
    double[] forward = HOME.clone();
    forward[pitch] = -Math.PI / 2; // arm straight forward, horizontal
    forward[OPTIMUS.qIndex("left_elbow_joint")] = 0;
    try (BulletWorld w = backend.create(OPTIMUS, PhysicsScene.tabletop(List.of()), forward)) {
      double[] q = new double[OPTIMUS.dof()];
      double[] leftArmLimp = forward.clone();
      for (var j : OPTIMUS.dofJoints()) {
        if (j.group().equals("left_arm")) {
          leftArmLimp[j.qIndex()] = Double.NaN;
        }
      }
      w.command(leftArmLimp);
      steps(w, 1);
      w.readJoints(q, null, null);
      assertTrue(q[pitch] - forward[pitch] > 0.5, "a limp arm should fall: shoulder pitch " + q[pitch]);

      w.resetJoints(forward);
      w.command(forward);
      steps(w, 2);
      w.readJoints(q, null, null);
      // Gravity torque bound: the arm's mass (shoulder to fingertips) at its full 0.6 m reach.
      double armMass = 0;
      for (var b : w.tree().bodies()) {
        if (b.name().startsWith("left_") && !b.name().contains("hip") && !b.name().contains("thigh")
            && !b.name().contains("shin") && !b.name().contains("ankle")) {
          armMass += b.mass();
        }
      }
      double bound = armMass * 9.81 * 0.6 / w.stiffness(pitch);
      double error = q[pitch] - forward[pitch];
      assertTrue(error > 0, "gravity pulls the arm down, so the error should be positive: " + error);
      assertTrue(error < bound, "held arm sags " + error + " rad, PD steady-state bound " + bound);
    }
  }

  @Test
  void robotTableAndSelfContactsAreReportedAndRestingPoseReportsNone() {
    List<ContactEvent> events = new ArrayList<>();
    PhysicsScene high = new PhysicsScene(0.95, 0.18, 0.75, -0.5, 0.5, 0.6, List.of(), 9.81, 250, 4, 0.01);
    try (PhysicsWorld w = backend.create(OPTIMUS, high, HOME)) {
      w.onContact(events::add);
      steps(w, 0.5);
      assertEquals(List.of(), events.stream().filter(ContactEvent::robotContact).toList(), "contacts at rest");
      double[] down = HOME.clone();
      down[OPTIMUS.qIndex("left_shoulder_pitch_joint")] = -1.2; // swing the arm forward through the table top
      w.command(down);
      steps(w, 1.5);
      assertTrue(events.stream().anyMatch(e -> e.kind() == ContactEvent.Kind.ROBOT_TABLE && e.a().startsWith("left_")),
          "no left arm/table contact in " + events);

      events.clear();
      double[] across = HOME.clone();
      across[OPTIMUS.qIndex("left_shoulder_roll_joint")] = -0.3; // swing the arm in, into the hip
      w.command(across);
      steps(w, 1.5);
      assertTrue(events.stream().anyMatch(e -> e.kind() == ContactEvent.Kind.ROBOT_SELF),
          "no self contact in " + events);
    }
  }

  @Test
  void sameSeedGivesIdenticalTrajectories() {
    double[][] a = randomRun(42);
    double[][] b = randomRun(42);
    double[][] c = randomRun(43);
    for (int k = 0; k < a.length; k++) {
      assertArrayEquals(a[k], b[k], 0.0, "run with the same seed diverged at sample " + k);
    }
    assertFalse(java.util.Arrays.deepEquals(a, c), "different seeds should give different runs");
  }

  private double[][] randomRun(long seed) {
    PhysicsScene scene = PhysicsScene.tabletop(List.of(ObjectSpec.cube("cube", 0.05, 0.1, 0.6)));
    try (PhysicsWorld w = backend.create(OPTIMUS, scene, HOME)) {
      w.placeObject(0, new double[] {0.3, 0.2, scene.tableTop() + 0.1}, new double[] {1, 0, 0, 0});
      RandomCommands commands = new RandomCommands(OPTIMUS, seed, HOME);
      double[] q = new double[OPTIMUS.dof()];
      double[] p = new double[3];
      double[] o = new double[4];
      double[][] out = new double[6][];
      for (int s = 0; s < out.length; s++) {
        w.command(commands.next());
        steps(w, 0.25);
        w.readJoints(q, null, null);
        w.objectPose(0, p, o);
        double[] row = java.util.Arrays.copyOf(q, q.length + 3);
        System.arraycopy(p, 0, row, q.length, 3);
        out[s] = row;
      }
      return out;
    }
  }

  @Test
  void badModelsGiveOneLineErrorsNamingTheLinkOrJoint() {
    String good = TestArms.arm("1", "0.0075", "0 1 0", 10);
    backend.create(UrdfLoader.parse(good, "good"), PhysicsScene.tabletop(List.of()), new double[] {0}).close();
    assertBad(TestArms.arm("0", "0.0075", "0 1 0", 10), "upper", "zero mass");
    assertBad(TestArms.arm("-1", "0.0075", "0 1 0", 10), "upper", "negative");
    assertBad(TestArms.arm("1", "0", "0 1 0", 10), "upper", "singular");
    assertBad(TestArms.arm("1", "0.02", "0 1 0", 10), "upper", "triangle");
    assertBad(TestArms.arm("1", "0.0075", "0 0 0", 10), "shoulder", "axis");
  }

  private void assertBad(String urdf, String name, String problem) {
    InputException e = assertThrows(InputException.class,
        () -> backend.create(UrdfLoader.parse(urdf, "bad.urdf"), PhysicsScene.tabletop(List.of()), new double[] {0}));
    assertTrue(e.getMessage().contains("'" + name + "'") || e.getMessage().contains("\"" + name + "\""),
        "error should name " + name + ": " + e.getMessage());
    assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains(problem), "error should say " + problem + ": "
        + e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }
}

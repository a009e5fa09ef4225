package io.optimus.bridge.physics.bullet;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.physics.ObjectSpec;
import io.optimus.bridge.physics.PhysicsScene;
import io.optimus.bridge.physics.PhysicsWorld;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Random upper-body targets every 0.5 s with cubes on the table: no NaN, no energy blow-up, no cube
 * through the table or the floor. The hour is tagged "long", which the default build leaves out; run it with
 * {@code ./mvnw -pl robot-bridge -am test -Dtest=RandomCommandSoakTest -Dtest.groups.excluded=none} (11.4 min of one
 * core: random flailing is the contact-heaviest load); the default run covers 20 simulated seconds.
 */
class RandomCommandSoakTest {
  private static final RobotModel OPTIMUS = Robots.load("optimus");

  @Test
  void twentySecondsOfRandomCommandsStayFiniteBoundedAndAboveTheTable() {
    soak(20, 7);
  }

  @Test
  @Tag("long")
  void oneHourOfRandomCommandsStaysFiniteBoundedAndAboveTheTable() {
    soak(3600, 11);
  }

  private static void soak(double seconds, long seed) {
    double[] home = new RobotRig(OPTIMUS).home();
    PhysicsScene scene = PhysicsScene.tabletop(List.of(ObjectSpec.cube("a", 0.03, 0.05, 0.5),
        ObjectSpec.cube("b", 0.045, 0.12, 0.7), ObjectSpec.cube("c", 0.06, 0.2, 0.6)));
    try (PhysicsWorld w = new BulletBackend().create(OPTIMUS, scene, home)) {
      for (int k = 0; k < 3; k++) {
        double s = w.object(k).sz();
        w.placeObject(k, new double[] {0.3 + 0.05 * k, -0.15 + 0.15 * k, scene.tableTop() + s / 2},
            new double[] {1, 0, 0, 0});
      }
      RandomCommands commands = new RandomCommands(OPTIMUS, seed, home);
      double[] q = new double[OPTIMUS.dof()];
      double[] p = new double[3];
      double[] o = new double[4];
      double e0 = w.energy();
      double maxEnergy = e0;
      long ticks = Math.round(seconds * scene.controlHz());
      int perCommand = (int) Math.round(0.5 * scene.controlHz());
      for (long t = 0; t < ticks; t++) {
        if (t % perCommand == 0) {
          w.command(commands.next());
        }
        w.step();
        w.readJoints(q, null, null);
        for (double x : q) {
          if (!Double.isFinite(x)) {
            fail("joint position " + x + " at t = " + t / scene.controlHz() + " s");
          }
        }
        double e = w.energy();
        maxEnergy = Math.max(maxEnergy, e);
        if (!(e < e0 + 200)) {
          fail("energy " + e + " J at t = " + t / scene.controlHz() + " s (start " + e0 + " J)");
        }
        for (int k = 0; k < 3; k++) {
          w.objectPose(k, p, o);
          double half = w.object(k).sz() / 2;
          boolean overTable = p[0] > scene.tableMinX() + half && p[0] < scene.tableMaxX() - half
              && p[1] > scene.tableMinY() + half && p[1] < scene.tableMaxY() - half;
          boolean inTable = overTable && p[2] < scene.tableTop() - 0.002 && p[2] > scene.tableTop() - 0.04 - half;
          if (inTable || p[2] < -0.002 || !Double.isFinite(p[2])) {
            fail(w.object(k).name() + " at " + java.util.Arrays.toString(p) + " t = " + t / scene.controlHz() + " s");
          }
        }
      }
      assertTrue(maxEnergy > e0 + 1, "the random commands should have moved the robot");
    }
  }
}

package io.optimus.bridge.physics.bullet;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.physics.ObjectSpec;
import io.optimus.bridge.physics.PhysicsScene;
import io.optimus.bridge.physics.RigidBodyTree;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.UrdfLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real Unitree H1 and G1 URDFs (../shared; skipped when absent): their meshes are not read, so
 * links get fitted capsules (G1; H1 ships primitives); on the stand with gravity they hold their home pose.
 */
class SharedRobotsPhysicsTest {
  @ParameterizedTest
  @CsvSource({"unitree_h1/h1.urdf, 0", "unitree_g1/g1_29dof_rev_1_0.urdf, 10"})
  void unitreeRobotsStandOnTheirStandWithFittedCapsulesAndHoldTheirPose(String rel, int minFitted) {
    String dir = System.getProperty("optimus.shared.dir");
    assumeTrue(dir != null, "optimus.shared.dir not set");
    Path file = Path.of(dir, "data", "robots", rel);
    assumeTrue(Files.isRegularFile(file), file + " absent");
    RobotModel model = UrdfLoader.load(file);
    double[] home = new RobotRig(model).home();
    PhysicsScene scene = PhysicsScene.tabletop(List.of(ObjectSpec.cube("cube", 0.05, 0.1, 0.6)));
    try (BulletWorld w = new BulletBackend().create(model, scene, home)) {
      long fitted = w.tree().bodies().stream().flatMap(b -> b.shapes().stream()).filter(RigidBodyTree.BodyShape::fitted).count();
      // H1 ships primitives; G1's collision geometry is meshes, which become fitted capsules.
      assertTrue(fitted >= minFitted, rel + ": only " + fitted + " fitted capsules");
      assertTrue(w.tree().bodies().stream().filter(b -> b.mass() > 0.5).allMatch(b -> !b.shapes().isEmpty()),
          rel + ": a heavy link has no collision shape");
      for (int t = 0; t < 500; t++) {
        w.step();
      }
      double[] q = new double[model.dof()];
      w.readJoints(q, null, null);
      double worst = 0;
      String worstJoint = "";
      for (int i = 0; i < q.length; i++) {
        assertTrue(Double.isFinite(q[i]), rel + ": " + model.dofJoints().get(i).name() + " is " + q[i]);
        if (Math.abs(q[i] - home[i]) > worst) {
          worst = Math.abs(q[i] - home[i]);
          worstJoint = model.dofJoints().get(i).name();
        }
      }
      assertTrue(worst < 0.1, rel + ": " + worstJoint + " drifted " + worst + " rad from home under gravity");
    }
  }
}

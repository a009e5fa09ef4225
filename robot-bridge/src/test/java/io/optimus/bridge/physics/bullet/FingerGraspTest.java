package io.optimus.bridge.physics.bullet;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.physics.ObjectSpec;
import io.optimus.bridge.physics.PhysicsScene;
import io.optimus.bridge.physics.PhysicsWorld;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The optimus left hand, hanging beside the body, holds a 4 cm, 100 g cube by contact and friction
 * only. The cube is handed over (kept in place) while the fingers close, then let go: it stays in the
 * hand while the arm swings at 0.5 m/s, falls out when the hand opens, and a hand closed 2 cm beside
 * it holds nothing (there is no attachment and no grasp radius); the same hand cannot hold a
 * frictionless cube, so the hold is friction, not a cage.
 */
class FingerGraspTest {
  private static final RobotModel OPTIMUS = Robots.load("optimus");
  private static final double EDGE = 0.04;
  /** Cube centre in the left_hand frame: against the palm face (y = -0.015), just above the finger roots (z = -0.1). */
  private static final double[] IN_HAND = {0, -0.015 - EDGE / 2 - 0.002, -0.1 + EDGE / 2 + 0.012};

  private final int hand = OPTIMUS.linkIndex("left_hand");
  private final double[] home = new RobotRig(OPTIMUS).home();

  @Test
  void aClosedHandHoldsTheCubeWhileTheArmMovesAndOpeningDropsIt() {
    try (PhysicsWorld w = world()) {
      double[] closed = closeLeftHand(home);
      handOver(w, closed, IN_HAND);
      double[] before = cubeInHand(w);
      assertTrue(distance(before, IN_HAND) < 0.015, "cube not held after closing: " + str(before));
      assertTrue(touchesAnyHandLink(w), "the engine reports the held cube touching the hand");

      // Swing the arm forward: shoulder pitch ramps at 0.9 rad/s, the hand ~0.55 m out moves at ~0.5 m/s.
      int pitch = OPTIMUS.qIndex("left_shoulder_pitch_joint");
      double[] cmd = closed.clone();
      double[] p0 = new double[3];
      double[] p1 = new double[3];
      double[] o = new double[4];
      double top = 0;
      for (int t = 0; t < 250; t++) {
        cmd[pitch] = closed[pitch] - 0.9 * (t + 1) / 250.0;
        w.command(cmd);
        w.linkPose(hand, p0, o);
        w.step();
        w.linkPose(hand, p1, o);
        top = Math.max(top, distance(p0, p1) * 250);
      }
      for (int t = 0; t < 125; t++) {
        w.step();
      }
      double[] after = cubeInHand(w);
      assertTrue(top >= 0.45, "the hand should move at 0.5 m/s, peak " + top);
      assertTrue(distance(after, before) < 0.015, "cube slipped in the hand: " + str(before) + " -> " + str(after));

      w.command(openLeftHand(cmd));
      for (int t = 0; t < 250; t++) {
        w.step();
      }
      double[] dropped = cubeInHand(w);
      assertTrue(distance(dropped, IN_HAND) > 0.1, "an open hand still holds the cube: " + str(dropped));
      assertFalse(touchesAnyHandLink(w), "the dropped cube still touches the hand");
    }
  }

  @Test
  void aFrictionlessCubeSlipsOutOfTheSameClosedHand() {
    try (PhysicsWorld w = world(0.0)) {
      handOver(w, closeLeftHand(home), IN_HAND);
      double[] after = cubeInHand(w);
      assertTrue(distance(after, IN_HAND) > 0.1, "the hand held a frictionless cube: " + str(after));
    }
  }

  @Test
  void aHandClosedTwoCentimetresBesideTheCubeHoldsNothing() {
    try (PhysicsWorld w = world()) {
      // Beside the hand's side (x), 2 cm clear of the index finger (x = 0.036 with its radius).
      double[] beside = {0.036 + 0.02 + EDGE / 2, IN_HAND[1], IN_HAND[2]};
      handOver(w, closeLeftHand(home), beside);
      double[] after = cubeInHand(w);
      assertTrue(distance(after, beside) > 0.1, "a hand closed beside the cube held it: " + str(after));
    }
  }

  private static boolean touchesAnyHandLink(PhysicsWorld w) {
    for (Joint j : OPTIMUS.dofJoints()) {
      if (j.group().equals("left_hand") && w.touching(OPTIMUS.linkIndex(j.child()), 0)) {
        return true;
      }
    }
    return w.touching(OPTIMUS.linkIndex("left_hand"), 0);
  }

  private static PhysicsWorld world() {
    return world(0.8);
  }

  private static PhysicsWorld world(double friction) {
    PhysicsScene scene = PhysicsScene.tabletop(List.of(ObjectSpec.cube("cube", EDGE, 0.1, friction)));
    return new BulletBackend().create(OPTIMUS, scene, new RobotRig(OPTIMUS).home());
  }

  /** Holds the cube at {@code local} (hand frame) while the hand closes for 0.6 s, then lets go for 1 s. */
  private void handOver(PhysicsWorld w, double[] closed, double[] local) {
    w.command(closed);
    double[] p = new double[3];
    double[] o = new double[4];
    for (int t = 0; t < 150; t++) {
      w.linkPose(hand, p, o);
      w.placeObject(0, toWorld(p, o, local), o);
      w.step();
    }
    for (int t = 0; t < 250; t++) {
      w.step();
    }
  }

  private double[] cubeInHand(PhysicsWorld w) {
    double[] p = new double[3];
    double[] o = new double[4];
    double[] c = new double[3];
    double[] co = new double[4];
    w.linkPose(hand, p, o);
    w.objectPose(0, c, co);
    return rotate(new double[] {o[0], -o[1], -o[2], -o[3]}, c[0] - p[0], c[1] - p[1], c[2] - p[2]);
  }

  private static double[] closeLeftHand(double[] q) {
    double[] out = q.clone();
    for (Joint j : OPTIMUS.dofJoints()) {
      if (j.group().equals("left_hand")) {
        double lo = j.limits().lower();
        double hi = j.limits().upper();
        out[j.qIndex()] = Math.abs(hi) >= Math.abs(lo) ? hi : lo;
      }
    }
    return out;
  }

  private static double[] openLeftHand(double[] q) {
    double[] out = q.clone();
    for (Joint j : OPTIMUS.dofJoints()) {
      if (j.group().equals("left_hand")) {
        double lo = j.limits().lower();
        double hi = j.limits().upper();
        out[j.qIndex()] = Math.abs(hi) >= Math.abs(lo) ? lo : hi;
      }
    }
    return out;
  }

  private static double[] toWorld(double[] p, double[] o, double[] local) {
    double[] r = rotate(o, local[0], local[1], local[2]);
    return new double[] {p[0] + r[0], p[1] + r[1], p[2] + r[2]};
  }

  private static double[] rotate(double[] q, double x, double y, double z) {
    double w = q[0], qx = q[1], qy = q[2], qz = q[3];
    double tx = 2 * (qy * z - qz * y);
    double ty = 2 * (qz * x - qx * z);
    double tz = 2 * (qx * y - qy * x);
    return new double[] {x + w * tx + (qy * tz - qz * ty), y + w * ty + (qz * tx - qx * tz), z + w * tz + (qx * ty - qy * tx)};
  }

  private static double distance(double[] a, double[] b) {
    return Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
  }

  private static String str(double[] v) {
    return String.format(java.util.Locale.ROOT, "(%.3f, %.3f, %.3f)", v[0], v[1], v[2]);
  }
}

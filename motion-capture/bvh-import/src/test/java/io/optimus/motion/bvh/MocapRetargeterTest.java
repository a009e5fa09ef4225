package io.optimus.motion.bvh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import io.optimus.motion.retarget.RobotProfile;
import io.optimus.motion.testing.SharedRobots;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MocapRetargeterTest {

  /** Retargets are deterministic and immutable: test classes in one JVM share them (a CMU clip takes ~15 s). */
  private static final Map<String, MocapRetarget> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

  static MocapRetarget retarget(String file, RobotModel model, MocapRetargeter.Options options) {
    MocapRetarget r = SHARED.computeIfAbsent(file + "|" + model.name() + "|" + options, key -> {
      KeypointMotion human = KeypointMotionTest.load(file);
      return new MocapRetargeter(model, options).retarget(human, FootContacts.detect(human), null);
    });
    StringBuilder s = new StringBuilder(String.format("%s -> %s: %d ticks, time scale %.2f (real-time p95 ratio %.2f),"
        + " worst velocity ratio %.3f (%s), clamped %.2f of ticks, foot slip %.3f m, body scale %.2f%n", file,
        model.name(), r.ticks(), r.timeScale(), r.unconstrainedVelocityRatio(), r.worstVelocityRatio(),
        r.worstVelocityJoint(), r.saturatedFraction(), r.footSlip(), r.bodyScale()));
    for (Keypoint k : Keypoint.values()) {
      s.append(String.format("  %-15s mean %.3f p95 %.3f max %.3f%n", k.key(), r.meanError(k), r.p95Error(k),
          r.maxError(k)));
    }
    System.out.print(s);
    return r;
  }

  /** Mean tracking error bounds per clip (m): generous over what was measured, tight enough to catch a regression. */
  @ParameterizedTest
  @CsvSource({
      SharedClips.WALK_MB + ", 0.04",
      SharedClips.WALK_3DSMAX + ", 0.09",
      SharedClips.PICKUP_ICLONE + ", 0.16"})
  void retargetsSharedClipOntoOptimusWithinLimits(String file, double meanBound) {
    RobotModel model = Robots.load("optimus");
    MocapRetarget r = retarget(file, model, MocapRetargeter.Options.defaults());
    KeypointMotion human = KeypointMotionTest.load(file);

    assertEquals((int) Math.floor(human.durationSeconds() * r.timeScale() * 100) + 1, r.ticks());
    assertTrue(r.timeScale() >= 1 && r.timeScale() <= 3);
    assertTrue(r.limitViolation() <= 1e-9, "position limits: " + r.limitViolation());
    assertTrue(r.worstVelocityRatio() <= 1 + 1e-6, "velocity limits: " + r.worstVelocityRatio());
    // Continuous: joints move at most their velocity limit per tick (above); the floating base at most
    // 2 m/s per axis (the IK's base limit), nothing is NaN.
    double baseSpeedSum = 0;
    for (int i = 1; i < r.ticks(); i++) {
      double[] a = r.base(i - 1);
      double[] b = r.base(i);
      for (int k = 0; k < 3; k++) {
        assertTrue(Math.abs(b[k] - a[k]) * r.rateHz() <= 2.0 + 1e-9, "base axis " + k + " at tick " + i);
      }
      baseSpeedSum += Math.sqrt(Math.pow(b[0] - a[0], 2) + Math.pow(b[1] - a[1], 2)) * r.rateHz();
      for (double v : r.q(i)) {
        assertTrue(Double.isFinite(v));
      }
    }
    assertTrue(baseSpeedSum / r.ticks() < 1.2, "mean horizontal base speed " + baseSpeedSum / r.ticks());
    // Tracking error is bounded; planted feet and the hands track best.
    for (Keypoint k : Keypoint.values()) {
      assertTrue(r.meanError(k) <= meanBound, k + " mean " + r.meanError(k));
      assertTrue(r.maxError(k) <= 0.4, k + " max " + r.maxError(k));
    }
    for (Keypoint k : new Keypoint[] {Keypoint.LEFT_ANKLE, Keypoint.RIGHT_ANKLE, Keypoint.LEFT_WRIST,
        Keypoint.RIGHT_WRIST}) {
      assertTrue(r.meanError(k) <= 0.04, k + " mean " + r.meanError(k));
    }
    assertTrue(r.footSlip() <= 0.08, "planted feet slide " + r.footSlip());
  }

  @Test
  void walkMovesTheRobotForwardOnPlantedFeet() {
    RobotModel model = Robots.load("optimus");
    MocapRetarget r = retarget(SharedClips.WALK_MB, model, MocapRetargeter.Options.defaults());
    double[] first = r.base(0);
    double[] last = r.base(r.ticks() - 1);
    assertTrue(last[0] - first[0] > 2.5, "walked " + (last[0] - first[0]) + " m forward");
    // Pelvis stays at walking height: between 60% and 110% of the standing pelvis height.
    for (int i = 0; i < r.ticks(); i++) {
      assertTrue(r.base(i)[2] > 0.6 * first[2] && r.base(i)[2] < 1.1 * first[2], "pelvis height at " + i);
    }
    assertTrue(r.footSlip() < 0.02, "foot slip " + r.footSlip());
  }

  @Test
  void givenTimeScaleStretchesTheTrajectory() {
    RobotModel model = Robots.load("optimus");
    MocapRetarget r = retarget(SharedClips.WALK_MB, model, new MocapRetargeter.Options(50, 2, 3, 4));
    KeypointMotion human = KeypointMotionTest.load(SharedClips.WALK_MB);
    assertEquals(2.0, r.timeScale());
    assertTrue(Double.isNaN(r.unconstrainedVelocityRatio()));
    assertEquals((int) Math.floor(human.durationSeconds() * 2 * 50) + 1, r.ticks());
    assertEquals(human.durationSeconds() * 2, r.durationSeconds(), 0.02);
  }

  @Test
  void theTrunkTiltsAsTheTorsoAndFacesAsThePelvis() {
    // torso pitched 40 degrees forward, pelvis turned 30 degrees left and pitched only 10
    double[] torso = new double[9];
    double[] pelvis = new double[9];
    io.optimus.motion.geometry.Rotations.matrixMultiply(yaw(0), pitch(Math.toRadians(40)), torso);
    io.optimus.motion.geometry.Rotations.matrixMultiply(yaw(Math.toRadians(30)), pitch(Math.toRadians(10)), pelvis);
    double[] trunk = new double[9];
    MocapRetargeter.trunkRotation(torso, pelvis, trunk);
    for (int r = 0; r < 3; r++) {
      assertEquals(torso[3 * r + 2], trunk[3 * r + 2], 1e-12, "up axis from the torso");
    }
    // forward: the pelvis's forward axis made orthogonal to the up axis (in their plane, same side)
    double fx = pelvis[0], fy = pelvis[3], fz = pelvis[6];
    double zx = torso[2], zy = torso[5], zz = torso[8];
    double nx = fy * zz - fz * zy, ny = fz * zx - fx * zz, nz = fx * zy - fy * zx;
    assertEquals(0, trunk[0] * nx + trunk[3] * ny + trunk[6] * nz, 1e-12, "in the plane of pelvis forward and up");
    assertTrue(trunk[0] * fx + trunk[3] * fy + trunk[6] * fz > 0.9, "faces where the pelvis faces");
    double dot = trunk[0] * trunk[2] + trunk[3] * trunk[5] + trunk[6] * trunk[8];
    assertEquals(0, dot, 1e-12);
    double det = trunk[0] * (trunk[4] * trunk[8] - trunk[5] * trunk[7])
        - trunk[1] * (trunk[3] * trunk[8] - trunk[5] * trunk[6]) + trunk[2] * (trunk[3] * trunk[7] - trunk[4] * trunk[6]);
    assertEquals(1, det, 1e-12, "a rotation");
  }

  private static double[] yaw(double a) {
    return new double[] {Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a), 0, 0, 0, 1};
  }

  private static double[] pitch(double a) {
    return new double[] {Math.cos(a), 0, Math.sin(a), 0, 1, 0, -Math.sin(a), 0, Math.cos(a)};
  }

  @Test
  void optimusKeypointLinks() {
    RobotModel model = Robots.load("optimus");
    RobotKeypoints k = RobotKeypoints.detect(model, RobotProfile.detect(model));
    assertEquals(Map.of(Keypoint.PELVIS, "pelvis", Keypoint.HEAD, "head", Keypoint.LEFT_HIP, "left_thigh",
        Keypoint.LEFT_KNEE, "left_shin", Keypoint.LEFT_ANKLE, "left_ankle_pitch_link", Keypoint.LEFT_SHOULDER,
        "left_shoulder_pitch_link", Keypoint.LEFT_ELBOW, "left_forearm", Keypoint.LEFT_WRIST, "left_wrist_yaw_link"),
        Map.of(Keypoint.PELVIS, k.link(Keypoint.PELVIS), Keypoint.HEAD, k.link(Keypoint.HEAD), Keypoint.LEFT_HIP,
            k.link(Keypoint.LEFT_HIP), Keypoint.LEFT_KNEE, k.link(Keypoint.LEFT_KNEE), Keypoint.LEFT_ANKLE,
            k.link(Keypoint.LEFT_ANKLE), Keypoint.LEFT_SHOULDER, k.link(Keypoint.LEFT_SHOULDER),
            Keypoint.LEFT_ELBOW, k.link(Keypoint.LEFT_ELBOW), Keypoint.LEFT_WRIST, k.link(Keypoint.LEFT_WRIST)));
    assertEquals("right_forearm", k.link(Keypoint.RIGHT_ELBOW));
  }

  @Test
  void robotWithoutWristsTracksTheRest() {
    RobotModel h1 = Robots.load(SharedRobots.h1().toString());
    MocapRetarget r = retarget(SharedClips.WALK_MB, h1, MocapRetargeter.Options.defaults());
    assertTrue(!r.tracked(Keypoint.LEFT_WRIST) && !r.tracked(Keypoint.RIGHT_WRIST), "H1 has no wrist link");
    assertTrue(Double.isNaN(r.meanError(Keypoint.LEFT_WRIST)));
    assertTrue(r.tracked(Keypoint.LEFT_ELBOW) && r.meanError(Keypoint.LEFT_ELBOW) < 0.05);
    assertTrue(r.worstVelocityRatio() <= 1 + 1e-6 && r.limitViolation() <= 1e-9);
  }

  @Test
  void retargetsOntoARealUnitreeG1Urdf() {
    RobotModel g1 = Robots.load(SharedRobots.g1().toString());
    MocapRetarget r = retarget(SharedClips.WALK_MB, g1, MocapRetargeter.Options.defaults());
    assertTrue(r.bodyScale() < 0.8, "G1 is smaller than the human: body scale " + r.bodyScale());
    assertTrue(r.worstVelocityRatio() <= 1 + 1e-6);
    assertTrue(r.limitViolation() <= 1e-9);
    assertTrue(r.meanError(Keypoint.LEFT_WRIST) < 0.06 && r.meanError(Keypoint.LEFT_ANKLE) < 0.04,
        "wrist " + r.meanError(Keypoint.LEFT_WRIST) + " ankle " + r.meanError(Keypoint.LEFT_ANKLE));
  }
}

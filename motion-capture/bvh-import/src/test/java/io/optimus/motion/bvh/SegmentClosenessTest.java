package io.optimus.motion.bvh;

import static org.junit.jupiter.api.Assertions.*;

import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.model.Robots;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-segment closeness: known offsets give known errors; a real clip gives a full, finite report. */
class SegmentClosenessTest {
  private static final int K = Keypoint.values().length;

  private static double[] filled(double v) {
    double[] a = new double[K];
    Arrays.fill(a, v);
    return a;
  }

  @Test
  void knownOffsetsGiveKnownStatisticsAndShares() {
    SegmentClosenessMeter m = new SegmentClosenessMeter();
    for (int i = 0; i < 50; i++) {
      m.add(filled(0.02), filled(Math.toRadians(5))); // inside 3 cm / 10 deg
    }
    for (int i = 0; i < 50; i++) {
      m.add(filled(0.05), filled(Math.toRadians(5))); // position outside
    }
    List<SegmentCloseness> r = m.result();
    assertEquals(BodySegment.values().length, r.size());
    SegmentCloseness head = r.get(0);
    assertEquals(BodySegment.HEAD, head.segment());
    assertEquals(100, head.samples());
    assertEquals(0.035, head.positionMeanM(), 1e-12);
    assertEquals(0.05, head.positionP95M(), 1e-12);
    assertEquals(0.05, head.positionMaxM(), 1e-12);
    assertEquals(5, head.orientationMeanDeg(), 1e-9);
    assertEquals(0.5, head.withinShare(), 1e-12);
    SegmentCloseness arms = r.get(BodySegment.UPPER_ARMS.ordinal());
    assertEquals(200, arms.samples(), "left and right pooled");
  }

  @Test
  void orientationOutsideTenDegreesIsNotClose() {
    SegmentClosenessMeter m = new SegmentClosenessMeter();
    double[] rot = filled(Math.toRadians(5));
    rot[Keypoint.LEFT_ELBOW.ordinal()] = Math.toRadians(15);
    m.add(filled(0.01), rot);
    SegmentCloseness forearms = m.result().get(BodySegment.FOREARMS.ordinal());
    assertEquals(0.5, forearms.withinShare(), 1e-12, "the left forearm is 15 degrees off");
    assertEquals(15, forearms.orientationMaxDeg(), 1e-9);
  }

  @Test
  void untrackedKeypointsAreLeftOut() {
    SegmentClosenessMeter m = new SegmentClosenessMeter();
    double[] pos = filled(0.01);
    pos[Keypoint.HEAD.ordinal()] = Double.NaN;
    m.add(pos, filled(0));
    assertTrue(m.result().stream().noneMatch(s -> s.segment() == BodySegment.HEAD));
  }

  @Test
  void angleBetweenAKnownRotationIsItsAngle() {
    double[] a = new double[9];
    double[] b = new double[9];
    Quat.fromAxisAngle(new Vec3(0.3, -0.2, 0.9).normalized(), 0.4).toMatrix(a, 0);
    Quat.fromAxisAngle(new Vec3(0.3, -0.2, 0.9).normalized(), 0.4).times(Quat.fromAxisAngle(Vec3.UNIT_X, Math.toRadians(12))).toMatrix(b, 0);
    assertEquals(Math.toRadians(12), MocapRetargeter.angleBetween(a, b), 1e-9);
    assertEquals(0, MocapRetargeter.angleBetween(a, a), 1e-6);
  }

  @Test
  void cmuWalkOntoOptimusReportsEverySegment() {
    MocapRetarget r = MocapRetargeterTest.retarget(SharedClips.WALK_MB, Robots.load("optimus"),
        MocapRetargeter.Options.defaults());
    List<SegmentCloseness> c = r.closeness();
    assertEquals(BodySegment.values().length, c.size(), c.toString());
    for (SegmentCloseness s : c) {
      System.out.printf("%-10s pos mean %.3f p95 %.3f max %.3f m  rot mean %.1f p95 %.1f max %.1f deg  within %.2f%n",
          s.segment().key(), s.positionMeanM(), s.positionP95M(), s.positionMaxM(), s.orientationMeanDeg(),
          s.orientationP95Deg(), s.orientationMaxDeg(), s.withinShare());
      assertTrue(Double.isFinite(s.positionMeanM()) && Double.isFinite(s.orientationMeanDeg()), s.toString());
      assertTrue(s.positionMeanM() <= s.positionP95M() + 1e-12 || s.positionP95M() <= s.positionMaxM(), s.toString());
      assertTrue(s.orientationMaxDeg() <= 180, s.toString());
    }
    // the retargeter's own position errors, pooled: the head's mean equals its keypoint's
    assertEquals(r.meanError(Keypoint.HEAD), c.get(0).positionMeanM(), 1e-9);
    // tick 0 is the reference: no orientation error there
    assertEquals(0, r.rotationError(0, Keypoint.LEFT_ELBOW), 1e-6);
  }
}

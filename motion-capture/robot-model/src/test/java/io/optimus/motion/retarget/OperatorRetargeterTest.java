package io.optimus.motion.retarget;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.geometry.proto.Pose3Proto;
import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import io.optimus.motion.model.UrdfLoader;
import io.optimus.motion.testing.SharedRobots;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.Vector3;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OperatorRetargeterTest {
  private static final double EPS = 1e-9;

  /** Asserts the output contract: finite, within position limits, within velocity limits of qCurrent. */
  static void assertSafe(RobotModel model, double[] before, double[] after, double dt, String what) {
    for (Joint j : model.dofJoints()) {
      int i = j.qIndex();
      double x = after[i];
      assertTrue(Double.isFinite(x), what + ": " + j.name() + " is " + x);
      assertTrue(x >= j.limits().lower() - EPS && x <= j.limits().upper() + EPS,
          what + ": " + j.name() + " = " + x + " outside its limits");
      double step = Math.abs(x - before[i]);
      assertTrue(step <= j.limits().velocity() * dt + EPS,
          what + ": " + j.name() + " moved " + step + " in " + dt + " s (limit " + j.limits().velocity() + " rad/s)");
    }
  }

  private static Pose randomPose(Random r, double spread) {
    return Pose3Proto.toProto(new Pose3(new Vec3(r.nextGaussian() * spread, r.nextGaussian() * spread, 1 + r.nextGaussian() * spread),
        Quat.fromRotationVector(new Vec3(r.nextGaussian() * 2, r.nextGaussian() * 2, r.nextGaussian() * 2))));
  }

  /** Garbage of every kind the wire can carry: NaN, infinities, zero quaternions, far away, flipped. */
  private static Pose hostilePose(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> Pose.newBuilder().setPosition(Vector3.newBuilder().setX(Double.NaN).setZ(1))
          .setOrientation(Quaternion.newBuilder().setW(1)).build();
      case 1 -> Pose.newBuilder().setPosition(Vector3.newBuilder().setX(1).setZ(1)).build(); // zero quaternion
      case 2 -> Pose.newBuilder().setPosition(Vector3.newBuilder().setX(Double.POSITIVE_INFINITY))
          .setOrientation(Quaternion.newBuilder().setW(Double.NaN)).build();
      case 3 -> Pose3Proto.toProto(new Pose3(new Vec3(100 * r.nextGaussian(), 100 * r.nextGaussian(), 50), Quat.IDENTITY));
      case 4 -> {
        Pose p = randomPose(r, 0.4);
        Quaternion q = p.getOrientation();
        yield p.toBuilder().setOrientation(Quaternion.newBuilder().setW(-q.getW()).setX(-q.getX()).setY(-q.getY())
            .setZ(-q.getZ())).build();
      }
      default -> randomPose(r, 0.5);
    };
  }

  private static void limitsHoldOverRandomStreams(RobotModel model, long seed, int ticks) {
    OperatorRetargeter rt = new OperatorRetargeter(model);
    Random r = new Random(seed);
    double[] q = rt.homePosture();
    double[] out = new double[q.length];
    for (int t = 0; t < ticks; t++) {
      OperatorFrame.Builder f = SyntheticOperator.frame(t + 1, t * 0.01, OperatorBody.DEFAULT, r.nextBoolean()).toBuilder();
      // every few ticks, targets jump anywhere; sometimes they are garbage
      if (r.nextInt(10) == 0) {
        f.setHead(r.nextInt(3) == 0 ? hostilePose(r) : randomPose(r, 1));
      }
      for (HandInput.Builder h : new HandInput.Builder[] {f.getLeftBuilder(), f.getRightBuilder()}) {
        if (r.nextInt(5) == 0) {
          h.setGripPose(r.nextInt(3) == 0 ? hostilePose(r) : randomPose(r, 1)).clearHand();
        }
        if (r.nextInt(20) == 0) {
          h.setTrigger(Float.NaN).setSqueeze(r.nextFloat() * 3 - 1);
        }
      }
      double dt = switch (r.nextInt(20)) {
        case 0 -> 0;
        case 1 -> -0.01;
        case 2 -> Double.NaN;
        case 3 -> 0.2; // a late frame
        default -> 0.005 + 0.01 * r.nextDouble();
      };
      double[] before = q.clone();
      if (r.nextInt(50) == 0) {
        before[r.nextInt(before.length)] = Double.NaN; // a broken measurement
      }
      rt.retarget(f.build(), dt, before, out);
      double allowed = dt > 0 && Double.isFinite(dt) ? dt : 0;
      for (int i = 0; i < before.length; i++) {
        if (!Double.isFinite(before[i])) {
          before[i] = q[i]; // the retargeter falls back to its last output
        }
      }
      assertSafe(model, before, out, allowed, model.name() + " tick " + t);
      System.arraycopy(out, 0, q, 0, q.length);
    }
  }

  @Test
  void limitsAreNeverViolatedOverLongRandomTargetStreams() {
    limitsHoldOverRandomStreams(Robots.load("optimus"), 21, 6000);
  }

  @Test
  void limitsAreNeverViolatedOverLongRandomTargetStreamsOnG1() {
    limitsHoldOverRandomStreams(UrdfLoader.load(SharedRobots.g1()), 22, 3000);
  }

  @Test
  void flippedQuaternionsGiveTheSameSolution() {
    RobotModel model = Robots.load("optimus");
    OperatorRetargeter a = new OperatorRetargeter(model);
    OperatorRetargeter b = new OperatorRetargeter(model);
    double[] qa = a.homePosture(), qb = b.homePosture();
    double[] oa = new double[qa.length], ob = new double[qb.length];
    for (int t = 0; t < 300; t++) {
      OperatorFrame f = SyntheticOperator.frame(t + 1, t * 0.01, OperatorBody.DEFAULT, true);
      OperatorFrame.Builder flipped = f.toBuilder();
      if (t % 2 == 1) {
        flipped.setHead(flip(f.getHead()));
        flipped.getLeftBuilder().setGripPose(flip(f.getLeft().getGripPose()));
        flipped.getRightBuilder().setGripPose(flip(f.getRight().getGripPose()));
        for (int k = 0; k < 26; k++) {
          var j = flipped.getLeftBuilder().getHandBuilder().getJointsBuilder(k);
          j.setPose(flip(j.getPose()));
        }
      }
      a.retarget(f, 0.01, qa, oa);
      b.retarget(flipped.build(), 0.01, qb, ob);
      assertArrayEquals(oa, ob, 1e-9, "tick " + t);
      System.arraycopy(oa, 0, qa, 0, qa.length);
      System.arraycopy(ob, 0, qb, 0, qb.length);
    }
  }

  private static Pose flip(Pose p) {
    Quaternion q = p.getOrientation();
    return p.toBuilder().setOrientation(Quaternion.newBuilder().setW(-q.getW()).setX(-q.getX()).setY(-q.getY())
        .setZ(-q.getZ())).build();
  }

  /** A NaN head or hand holds the previous target: the output equals that of a frame without it. */
  @Test
  void invalidPosesHoldTheLastTarget() {
    RobotModel model = Robots.load("optimus");
    OperatorRetargeter a = new OperatorRetargeter(model);
    OperatorRetargeter b = new OperatorRetargeter(model);
    double[] qa = a.homePosture(), qb = b.homePosture();
    double[] oa = new double[qa.length], ob = new double[qb.length];
    OperatorFrame good = SyntheticOperator.frame(1, 0.3, OperatorBody.DEFAULT, false);
    for (int t = 0; t < 100; t++) {
      a.retarget(good, 0.01, qa, oa);
      b.retarget(good, 0.01, qb, ob);
      System.arraycopy(oa, 0, qa, 0, qa.length);
      System.arraycopy(ob, 0, qb, 0, qb.length);
    }
    OperatorFrame.Builder bad = good.toBuilder();
    bad.setHead(Pose.newBuilder().setPosition(Vector3.newBuilder().setX(Double.NaN)).build());
    bad.getLeftBuilder().setGripPose(Pose.newBuilder().build()); // zero quaternion
    bad.getRightBuilder().setGripValid(false);
    for (int t = 0; t < 50; t++) {
      a.retarget(good, 0.01, qa, oa);
      b.retarget(bad.build(), 0.01, qb, ob);
      for (double x : ob) {
        assertTrue(Double.isFinite(x));
      }
      // the filtered targets are already settled on `good`, so holding them is the same as repeating them
      assertArrayEquals(oa, ob, 1e-6, "tick " + t);
      System.arraycopy(oa, 0, qa, 0, qa.length);
      System.arraycopy(ob, 0, qb, 0, qb.length);
    }
  }

  /** Mean |second difference| of the arm joints (jerk per tick) and mean deviation from the noise-free run. */
  private static double[] armJerk(boolean filtered) {
    RobotModel model = Robots.load("optimus");
    OperatorRetargeter clean = new OperatorRetargeter(model);
    OperatorRetargeter noisy = new OperatorRetargeter(model);
    if (!filtered) {
      clean.setPoseFilter(Double.POSITIVE_INFINITY, 0, 1);
      noisy.setPoseFilter(Double.POSITIVE_INFINITY, 0, 1);
    }
    Random r = new Random(9);
    double[] qc = clean.homePosture(), qn = noisy.homePosture();
    double[] oc = new double[qc.length], on = new double[qn.length];
    double[] prevClean = new double[qc.length];
    double[] prevNoisy = new double[qn.length];
    double roughClean = 0, roughNoisy = 0, sumDiff = 0;
    int samples = 0;
    for (int t = 0; t < 1200; t++) {
      OperatorFrame f = SyntheticOperator.frame(t + 1, t * 0.01, OperatorBody.DEFAULT, false);
      OperatorFrame.Builder nf = f.toBuilder();
      nf.setHead(noise(f.getHead(), r));
      nf.getLeftBuilder().setGripPose(noise(f.getLeft().getGripPose(), r));
      nf.getRightBuilder().setGripPose(noise(f.getRight().getGripPose(), r));
      clean.retarget(f, 0.01, qc, oc);
      noisy.retarget(nf.build(), 0.01, qn, on);
      for (Joint j : model.dofJoints()) {
        if (j.group().endsWith("arm")) {
          int i = j.qIndex();
          double sc = oc[i] - qc[i], sn = on[i] - qn[i];
          if (t > 200) {
            roughClean += Math.abs(sc - prevClean[i]);
            roughNoisy += Math.abs(sn - prevNoisy[i]);
            sumDiff += Math.abs(on[i] - oc[i]);
            samples++;
          }
          prevClean[i] = sc;
          prevNoisy[i] = sn;
        }
      }
      System.arraycopy(oc, 0, qc, 0, qc.length);
      System.arraycopy(on, 0, qn, 0, qn.length);
    }
    return new double[] {roughNoisy / samples, roughClean / samples, sumDiff / samples};
  }

  /**
   * Noise of 5 mm and 2° on every pose (a jittery tracker): the One Euro filter must cut the arm
   * joints' jerk to well under that of the unfiltered pipeline, keep the noise-free run smooth, and
   * stay close to it.
   */
  @Test
  void outputIsContinuousUnderNoisyInput() {
    double[] filtered = armJerk(true);
    double[] raw = armJerk(false);
    System.out.printf("noisy input: arm jerk %.5f rad/tick filtered, %.5f unfiltered, %.5f noise-free; "
        + "mean deviation from noise-free %.4f rad%n", filtered[0], raw[0], filtered[1], filtered[2]);
    assertTrue(filtered[1] < 2e-4, "the noise-free trajectory is not smooth: " + filtered[1]);
    assertTrue(filtered[0] < 0.25 * raw[0], "filtering removed too little jitter: " + filtered[0] + " vs " + raw[0]);
    assertTrue(filtered[2] < 0.03, "noise moved the arms " + filtered[2] + " rad from the noise-free trajectory");
  }

  private static Pose noise(Pose p, Random r) {
    Pose3 x = Pose3Proto.fromProto(p);
    Vec3 dp = new Vec3(r.nextGaussian(), r.nextGaussian(), r.nextGaussian()).times(0.005);
    Quat dq = Quat.fromRotationVector(new Vec3(r.nextGaussian(), r.nextGaussian(), r.nextGaussian())
        .times(Math.toRadians(2)));
    return Pose3Proto.toProto(new Pose3(x.translation().plus(dp), dq.times(x.rotation())));
  }

  /** Standing balance: over a long operator session the CoM stays over the support polygon, feet planted. */
  @Test
  void centreOfMassStaysOverTheFeet() {
    RobotModel model = Robots.load("optimus");
    OperatorRetargeter rt = new OperatorRetargeter(model);
    Kinematics kin = rt.kinematics();
    KinematicsData d = rt.state();
    double[][] poly = rt.supportPolygon();
    double[] q = rt.homePosture(), out = new double[q.length];
    Random r = new Random(4);
    int left = model.linkIndex("left_foot");
    Vec3 leftStance = null;
    double worstFoot = 0, worstMargin = Double.POSITIVE_INFINITY;
    for (int t = 0; t < 2000; t++) {
      OperatorFrame.Builder f = SyntheticOperator.frame(t + 1, t * 0.01, OperatorBody.DEFAULT, false).toBuilder();
      if (t % 200 > 100) { // reach far forward and sideways for a while
        f.getLeftBuilder().setGripPose(Pose3Proto.toProto(new Pose3(new Vec3(0.9, 0.5, 1.0), Quat.IDENTITY)));
        f.getRightBuilder().setGripPose(Pose3Proto.toProto(new Pose3(new Vec3(0.8 + 0.1 * r.nextGaussian(), -0.2, 0.6), Quat.IDENTITY)));
      }
      rt.retarget(f.build(), 0.01, q, out);
      System.arraycopy(out, 0, q, 0, q.length);
      kin.forward(d);
      kin.centerOfMass(d);
      if (leftStance == null) {
        leftStance = d.linkPose(left).translation();
      }
      double drift = d.linkPose(left).translation().distance(leftStance);
      worstFoot = Math.max(worstFoot, drift);
      worstMargin = Math.min(worstMargin, insideMargin(poly, d.com[0], d.com[1]));
    }
    System.out.printf("balance: worst CoM margin inside the support polygon %.3f m, foot drift %.4f m%n", worstMargin, worstFoot);
    assertTrue(worstMargin > 0.02, "CoM came within " + worstMargin + " m of the support polygon edge");
    assertTrue(worstFoot < 0.005, "the left foot drifted " + worstFoot + " m");
  }

  /** Signed distance of (x, y) inside a counter-clockwise convex polygon (negative outside). */
  static double insideMargin(double[][] poly, double x, double y) {
    double m = Double.POSITIVE_INFINITY;
    for (int i = 0; i < poly.length; i++) {
      double[] a = poly[i], b = poly[(i + 1) % poly.length];
      double ex = b[0] - a[0], ey = b[1] - a[1];
      double len = Math.hypot(ex, ey);
      m = Math.min(m, (ex * (y - a[1]) - ey * (x - a[0])) / len);
    }
    return m;
  }
}

package io.optimus.motion.retarget;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.OperatorFrame;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BodyFollowerTest {
  private static final RobotModel OPTIMUS = Robots.load("optimus");
  private static final double DT = 0.01;

  private static double[] run(OperatorRetargeter r, OperatorFrame f, BodyTargets body, int ticks) {
    double[] q = r.homePosture();
    double[] out = new double[q.length];
    for (int i = 0; i < ticks; i++) {
      r.retarget(f, body, DT, q, out);
      System.arraycopy(out, 0, q, 0, q.length);
    }
    return q;
  }

  private static Vec3 link(OperatorRetargeter r, double[] q, String link) {
    KinematicsData d = r.state();
    System.arraycopy(q, 0, d.q, 0, q.length);
    r.kinematics().forward(d);
    return d.linkPose(link).translation();
  }

  private static double qOf(double[] q, String joint) {
    return q[OPTIMUS.dofJoints().stream().filter(j -> j.name().equals(joint)).findFirst().orElseThrow().qIndex()];
  }

  /** Elbows lifted out sideways ("chicken wings") with the wrists where they were: a human arm can. */
  private static BodyTargets wings(double confidence) {
    BodyTargets b = SyntheticOperator.body(0, OperatorBody.DEFAULT, confidence, new BodyTargets());
    double h = OperatorBody.DEFAULT.height();
    for (HandSide s : HandSide.values()) {
      boolean left = s == HandSide.LEFT;
      OperatorJoint sh = left ? OperatorJoint.LEFT_SHOULDER : OperatorJoint.RIGHT_SHOULDER;
      OperatorJoint el = left ? OperatorJoint.LEFT_ELBOW : OperatorJoint.RIGHT_ELBOW;
      OperatorJoint wr = left ? OperatorJoint.LEFT_WRIST : OperatorJoint.RIGHT_WRIST;
      Vec3 e = SyntheticOperator.elbow(point(b, sh), point(b, wr), 0.186 * h, 0.146 * h, new Vec3(0, s.sign(), 0.4));
      b.setPosition(el, e.x(), e.y(), e.z(), confidence);
    }
    return b;
  }

  private static Vec3 point(BodyTargets b, OperatorJoint j) {
    return new Vec3(b.position(j, 0), b.position(j, 1), b.position(j, 2));
  }

  @Test
  void elbowTasksPullTheElbowsTowardsTheOperators() {
    OperatorFrame f = SyntheticOperator.frame(1, 0, OperatorBody.DEFAULT, false);
    OperatorRetargeter with = new OperatorRetargeter(OPTIMUS);
    double[] qWith = run(with, f, wings(1), 300);
    Vec3 target = with.ik().task("left_body_elbow").targetPosition();
    double errWith = link(with, qWith, "left_forearm").distance(target);

    OperatorRetargeter without = new OperatorRetargeter(OPTIMUS);
    double[] qWithout = run(without, f, null, 300);
    double errWithout = link(without, qWithout, "left_forearm").distance(target);
    assertTrue(errWithout > 0.08, "the wing pose must differ from the hands-only arm: " + errWithout);
    assertTrue(errWith < 0.4 * errWithout && errWith < 0.08,
        "elbow error with body tasks " + errWith + " m, without " + errWithout + " m (held by '" + with.limitedJoint()
            + "')");
    // the hands still reach their targets
    // the hands still win: their targets are met about as well as without a body
    double palmWith = with.ik().task("left_palm").lastPositionError();
    double palmWithout = without.ik().task("left_palm").lastPositionError();
    assertTrue(palmWith < palmWithout + 0.02, "palm error " + palmWith + " m with the body, " + palmWithout + " without");
  }

  @Test
  void torsoTurnsWithTheOperatorsShoulders() {
    OperatorFrame f = SyntheticOperator.frame(1, 0, OperatorBody.DEFAULT, false);
    BodyTargets b = SyntheticOperator.body(0, OperatorBody.DEFAULT, 1, new BodyTargets());
    // shoulders turned 25 degrees to the left about the spine (inside the head's yaw dead band)
    double yaw = Math.toRadians(25);
    for (OperatorJoint j : new OperatorJoint[] {OperatorJoint.LEFT_SHOULDER, OperatorJoint.RIGHT_SHOULDER}) {
      double x = b.position(j, 0), y = b.position(j, 1);
      b.setPosition(j, Math.cos(yaw) * x - Math.sin(yaw) * y, Math.sin(yaw) * x + Math.cos(yaw) * y, b.position(j, 2), 1);
    }
    double waistWith = qOf(run(new OperatorRetargeter(OPTIMUS), f, b, 300), "waist_yaw_joint");
    double waistWithout = qOf(run(new OperatorRetargeter(OPTIMUS), f, null, 300), "waist_yaw_joint");
    assertTrue(Math.abs(waistWithout) < Math.toRadians(5), "without a body the waist stays: " + waistWithout);
    assertTrue(waistWith > Math.toRadians(12), "the waist turns with the shoulders: " + Math.toDegrees(waistWith) + " deg");
  }

  @Test
  void confidenceZeroIsExactlyHeadAndHands() {
    OperatorRetargeter plain = new OperatorRetargeter(OPTIMUS);
    OperatorRetargeter zero = new OperatorRetargeter(OPTIMUS);
    BodyTargets b = new BodyTargets();
    double[] q1 = plain.homePosture();
    double[] q2 = zero.homePosture();
    double[] o1 = new double[q1.length];
    double[] o2 = new double[q2.length];
    for (int i = 0; i < 400; i++) {
      OperatorFrame f = SyntheticOperator.frame(i + 1, i * DT, OperatorBody.DEFAULT, i % 2 == 0);
      // every joint present with a pose far from the operator's, but untracked
      SyntheticOperator.body(i * DT + 3, OperatorBody.ofHeight(1.5), 0, b);
      plain.retarget(f, DT, q1, o1);
      zero.retarget(f, b, DT, q2, o2);
      assertArrayEquals(o1, o2, 0.0, "tick " + i);
      System.arraycopy(o1, 0, q1, 0, q1.length);
      System.arraycopy(o2, 0, q2, 0, q2.length);
    }
  }

  @Test
  void bodyDroppingToZeroConfidenceSwitchesEveryBodyTaskOff() {
    OperatorRetargeter r = new OperatorRetargeter(OPTIMUS);
    OperatorFrame f = SyntheticOperator.frame(1, 0, OperatorBody.DEFAULT, false);
    run(r, f, wings(1), 10);
    run(r, f, wings(0), 1);
    for (FrameTask t : r.ik().tasks()) {
      if (t.name().contains("body_")) {
        assertEquals(0, t.positionWeight() + t.orientationWeight(), t.name());
      }
    }
  }

  @Test
  void weightsScaleWithConfidence() {
    OperatorRetargeter r = new OperatorRetargeter(OPTIMUS);
    run(r, SyntheticOperator.frame(1, 0, OperatorBody.DEFAULT, false), wings(0.5), 1);
    assertEquals(0.5 * BodyFollower.ELBOW_WEIGHT, r.ik().task("left_body_elbow").positionWeight(), 1e-12);
    assertEquals(0.5 * BodyFollower.TORSO_WEIGHT, r.ik().task("body_torso").orientationWeight(), 1e-12);
  }

  @Test
  void extremeAndGarbageBodiesNeverGiveNaNOrUnsafeMotion() {
    OperatorRetargeter r = new OperatorRetargeter(OPTIMUS);
    Random rnd = new Random(7);
    double[] q = r.homePosture();
    double[] out = new double[q.length];
    double[] hostile = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, -1e300, 1e6, 999, -999,
        0, 1e-300, Double.MIN_VALUE};
    BodyTargets b = new BodyTargets();
    for (int i = 0; i < 1500; i++) {
      OperatorFrame f = SyntheticOperator.frame(i + 1, i * DT, OperatorBody.DEFAULT, false);
      for (OperatorJoint j : OperatorJoint.values()) {
        boolean garbage = rnd.nextInt(3) == 0;
        double x = garbage ? hostile[rnd.nextInt(hostile.length)] : rnd.nextGaussian() * 3;
        double y = garbage ? hostile[rnd.nextInt(hostile.length)] : rnd.nextGaussian() * 3;
        double z = garbage ? hostile[rnd.nextInt(hostile.length)] : rnd.nextGaussian() * 3;
        double c = rnd.nextInt(5) == 0 ? hostile[rnd.nextInt(hostile.length)] : rnd.nextDouble();
        b.set(j, x, y, z, rnd.nextGaussian(), rnd.nextGaussian(), garbage ? Double.NaN : 0, 0, c, rnd.nextBoolean());
      }
      // identical points too: zero-length segments
      if (i % 7 == 0) {
        b.setPosition(OperatorJoint.LEFT_ELBOW, b.position(OperatorJoint.LEFT_SHOULDER, 0),
            b.position(OperatorJoint.LEFT_SHOULDER, 1), b.position(OperatorJoint.LEFT_SHOULDER, 2), 1);
      }
      r.retarget(i % 11 == 0 ? OperatorFrame.getDefaultInstance() : f, b, DT, q, out);
      OperatorRetargeterTest.assertSafe(OPTIMUS, q, out, DT, "tick " + i);
      System.arraycopy(out, 0, q, 0, q.length);
    }
  }

  @Test
  void bodyTargetsRefuseWhatTheIkMustNotSee() {
    BodyTargets b = new BodyTargets();
    b.set(OperatorJoint.LEFT_ELBOW, Double.NaN, 0, 1, 1, 0, 0, 0, 1, true);
    assertEquals(0, b.confidence(OperatorJoint.LEFT_ELBOW));
    b.set(OperatorJoint.LEFT_ELBOW, 2e3, 0, 1, 0, 0, 0, 0, 1, true);
    assertEquals(0, b.confidence(OperatorJoint.LEFT_ELBOW));
    assertTrue(!b.orientationValid(OperatorJoint.LEFT_ELBOW), "zero quaternion");
    b.set(OperatorJoint.LEFT_ELBOW, 0.1, 0.2, 1, 2, 0, 0, 0, Double.NaN, true);
    assertEquals(0, b.confidence(OperatorJoint.LEFT_ELBOW));
    assertEquals(1, b.orientation(OperatorJoint.LEFT_ELBOW, 0), 1e-12, "normalised");
    b.set(OperatorJoint.LEFT_ELBOW, 0.1, 0.2, 1, 1, 0, 0, 0, 7, true);
    assertEquals(1, b.confidence(OperatorJoint.LEFT_ELBOW), "clamped to 1");
    assertTrue(b.any());
    assertTrue(!b.clear().any());
  }

  /**
   * The documented legs choice: feet stay planted. An operator lifting a knee high moves the robot's
   * knee a little inside the stance, never its feet or its balance.
   */
  @Test
  void legsStayPlantedWhenTheOperatorLiftsAKnee() {
    OperatorFrame f = SyntheticOperator.frame(1, 0, OperatorBody.DEFAULT, false);
    OperatorRetargeter standing = new OperatorRetargeter(OPTIMUS);
    double[] q0 = run(standing, f, SyntheticOperator.body(0, OperatorBody.DEFAULT, 1, new BodyTargets()), 200);
    Vec3 foot0 = link(standing, q0, "left_foot");
    Vec3 knee0 = link(standing, q0, "left_shin");

    BodyTargets lifted = SyntheticOperator.body(0, OperatorBody.DEFAULT, 1, new BodyTargets());
    // thigh horizontal, forward: a marching step
    lifted.setPosition(OperatorJoint.LEFT_KNEE, 0.45, lifted.position(OperatorJoint.LEFT_HIP, 1),
        lifted.position(OperatorJoint.LEFT_HIP, 2), 1);
    lifted.setPosition(OperatorJoint.LEFT_ANKLE, 0.45, lifted.position(OperatorJoint.LEFT_HIP, 1), 0.5, 1);
    OperatorRetargeter r = new OperatorRetargeter(OPTIMUS);
    double[] q = run(r, f, lifted, 400);
    Vec3 foot = link(r, q, "left_foot");
    Vec3 knee = link(r, q, "left_shin");
    assertTrue(foot.distance(foot0) < 0.01, "the foot stays planted: moved " + foot.distance(foot0) + " m");
    assertTrue(knee.distance(knee0) < 0.05, "the knee stays within the stance: moved " + knee.distance(knee0) + " m");
    KinematicsData d = r.state();
    r.kinematics().centerOfMass(d);
    double[][] support = r.supportPolygon();
    assertTrue(d.com[0] > support[0][0] && d.com[0] < support[1][0], "CoM over the feet: x " + d.com[0]);
  }

  @Test
  void aHeadBeyondTheNeckLimitNamesTheNeckJoint() {
    OperatorRetargeter r = new OperatorRetargeter(OPTIMUS);
    // looking far down (pitch 80 degrees; the neck pitches at most 0.9 rad)
    var head = new io.optimus.motion.geometry.Pose3(new Vec3(0, 0, OperatorBody.DEFAULT.eyeHeight()),
        io.optimus.motion.geometry.Quat.fromRpy(0, Math.toRadians(80), 0));
    OperatorFrame f = SyntheticOperator.frame(1, 0, OperatorBody.DEFAULT, false).toBuilder()
        .setHead(io.optimus.motion.geometry.proto.Pose3Proto.toProto(head)).build();
    run(r, f, null, 300);
    assertEquals("neck_pitch_joint", r.limitedJoint(), "task " + r.limitedTask());
    assertEquals("head", r.limitedTask());
    run(r, SyntheticOperator.frame(1, 0, OperatorBody.DEFAULT, false), null, 300);
    assertEquals("", r.limitedJoint(), "looking ahead again: nothing held at a limit (task " + r.limitedTask() + ")");
  }
}

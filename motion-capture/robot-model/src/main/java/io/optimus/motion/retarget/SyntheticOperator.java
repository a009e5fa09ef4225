package io.optimus.motion.retarget;

import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.geometry.proto.Pose3Proto;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.HandJoint;
import io.optimus.proto.v1.HandSkeleton;
import io.optimus.proto.v1.OperatorCommands;
import io.optimus.proto.v1.OperatorFrame;

/**
 * A scripted human operator for tests, benchmarks and demos: operator frames (z-up operator frame,
 * after the client's axis map) with head, controller grips and 26-joint OpenXR hand skeletons built
 * from a simple human hand model. Palm-convention poses (x along the fingers, z out of the palm) are
 * turned into the wire conventions exactly as {@link OperatorRetargeter} undoes them.
 */
public final class SyntheticOperator {
  /** Human phalanx lengths (proximal, intermediate, distal), m, index..little. */
  private static final double[][] PHALANGES = {
      {0.040, 0.023, 0.020}, {0.045, 0.027, 0.022}, {0.042, 0.026, 0.021}, {0.033, 0.019, 0.019}};
  /** Knuckle offset across the palm (thumb side positive), index..little. */
  private static final double[] KNUCKLE_Y = {0.025, 0.005, -0.015, -0.033};
  private static final double KNUCKLE_X = 0.045;

  private SyntheticOperator() {}

  /** Grip pose on the wire for a palm-convention pose (inverse of the retargeter's grip map). */
  public static Pose3 gripFromPalm(HandSide side, Pose3 palm) {
    return new Pose3(palm.translation(), palm.rotation().times(OperatorRetargeter.gripToPalm(side).inverse()));
  }

  /** Hand-joint orientation on the wire for a palm-convention orientation (180° about x). */
  public static Quat jointFromPalm(Quat palm) {
    return palm.times(new Quat(0, 1, 0, 0).inverse());
  }

  /**
   * A 26-joint skeleton (XR_EXT_hand_tracking order) for a palm-convention palm pose. {@code curl}
   * in [0, 1] closes the four fingers; {@code pinch} in [0, 1] brings the thumb tip onto the index
   * tip; {@code size} scales the hand (1 = adult average).
   */
  public static HandSkeleton hand(HandSide side, Pose3 palm, double curl, double pinch, double size) {
    Vec3[] p = handPoints(side, curl, pinch, size);
    Quat jointRot = jointFromPalm(palm.rotation());
    HandSkeleton.Builder b = HandSkeleton.newBuilder().setActive(true);
    for (Vec3 local : p) {
      Vec3 w = palm.transform(local);
      b.addJoints(HandJoint.newBuilder()
          .setPose(Pose3Proto.toProto(new Pose3(w, jointRot)))
          .setRadius(0.008)
          .setPositionValid(true).setOrientationValid(true).setPositionTracked(true).setOrientationTracked(true));
    }
    return b.build();
  }

  /** Joint positions in the palm frame (x fingers, z out of the palm, y = z × x). */
  public static Vec3[] handPoints(HandSide side, double curl, double pinch, double size) {
    double t = side.sign(); // y points to the thumb on the left hand, away from it on the right
    Vec3[] p = new Vec3[26];
    p[0] = Vec3.ZERO;
    p[1] = new Vec3(-0.07, 0, 0);
    for (int f = 0; f < 4; f++) {
      int base = 6 + 5 * f;
      double y = KNUCKLE_Y[f] * t;
      p[base] = new Vec3(-0.05, y * 0.5, 0); // metacarpal base
      Vec3 at = new Vec3(KNUCKLE_X, y, 0);
      p[base + 1] = at;
      double angle = 0;
      double[] flex = {1.3 * curl, 1.6 * curl, 1.0 * curl};
      for (int k = 0; k < 3; k++) {
        angle += flex[k];
        double len = PHALANGES[f][k];
        // flexion turns the finger from +x towards +z (the palm side)
        at = at.plus(new Vec3(Math.cos(angle) * len, 0, Math.sin(angle) * len));
        p[base + 2 + k] = at;
      }
    }
    Vec3 cmc = new Vec3(-0.035, 0.02 * t, -0.01);
    Vec3 restTip = cmc.plus(new Vec3(0.06, 0.07 * t, 0.03));
    Vec3 tip = restTip.plus(p[10].minus(restTip).times(clamp01(pinch)));
    p[2] = cmc;
    p[3] = cmc.plus(tip.minus(cmc).times(0.45));
    p[4] = cmc.plus(tip.minus(cmc).times(0.75));
    p[5] = tip;
    for (int i = 0; i < 26; i++) {
      p[i] = p[i].times(size);
    }
    return p;
  }

  private static double clamp01(double x) {
    return Math.max(0, Math.min(1, x));
  }

  /**
   * The operator at time {@code t} (s): standing at the origin facing +x, head turning gently, both
   * hands circling in front of the body with turning wrists, fingers opening and closing. With
   * {@code handTracking} the hands carry skeletons, else controllers (grip, trigger, squeeze).
   */
  public static OperatorFrame frame(long sequence, double t, OperatorBody body, boolean handTracking) {
    double eye = body.eyeHeight();
    Quat headRot = Quat.fromRpy(0, 0.15 * Math.sin(0.5 * t), 0.3 * Math.sin(0.3 * t));
    OperatorFrame.Builder f = OperatorFrame.newBuilder()
        .setSchemaVersion(1).setOperatorId("synthetic").setSource("scripted:synthetic").setSequence(sequence)
        .setHead(Pose3Proto.toProto(new Pose3(new Vec3(0, 0, eye), headRot))).setHeadValid(true)
        .setCommands(OperatorCommands.newBuilder().setDeadman(true));
    for (HandSide side : HandSide.values()) {
      double s = side.sign();
      double ph = t + (side == HandSide.LEFT ? 0 : 1.3);
      Vec3 shoulder = new Vec3(0, s * body.shoulderWidth() / 2, body.shoulderHeight());
      Vec3 pos = shoulder.plus(new Vec3(0.35 + 0.08 * Math.sin(ph), -s * 0.05 + 0.08 * Math.cos(0.8 * ph),
          -0.25 + 0.1 * Math.sin(0.6 * ph)));
      // palm facing down, fingers forward, with the wrist rolling and pitching a little
      double[] m = {1, 0, 0, 0, -1, 0, 0, 0, -1}; // x forward, z down (out of the palm)
      Quat palmDown = Quat.fromMatrix(m, 0);
      Quat rot = Quat.fromRpy(0.4 * Math.sin(0.7 * ph) * s, 0.3 * Math.sin(0.4 * ph), 0.2 * Math.cos(0.5 * ph)).times(palmDown);
      Pose3 palm = new Pose3(pos, rot);
      double curl = 0.5 + 0.5 * Math.sin(1.1 * ph);
      HandInput.Builder h = HandInput.newBuilder()
          .setGripPose(Pose3Proto.toProto(gripFromPalm(side, palm))).setGripValid(true).setTracked(true)
          .setAimPose(Pose3Proto.toProto(gripFromPalm(side, palm))).setAimValid(true);
      if (handTracking) {
        h.setHand(hand(side, palm, curl, Math.max(0, Math.sin(0.9 * ph)), body.height() / 1.75));
      } else {
        h.setTrigger((float) curl).setSqueeze((float) (1 - curl));
      }
      if (side == HandSide.LEFT) {
        f.setLeft(h);
      } else {
        f.setRight(h);
      }
    }
    return f.build();
  }

  /** Upper arm and forearm over stature (Drillis and Contini). */
  private static final double UPPER_ARM_RATIO = 0.186;
  private static final double FOREARM_RATIO = 0.146;

  /**
   * The body joints of {@link #frame} at the same time {@code t}, all with {@code confidence}:
   * standing (hips and knees straight below the shoulders), wrists where the hands are, elbows
   * where a human arm of this stature bends to reach them (pointing down and out), head at the
   * headset. Orientation only for the head (the headset's). Into {@code out}; allocates.
   */
  public static BodyTargets body(double t, OperatorBody body, double confidence, BodyTargets out) {
    OperatorFrame f = frame(0, t, body, false);
    double h = body.height();
    double half = body.shoulderWidth() / 2;
    double hipZ = 0.530 * h;
    double kneeZ = 0.285 * h;
    double ankleZ = 0.039 * h;
    Pose3 head = Pose3Proto.fromProto(f.getHead());
    Vec3 hp = head.translation();
    Quat hq = head.rotation();
    out.set(OperatorJoint.HEAD, hp.x() - 0.09, hp.y(), hp.z() - 0.05, hq.w(), hq.x(), hq.y(), hq.z(), confidence, true);
    out.setPosition(OperatorJoint.NECK, -0.03, 0, body.shoulderHeight() + 0.06, confidence);
    out.setPosition(OperatorJoint.SPINE, -0.02, 0, (hipZ + body.shoulderHeight()) / 2, confidence);
    out.setPosition(OperatorJoint.PELVIS, 0, 0, hipZ + 0.02, confidence);
    for (HandSide side : HandSide.values()) {
      boolean left = side == HandSide.LEFT;
      double s = side.sign();
      Vec3 shoulder = new Vec3(0, s * half, body.shoulderHeight());
      Pose3 palm = Pose3Proto.fromProto((left ? f.getLeft() : f.getRight()).getGripPose())
          .times(new Pose3(Vec3.ZERO, OperatorRetargeter.gripToPalm(side)));
      // the wrist sits behind the palm centre, along the fingers (palm x)
      Vec3 wrist = palm.translation().minus(palm.rotation().rotate(Vec3.UNIT_X).times(0.07));
      Vec3 elbow = elbow(shoulder, wrist, UPPER_ARM_RATIO * h, FOREARM_RATIO * h, new Vec3(0, s * 0.4, -1));
      out.setPosition(left ? OperatorJoint.LEFT_SHOULDER : OperatorJoint.RIGHT_SHOULDER, shoulder.x(), shoulder.y(),
          shoulder.z(), confidence);
      out.setPosition(left ? OperatorJoint.LEFT_ELBOW : OperatorJoint.RIGHT_ELBOW, elbow.x(), elbow.y(), elbow.z(),
          confidence);
      out.setPosition(left ? OperatorJoint.LEFT_WRIST : OperatorJoint.RIGHT_WRIST, wrist.x(), wrist.y(), wrist.z(),
          confidence);
      double y = s * 0.09 * h / 1.75;
      out.setPosition(left ? OperatorJoint.LEFT_HIP : OperatorJoint.RIGHT_HIP, 0, y, hipZ, confidence);
      out.setPosition(left ? OperatorJoint.LEFT_KNEE : OperatorJoint.RIGHT_KNEE, 0.02, y, kneeZ, confidence);
      out.setPosition(left ? OperatorJoint.LEFT_ANKLE : OperatorJoint.RIGHT_ANKLE, 0, y, ankleZ, confidence);
    }
    return out;
  }

  /** The elbow of a two-segment arm from shoulder to wrist, bent towards {@code hint}. */
  static Vec3 elbow(Vec3 shoulder, Vec3 wrist, double upper, double fore, Vec3 hint) {
    Vec3 d = wrist.minus(shoulder);
    double len = Math.max(1e-6, Math.min(d.norm(), 0.999 * (upper + fore)));
    Vec3 u = d.times(1 / Math.max(1e-6, d.norm()));
    double along = (upper * upper - fore * fore + len * len) / (2 * len);
    double off = Math.sqrt(Math.max(0, upper * upper - along * along));
    Vec3 perp = hint.minus(u.times(hint.dot(u)));
    double pn = perp.norm();
    perp = pn > 1e-9 ? perp.times(1 / pn) : new Vec3(0, 0, -1);
    return shoulder.plus(u.times(along)).plus(perp.times(off));
  }
}

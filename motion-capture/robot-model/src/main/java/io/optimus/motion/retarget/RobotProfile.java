package io.optimus.motion.retarget;

import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.RobotModel;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What retargeting needs to know about a robot beyond its URDF: which links are the head, palms and
 * feet, how those links' axes relate to the conventions below, the standing posture, and the
 * body dimensions operator motion is scaled to. {@link #detect} finds them by link name for the
 * shipped optimus and for Unitree-style URDFs (G1, H1).
 *
 * <p>Conventions: head frame x forward, y left, z up. Palm frame x along the fingers, z out of the
 * palm, y = z × x (towards the thumb on the left hand, away from it on the right). At q = 0 arms are
 * assumed to hang with the palms facing the thighs; {@code leftPalmOffset} etc. turn a palm-convention
 * orientation into the link's.
 */
public record RobotProfile(String head, Quat headOffset, String leftPalm, Quat leftPalmOffset, String rightPalm,
    Quat rightPalmOffset, String leftFoot, String rightFoot, double footLength, double footWidth, double[] posture,
    Vec3 leftShoulder, Vec3 rightShoulder, double armLength, double eyeHeight) {

  public String palm(HandSide side) {
    return side == HandSide.LEFT ? leftPalm : rightPalm;
  }

  public Quat palmOffset(HandSide side) {
    return side == HandSide.LEFT ? leftPalmOffset : rightPalmOffset;
  }

  public Vec3 shoulder(HandSide side) {
    return side == HandSide.LEFT ? leftShoulder : rightShoulder;
  }

  /** Palm-convention orientation at q = 0 for an arm hanging with the palm facing the thigh. */
  static Quat palmConventionAtZero(HandSide side) {
    double s = side.sign();
    // columns: x = (0,0,-1), y = z × x, z = (0,-s,0)
    double[] m = {0, s, 0, 0, 0, -s, -1, 0, 0};
    return Quat.fromMatrix(m, 0);
  }

  /** Finds the profile of a model from its link and joint names. */
  public static RobotProfile detect(RobotModel model) {
    String head = first(model, "head", "head_link", "torso_link", "torso").orElse(model.root().name());
    String lp = first(model, "left_palm", "left_rubber_hand", "left_hand", "left_wrist_yaw_link", "left_wrist_roll_link",
        "left_elbow_link").orElseThrow(() -> new IllegalArgumentException(model.name() + ": no left hand link"));
    String rp = first(model, "right_palm", "right_rubber_hand", "right_hand", "right_wrist_yaw_link",
        "right_wrist_roll_link", "right_elbow_link").orElseThrow(() -> new IllegalArgumentException(model.name() + ": no right hand link"));
    String lf = first(model, "left_foot", "left_ankle_roll_link", "left_ankle_link").orElse(null);
    String rf = first(model, "right_foot", "right_ankle_roll_link", "right_ankle_link").orElse(null);
    double[] posture = standingPosture(model);

    Kinematics kin = new Kinematics(model);
    KinematicsData d = kin.newData();
    kin.forward(d);
    Quat headOffset = kin.linkQuat(d, model.linkIndex(head));
    Quat lOff = palmConventionAtZero(HandSide.LEFT).inverse().times(kin.linkQuat(d, model.linkIndex(lp)));
    Quat rOff = palmConventionAtZero(HandSide.RIGHT).inverse().times(kin.linkQuat(d, model.linkIndex(rp)));
    // arm length with the arm straight (q = 0); shoulders and eyes in the standing posture, in the
    // base frame: feet on the floor, the origin between them
    Vec3 palmPos = d.linkPose(lp).translation();
    double arm = palmPos.distance(shoulderOf(model, kin, d, lp));
    d.setQ(posture);
    kin.forward(d);
    Vec3 floor = floorOrigin(d, lf, rf);
    Vec3 ls = shoulderOf(model, kin, d, lp).minus(floor);
    Vec3 rs = shoulderOf(model, kin, d, rp).minus(floor);
    int eye = model.linkIndex("head_camera") >= 0 ? model.linkIndex("head_camera") : model.linkIndex(head);
    double eyeHeight = d.linkPose(eye).translation().z() - floor.z();
    boolean optimusFeet = lf != null && lf.equals("left_foot");
    return new RobotProfile(head, headOffset, lp, lOff, rp, rOff, lf, rf, optimusFeet ? 0.24 : 0.20,
        optimusFeet ? 0.10 : 0.08, posture, ls, rs, arm, eyeHeight);
  }

  /** Base-frame origin in the root frame: between the feet, on the sole plane (root itself without feet). */
  static Vec3 floorOrigin(KinematicsData d, String leftFoot, String rightFoot) {
    if (leftFoot == null || rightFoot == null) {
      return Vec3.ZERO;
    }
    Vec3 l = d.linkPose(leftFoot).translation();
    Vec3 r = d.linkPose(rightFoot).translation();
    return new Vec3((l.x() + r.x()) / 2, (l.y() + r.y()) / 2, Math.min(l.z(), r.z()));
  }

  private static Vec3 shoulderOf(RobotModel model, Kinematics kin, KinematicsData d, String palm) {
    int[] chain = kin.chainOf(model.linkIndex(palm));
    for (int j : chain) {
      Joint joint = model.joints().get(j);
      if (joint.group().endsWith("arm")) {
        return new Vec3(d.jointPosition[3 * j], d.jointPosition[3 * j + 1], d.jointPosition[3 * j + 2]);
      }
    }
    return d.linkPose(model.linkIndex(palm)).translation();
  }

  /** Slightly bent knees and elbows (straight knees are a singularity), clamped into the limits. */
  static double[] standingPosture(RobotModel model) {
    double[] q = new double[model.dof()];
    for (Joint j : model.dofJoints()) {
      String n = j.name().toLowerCase(Locale.ROOT);
      double v = 0;
      if (n.contains("knee")) {
        v = 0.35;
      } else if (n.contains("hip_pitch")) {
        v = -0.18;
      } else if (n.contains("ankle_pitch") || n.endsWith("ankle_joint")) {
        v = -0.17;
      } else if (n.contains("elbow") && model.name().equals("optimus")) {
        v = -0.4;
      }
      q[j.qIndex()] = v;
    }
    model.normalize(q);
    return q;
  }

  private static Optional<String> first(RobotModel model, String... names) {
    for (String n : List.of(names)) {
      if (model.linkIndex(n) >= 0) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }
}

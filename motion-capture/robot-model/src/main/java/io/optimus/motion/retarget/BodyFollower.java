package io.optimus.motion.retarget;

import io.optimus.motion.filter.OneEuroFilter;
import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.RobotModel;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's body joints ({@link BodyTargets}) as IK tasks of {@link OperatorRetargeter}, next to
 * head and palms; every weight is its base weight times the tracking confidence, so confidence 0
 * leaves the IK exactly as without a body.
 *
 * <ul>
 *   <li>Elbows and knees: direction only. The robot's upper arm (thigh) points where the operator's
 *       does, from the robot's shoulder (hip) at the robot's own segment length, so differing
 *       proportions cannot pull the limb apart; this fixes the arm's swivel, which hands alone leave
 *       to the posture.
 *   <li>Wrists: mapped as the hands are (relative to the shoulder, arm-scaled), only while that
 *       hand has no pose of its own this frame; shoulders and hips: torso-borne points, relative to the shoulder centre, scaled
 *       (shrug, lean, squat).
 *   <li>Torso: orientation of the robot's spine link from the shoulder line and the pelvis-to-shoulders
 *       axis (positions only: body-tracking runtimes disagree on joint axes), body yaw undone.
 * </ul>
 *
 * Legs stay planted: the feet tasks are three orders heavier than the hip and knee tasks, so those
 * only shape what the stance leaves free (the physics world's pelvis is on a fixed stand; a leg that
 * followed a lifted knee would swing in the air). Pelvis, neck and ankles drive nothing: the root and
 * feet hold the stance, the headset drives the head. Positions are One-Euro filtered like the hands.
 * Not thread-safe; {@link #update} does not allocate.
 */
final class BodyFollower {
  private static final Logger LOG = LoggerFactory.getLogger(BodyFollower.class);
  private static final java.util.Set<String> DESCRIBED = java.util.concurrent.ConcurrentHashMap.newKeySet();
  static final double ELBOW_WEIGHT = 0.5;
  static final double WRIST_WEIGHT = 0.5;
  static final double SHOULDER_WEIGHT = 0.3;
  static final double TORSO_WEIGHT = 0.3;
  /** Hips and knees: two orders below the hands, three below the planted feet. */
  static final double LEG_WEIGHT = 0.2;
  private static final int N = OperatorJoint.COUNT;

  private final FrameTask[] elbow = new FrameTask[2];
  private final FrameTask[] wrist = new FrameTask[2];
  private final FrameTask[] shoulder = new FrameTask[2];
  private final FrameTask[] hip = new FrameTask[2];
  private final FrameTask[] knee = new FrameTask[2];
  private final FrameTask torso;
  private final double[] upperArm = new double[2];
  private final double[] forearm = new double[2];
  private final int[] wristLink = {-1, -1};
  private final int[] shoulderLink = {-1, -1};
  private final int[] elbowLink = {-1, -1};
  private final int[] hipLink = {-1, -1};
  private final int[] kneeLink = {-1, -1};
  private final int[] ankleLink = {-1, -1};
  private final double[] shin = new double[2];
  private final int headLink;
  private final int spineLink;
  private final double[] err6 = new double[6];
  private final double[] quat = new double[4];
  private final double[] c = new double[3];
  private final double[] thigh = new double[2];
  private final double[] robotShoulder = new double[6];
  private final double[] robotHip = new double[6];
  private final double[] torsoStanding = new double[9];
  private OneEuroFilter filter;
  private final double[] raw = new double[3 * N];
  private final double[] pos = new double[3 * N];
  private final double[] a = new double[3];
  private final double[] b = new double[3];
  private final double[] m = new double[9];
  private final double[] t = new double[9];
  private boolean wasActive;

  BodyFollower(WholeBodyIk ik, Kinematics kin, RobotProfile profile, BodyLinks links, boolean legs) {
    RobotModel model = kin.model();
    KinematicsData d = kin.newData();
    d.setQ(profile.posture());
    kin.forward(d);
    var floor = RobotProfile.floorOrigin(d, profile.leftFoot(), profile.rightFoot());
    List<String> skipped = new ArrayList<>();
    for (HandSide s : HandSide.BOTH) {
      int i = s.ordinal();
      boolean left = s == HandSide.LEFT;
      String sh = links.link(left ? OperatorJoint.LEFT_SHOULDER : OperatorJoint.RIGHT_SHOULDER);
      String el = links.link(left ? OperatorJoint.LEFT_ELBOW : OperatorJoint.RIGHT_ELBOW);
      String wr = links.link(left ? OperatorJoint.LEFT_WRIST : OperatorJoint.RIGHT_WRIST);
      String hp = links.link(left ? OperatorJoint.LEFT_HIP : OperatorJoint.RIGHT_HIP);
      String kn = links.link(left ? OperatorJoint.LEFT_KNEE : OperatorJoint.RIGHT_KNEE);
      if (sh != null) {
        shoulder[i] = ik.addFrameTask(s.prefix() + "_body_shoulder", sh, 0, 0);
        copyPosition(d, model.linkIndex(sh), floor, robotShoulder, 3 * i);
        shoulderLink[i] = model.linkIndex(sh);
      } else {
        skipped.add(s.prefix() + "_shoulder");
      }
      if (el != null && sh != null && !el.equals(sh)) {
        elbow[i] = ik.addFrameTask(s.prefix() + "_body_elbow", el, 0, 0);
        upperArm[i] = distance(d, model.linkIndex(sh), model.linkIndex(el));
        String w = wr != null && !wr.equals(el) ? wr : profile.palm(s);
        wristLink[i] = model.linkIndex(w);
        elbowLink[i] = model.linkIndex(el);
        forearm[i] = distance(d, model.linkIndex(el), wristLink[i]);
      } else {
        skipped.add(s.prefix() + "_elbow");
      }
      if (wr != null && !wr.equals(profile.palm(s)) && !wr.equals(el)) {
        wrist[i] = ik.addFrameTask(s.prefix() + "_body_wrist", wr, 0, 0);
      } else {
        skipped.add(s.prefix() + "_wrist");
      }
      if (legs && hp != null && kn != null && !hp.equals(kn)) {
        hip[i] = ik.addFrameTask(s.prefix() + "_body_hip", hp, 0, 0);
        knee[i] = ik.addFrameTask(s.prefix() + "_body_knee", kn, 0, 0);
        copyPosition(d, model.linkIndex(hp), floor, robotHip, 3 * i);
        thigh[i] = distance(d, model.linkIndex(hp), model.linkIndex(kn));
        hipLink[i] = model.linkIndex(hp);
        kneeLink[i] = model.linkIndex(kn);
        String an = links.link(left ? OperatorJoint.LEFT_ANKLE : OperatorJoint.RIGHT_ANKLE);
        if (an != null && !an.equals(kn)) {
          ankleLink[i] = model.linkIndex(an);
          shin[i] = distance(d, kneeLink[i], ankleLink[i]);
        }
      } else {
        skipped.add(s.prefix() + "_hip");
        skipped.add(s.prefix() + "_knee");
      }
    }
    headLink = model.linkIndex(profile.head());
    String spine = links.link(OperatorJoint.SPINE);
    spineLink = spine != null ? model.linkIndex(spine) : -1;
    if (spine != null) {
      torso = ik.addFrameTask("body_torso", spine, 0, 0);
      System.arraycopy(d.linkRotation, 9 * model.linkIndex(spine), torsoStanding, 0, 9);
    } else {
      torso = null;
      skipped.add("spine");
    }
    filter = new OneEuroFilter(3 * N, OperatorRetargeter.FILTER_MIN_CUTOFF_HZ, OperatorRetargeter.FILTER_BETA,
        OperatorRetargeter.FILTER_DERIVATIVE_CUTOFF_HZ);
    // once per model and JVM: simulations build a retargeter per episode, and the line would bury their progress
    boolean first = DESCRIBED.add(model.name());
    LOG.atLevel(first ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.DEBUG).log("{}: body joints followed as IK"
        + " tasks where tracked; no robot link for: {}; by design not driven: pelvis (root on the stance), neck (the"
        + " headset drives the head), ankles (feet stay planted)", model.name(),
        skipped.isEmpty() ? "none" : String.join(", ", skipped));
  }

  void setFilter(double minCutoffHz, double beta, double derivativeCutoffHz) {
    filter = new OneEuroFilter(3 * N, minCutoffHz, beta, derivativeCutoffHz);
  }

  /** All body tasks off (weights 0) and the filter forgotten. */
  void clear() {
    for (FrameTask[] ts : new FrameTask[][] {elbow, wrist, shoulder, hip, knee}) {
      for (FrameTask x : ts) {
        if (x != null) {
          x.setWeights(0, 0);
        }
      }
    }
    if (torso != null) {
      torso.setWeights(0, 0);
    }
    filter.reset();
    wasActive = false;
  }

  /** Sets every body task's target and weight from {@code body} (null: all off). */
  void update(BodyTargets body, OperatorCalibration cal, KinematicsData state, double dt, boolean[] handTracked) {
    if (body == null || !body.any()) {
      if (wasActive) {
        clear();
      }
      return;
    }
    wasActive = true;
    // untracked joints hold their last filtered position (their tasks are off anyway)
    for (int j = 0; j < N; j++) {
      if (body.confidence[j] > 0 || !filter.primed()) {
        raw[3 * j] = body.position[3 * j];
        raw[3 * j + 1] = body.position[3 * j + 1];
        raw[3 * j + 2] = body.position[3 * j + 2];
      }
    }
    filter.filter(raw, dt, pos);
    for (HandSide s : HandSide.BOTH) {
      int i = s.ordinal();
      boolean left = s == HandSide.LEFT;
      int sh = (left ? OperatorJoint.LEFT_SHOULDER : OperatorJoint.RIGHT_SHOULDER).ordinal();
      int el = (left ? OperatorJoint.LEFT_ELBOW : OperatorJoint.RIGHT_ELBOW).ordinal();
      int wr = (left ? OperatorJoint.LEFT_WRIST : OperatorJoint.RIGHT_WRIST).ordinal();
      int hp = (left ? OperatorJoint.LEFT_HIP : OperatorJoint.RIGHT_HIP).ordinal();
      int kn = (left ? OperatorJoint.LEFT_KNEE : OperatorJoint.RIGHT_KNEE).ordinal();
      double cs = body.confidence[sh];
      if (shoulder[i] != null) {
        torsoPoint(shoulder[i], cal, sh, cs * SHOULDER_WEIGHT);
      }
      if (elbow[i] != null) {
        // from the tracked shoulder, else from where the headset puts it
        if (cs > 0) {
          load(sh, a);
        } else {
          cal.estimatedShoulder(s, a);
        }
        double c = cs > 0 ? Math.min(cs, body.confidence[el]) : body.confidence[el];
        swivel(elbow[i], cal, a, el, i, state, c * ELBOW_WEIGHT);
      }
      if (wrist[i] != null) {
        // a tracked hand drives the palm already: the wrist only stands in for it
        double c = handTracked[i] ? 0 : body.confidence[wr];
        if (c > 0) {
          load(wr, a);
          cal.handToRobot(s, a, IDENTITY, b, m); // m: scratch for the unused orientation
          wrist[i].setTargetPosition(b[0], b[1], b[2]);
        }
        wrist[i].setWeights(c * WRIST_WEIGHT, 0);
      }
      if (hip[i] != null) {
        torsoPoint(hip[i], cal, hp, body.confidence[hp] * LEG_WEIGHT);
        double c = Math.min(body.confidence[hp], body.confidence[kn]);
        load(hp, a);
        direction(knee[i], cal, a, kn, robotHip, 3 * i, thigh[i], c * LEG_WEIGHT);
      }
    }
    if (torso != null) {
      updateTorso(body, cal);
    }
  }

  private static final double[] IDENTITY = {1, 0, 0, 0};

  private void torsoPoint(FrameTask task, OperatorCalibration cal, int joint, double weight) {
    if (weight > 0) {
      load(joint, a);
      cal.bodyPointToRobot(a, b);
      task.setTargetPosition(b[0], b[1], b[2]);
    }
    task.setWeights(weight, 0);
  }

  /**
   * Target = robot anchor + length × the operator's direction from {@code from} to joint {@code to}
   * (body yaw undone). A degenerate direction switches the task off.
   */
  private void direction(FrameTask task, OperatorCalibration cal, double[] from, int to, double[] anchor, int off,
      double length, double weight) {
    if (!(weight > 0)) {
      task.setWeights(0, 0);
      return;
    }
    b[0] = pos[3 * to] - from[0];
    b[1] = pos[3 * to + 1] - from[1];
    b[2] = pos[3 * to + 2] - from[2];
    double n = Math.sqrt(b[0] * b[0] + b[1] * b[1] + b[2] * b[2]);
    if (!(n > 1e-3) || !Double.isFinite(n)) {
      task.setWeights(0, 0);
      return;
    }
    cal.unyawVector(b, b);
    double k = length / n;
    task.setTargetPosition(anchor[off] + k * b[0], anchor[off + 1] + k * b[1], anchor[off + 2] + k * b[2]);
    task.setWeights(weight, 0);
  }

  /**
   * Elbow target on the circle the robot's elbow can take with its wrist where it is (the arm's
   * swivel), at the point nearest the operator's elbow direction: so the elbow task turns the arm
   * about the shoulder-wrist axis and never pulls the hand off its target.
   */
  private void swivel(FrameTask task, OperatorCalibration cal, double[] from, int to, int side, KinematicsData state,
      double weight) {
    if (!(weight > 0)) {
      task.setWeights(0, 0);
      return;
    }
    // operator upper-arm direction, body frame
    b[0] = pos[3 * to] - from[0];
    b[1] = pos[3 * to + 1] - from[1];
    b[2] = pos[3 * to + 2] - from[2];
    cal.unyawVector(b, b);
    int o = 3 * side;
    int w = 3 * wristLink[side];
    double ax = state.linkPosition[w] - robotShoulder[o];
    double ay = state.linkPosition[w + 1] - robotShoulder[o + 1];
    double az = state.linkPosition[w + 2] - robotShoulder[o + 2];
    double len = Math.sqrt(ax * ax + ay * ay + az * az);
    double l1 = upperArm[side], l2 = forearm[side];
    if (!(len > 1e-3) || !Double.isFinite(len)) {
      task.setWeights(0, 0);
      return;
    }
    ax /= len;
    ay /= len;
    az /= len;
    double reach = Math.min(len, 0.999 * (l1 + l2));
    double along = (l1 * l1 - l2 * l2 + reach * reach) / (2 * reach);
    double radius = Math.sqrt(Math.max(0, l1 * l1 - along * along));
    double dot = b[0] * ax + b[1] * ay + b[2] * az;
    double px = b[0] - dot * ax, py = b[1] - dot * ay, pz = b[2] - dot * az;
    double pn = Math.sqrt(px * px + py * py + pz * pz);
    if (!(pn > 1e-6) || !Double.isFinite(pn)) {
      task.setWeights(0, 0); // the operator's elbow is on the axis: no swivel to follow
      return;
    }
    double k = radius / pn;
    task.setTargetPosition(robotShoulder[o] + along * ax + k * px, robotShoulder[o + 1] + along * ay + k * py,
        robotShoulder[o + 2] + along * az + k * pz);
    task.setWeights(weight, 0);
  }

  private void updateTorso(BodyTargets body, OperatorCalibration cal) {
    int ls = OperatorJoint.LEFT_SHOULDER.ordinal();
    int rs = OperatorJoint.RIGHT_SHOULDER.ordinal();
    int base = body.confidence[OperatorJoint.PELVIS.ordinal()] > 0 ? OperatorJoint.PELVIS.ordinal()
        : OperatorJoint.SPINE.ordinal();
    double c = Math.min(Math.min(body.confidence[ls], body.confidence[rs]), body.confidence[base]);
    if (!(c > 0)) {
      torso.setWeights(0, 0);
      return;
    }
    // y along the shoulder line, z from the pelvis (spine) to the shoulder midpoint, orthogonalised
    double yx = pos[3 * ls] - pos[3 * rs], yy = pos[3 * ls + 1] - pos[3 * rs + 1], yz = pos[3 * ls + 2] - pos[3 * rs + 2];
    double zx = (pos[3 * ls] + pos[3 * rs]) / 2 - pos[3 * base];
    double zy = (pos[3 * ls + 1] + pos[3 * rs + 1]) / 2 - pos[3 * base + 1];
    double zz = (pos[3 * ls + 2] + pos[3 * rs + 2]) / 2 - pos[3 * base + 2];
    double yn = Math.sqrt(yx * yx + yy * yy + yz * yz);
    if (!(yn > 1e-3)) {
      torso.setWeights(0, 0);
      return;
    }
    yx /= yn;
    yy /= yn;
    yz /= yn;
    double dot = zx * yx + zy * yy + zz * yz;
    zx -= dot * yx;
    zy -= dot * yy;
    zz -= dot * yz;
    double zn = Math.sqrt(zx * zx + zy * zy + zz * zz);
    if (!(zn > 1e-3)) {
      torso.setWeights(0, 0);
      return;
    }
    zx /= zn;
    zy /= zn;
    zz /= zn;
    double xx = yy * zz - yz * zy, xy = yz * zx - yx * zz, xz = yx * zy - yy * zx;
    // columns x, y, z; body yaw undone on each
    a[0] = xx; a[1] = xy; a[2] = xz;
    cal.unyawVector(a, a);
    m[0] = a[0]; m[3] = a[1]; m[6] = a[2];
    a[0] = yx; a[1] = yy; a[2] = yz;
    cal.unyawVector(a, a);
    m[1] = a[0]; m[4] = a[1]; m[7] = a[2];
    a[0] = zx; a[1] = zy; a[2] = zz;
    cal.unyawVector(a, a);
    m[2] = a[0]; m[5] = a[1]; m[8] = a[2];
    // an upright operator facing the body yaw is the robot's standing torso
    io.optimus.motion.geometry.Rotations.matrixMultiply(m, torsoStanding, t);
    torso.setTargetRotation(t, 0);
    torso.setWeights(0, c * TORSO_WEIGHT);
  }

  private void load(int joint, double[] out) {
    out[0] = pos[3 * joint];
    out[1] = pos[3 * joint + 1];
    out[2] = pos[3 * joint + 2];
  }

  /**
   * Closeness of the robot ({@code d}: FK of the output) to the scaled operator of the last
   * {@link #update}, per {@link LiveSegment} and side into {@code posM}/{@code rotDeg} (index 2 s +
   * side; NaN where not measured). Limbs are compared segment by segment: the operator's segment
   * direction at the robot's segment length, hung from the robot's own parent joint (position error
   * at the far end, angle between the directions); shoulders and head against their mapped points;
   * hands (pose) and torso and head orientation against their tasks' targets.
   */
  void measure(BodyTargets body, OperatorCalibration cal, KinematicsData d, FrameTask head, FrameTask[] palms,
      double[] posM, double[] rotDeg) {
    if (body == null || !wasActive) {
      return;
    }
    int hd = OperatorJoint.HEAD.ordinal();
    if (body.confidence[hd] > 0 && headLink >= 0) {
      load(hd, a);
      cal.bodyPointToRobot(a, b);
      posM[2 * LiveSegment.HEAD.ordinal()] = dist(d, headLink, b);
      rotDeg[2 * LiveSegment.HEAD.ordinal()] = head.orientationValid ? orientationErrorDeg(head, d) : Double.NaN;
    }
    for (HandSide s : HandSide.BOTH) {
      int i = s.ordinal();
      boolean left = s == HandSide.LEFT;
      int sh = (left ? OperatorJoint.LEFT_SHOULDER : OperatorJoint.RIGHT_SHOULDER).ordinal();
      int el = (left ? OperatorJoint.LEFT_ELBOW : OperatorJoint.RIGHT_ELBOW).ordinal();
      int wr = (left ? OperatorJoint.LEFT_WRIST : OperatorJoint.RIGHT_WRIST).ordinal();
      int hp = (left ? OperatorJoint.LEFT_HIP : OperatorJoint.RIGHT_HIP).ordinal();
      int kn = (left ? OperatorJoint.LEFT_KNEE : OperatorJoint.RIGHT_KNEE).ordinal();
      int an = (left ? OperatorJoint.LEFT_ANKLE : OperatorJoint.RIGHT_ANKLE).ordinal();
      double[] conf = body.confidence;
      if (conf[sh] > 0 && shoulderLink[i] >= 0) {
        load(sh, a);
        cal.bodyPointToRobot(a, b);
        posM[2 * LiveSegment.TORSO.ordinal() + i] = dist(d, shoulderLink[i], b);
        rotDeg[2 * LiveSegment.TORSO.ordinal() + i] = torso != null && torso.orientationWeight > 0
            ? orientationErrorDeg(torso, d) : Double.NaN;
      }
      if (conf[sh] > 0 && conf[el] > 0 && elbowLink[i] >= 0) {
        segment(d, cal, sh, el, shoulderLink[i], elbowLink[i], upperArm[i], posM, rotDeg, LiveSegment.UPPER_ARMS, i);
      }
      if (conf[el] > 0 && conf[wr] > 0 && elbowLink[i] >= 0) {
        segment(d, cal, el, wr, elbowLink[i], wristLink[i], forearm[i], posM, rotDeg, LiveSegment.FOREARMS, i);
      }
      if (conf[wr] > 0 && palms[i].positionValid && palms[i].orientationValid) {
        // the hand against the palm target it was mapped to (the scaled operator hand)
        kinPoint(d, palms[i], c);
        b[0] = palms[i].targetPosition[0];
        b[1] = palms[i].targetPosition[1];
        b[2] = palms[i].targetPosition[2];
        double x = c[0] - b[0], y = c[1] - b[1], z = c[2] - b[2];
        posM[2 * LiveSegment.HANDS.ordinal() + i] = Math.sqrt(x * x + y * y + z * z);
        rotDeg[2 * LiveSegment.HANDS.ordinal() + i] = orientationErrorDeg(palms[i], d);
      }
      if (conf[hp] > 0 && conf[kn] > 0 && kneeLink[i] >= 0) {
        segment(d, cal, hp, kn, hipLink[i], kneeLink[i], thigh[i], posM, rotDeg, LiveSegment.THIGHS, i);
      }
      if (conf[kn] > 0 && conf[an] > 0 && ankleLink[i] >= 0) {
        segment(d, cal, kn, an, kneeLink[i], ankleLink[i], shin[i], posM, rotDeg, LiveSegment.SHINS, i);
      }
    }
  }

  private void segment(KinematicsData d, OperatorCalibration cal, int from, int to, int rootLink, int endLink,
      double length, double[] posM, double[] rotDeg, LiveSegment seg, int side) {
    b[0] = pos[3 * to] - pos[3 * from];
    b[1] = pos[3 * to + 1] - pos[3 * from + 1];
    b[2] = pos[3 * to + 2] - pos[3 * from + 2];
    double n = Math.sqrt(b[0] * b[0] + b[1] * b[1] + b[2] * b[2]);
    if (!(n > 1e-3)) {
      return;
    }
    cal.unyawVector(b, b);
    double k = length / n;
    int r = 3 * rootLink;
    int e = 3 * endLink;
    c[0] = d.linkPosition[r] + k * b[0];
    c[1] = d.linkPosition[r + 1] + k * b[1];
    c[2] = d.linkPosition[r + 2] + k * b[2];
    posM[2 * seg.ordinal() + side] = dist(d, endLink, c);
    double rx = d.linkPosition[e] - d.linkPosition[r];
    double ry = d.linkPosition[e + 1] - d.linkPosition[r + 1];
    double rz = d.linkPosition[e + 2] - d.linkPosition[r + 2];
    double rn = Math.sqrt(rx * rx + ry * ry + rz * rz);
    double cos = rn > 1e-9 ? (rx * b[0] + ry * b[1] + rz * b[2]) / (rn * n) : 1;
    rotDeg[2 * seg.ordinal() + side] = Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cos))));
  }

  /** The task's driven point (its offset on its link) in the world, from d's link poses. */
  private static void kinPoint(KinematicsData d, FrameTask t, double[] out) {
    int l = t.link;
    double ox = t.offset[0], oy = t.offset[1], oz = t.offset[2];
    for (int k = 0; k < 3; k++) {
      out[k] = d.linkPosition[3 * l + k] + d.linkRotation[9 * l + 3 * k] * ox + d.linkRotation[9 * l + 3 * k + 1] * oy
          + d.linkRotation[9 * l + 3 * k + 2] * oz;
    }
  }

  private double orientationErrorDeg(FrameTask t, KinematicsData d) {
    return Math.toDegrees(WholeBodyIk.rotationError(t.targetRotation, d.linkRotation, 9 * t.link, err6, 0, quat));
  }

  private static double dist(KinematicsData d, int link, double[] p) {
    double x = d.linkPosition[3 * link] - p[0];
    double y = d.linkPosition[3 * link + 1] - p[1];
    double z = d.linkPosition[3 * link + 2] - p[2];
    return Math.sqrt(x * x + y * y + z * z);
  }

  /** The tasks this follower owns, for reports. */
  List<FrameTask> tasks() {
    List<FrameTask> out = new ArrayList<>();
    for (FrameTask[] ts : new FrameTask[][] {shoulder, elbow, wrist, hip, knee}) {
      for (FrameTask x : ts) {
        if (x != null) {
          out.add(x);
        }
      }
    }
    if (torso != null) {
      out.add(torso);
    }
    return out;
  }

  private static void copyPosition(KinematicsData d, int link, io.optimus.motion.geometry.Vec3 floor, double[] out,
      int off) {
    out[off] = d.linkPosition[3 * link] - floor.x();
    out[off + 1] = d.linkPosition[3 * link + 1] - floor.y();
    out[off + 2] = d.linkPosition[3 * link + 2] - floor.z();
  }

  private static double distance(KinematicsData d, int l1, int l2) {
    double s = 0;
    for (int k = 0; k < 3; k++) {
      double v = d.linkPosition[3 * l1 + k] - d.linkPosition[3 * l2 + k];
      s += v * v;
    }
    return Math.sqrt(s);
  }
}

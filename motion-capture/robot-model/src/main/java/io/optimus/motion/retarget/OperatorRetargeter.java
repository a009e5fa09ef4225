package io.optimus.motion.retarget;

import io.optimus.common.InputException;
import io.optimus.motion.filter.OneEuroFilter;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.RobotModel;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.HandJoint;
import io.optimus.proto.v1.OperatorEvent;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's one entry point from operator frames to joint targets for every joint:
 * {@link #retarget(OperatorFrame, double, double[], double[])} once per control tick.
 *
 * <p>Per tick: invalid poses (flags off, NaN, zero quaternions) are skipped so their tasks hold the
 * last good target; valid ones are One-Euro filtered (quaternions kept on one hemisphere), mapped
 * through the body-anchored {@link OperatorCalibration}, and set as targets of a
 * {@link WholeBodyIk}: head orientation, both palms (pose), both feet held where they stand, the
 * centre of mass over the middle of the feet, the pelvis upright, a standing posture. Fingers come
 * from {@link HandRetargeter} (hand skeleton, else trigger/squeeze). A final guard clamps every
 * joint to its position limits and to {@code qCurrent ± velocity limit × dt}, and replaces
 * anything non-finite by {@code qCurrent}: the output is never NaN and never faster than the limits.
 *
 * <p>The floating base pose is this object's own estimate (feet planted): see {@link #basePose()}.
 * Calibration: frames with {@code commands.calibrating} or a CALIBRATE event measure the operator
 * (T-pose). Not thread-safe; {@code retarget} does not allocate.
 */
public final class OperatorRetargeter {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorRetargeter.class);
  /** IK iterations per tick. */
  public static final int ITERATIONS = 2;
  /** One Euro parameters for poses (position m and quaternion components share them). */
  public static final double FILTER_MIN_CUTOFF_HZ = 1.0;
  public static final double FILTER_BETA = 0.5;
  public static final double FILTER_DERIVATIVE_CUTOFF_HZ = 1.0;

  static final double LEG_POSTURE_WEIGHT = 3e-4;
  static final double PELVIS_HEIGHT_WEIGHT = 5;
  static final double KNEE_MARGIN = 0.15;
  /** Feet stay planted: two orders above the hands, so an unreachable hand target cannot drag them. */
  static final double FOOT_WEIGHT = 200;
  static final double WAIST_POSTURE_WEIGHT = 1e-4;

  private final RobotModel model;
  private final Kinematics kin;
  private final RobotProfile profile;
  private final WholeBodyIk ik;
  private final KinematicsData data;
  private final OperatorCalibration calibration;
  private final HandRetargeter[] hands = new HandRetargeter[2];
  private final FrameTask head;
  private final FrameTask[] palms = new FrameTask[2];
  private final FrameTask[] feet = new FrameTask[2];
  private final FrameTask pelvis;
  private final BodyFollower body;
  private final double headWeight;
  private final LimitWatch limits;
  private OneEuroFilter headFilter;
  private final OneEuroFilter[] handFilters = new OneEuroFilter[2];
  private final double[][] gripToPalm = new double[2][];
  private final double[] skeletonToPalm = {0, 1, 0, 0}; // 180° about x: (x, -y, -z)
  private final double[] headOffset;
  private final double[][] palmOffset = new double[2][];
  private final double[] qStart;
  private final double[] qLast;
  private final double[] vmax;
  private final double[] lower;
  private final double[] upper;
  private final boolean[] independent;
  private final double[] pose7 = new double[7];
  private final double[] lastHead = new double[7];
  private final double[][] lastHand = new double[2][7];
  private final double[] p3 = new double[3];
  private final boolean[] handTracked = new boolean[2];
  private final double[] q4 = new double[4];
  private final double[] q4b = new double[4];
  private long lastCalibrateEvent = -1;
  private boolean calibrationWarned;

  public OperatorRetargeter(RobotModel model) {
    this(model, RobotProfile.detect(model), IkSettings.DEFAULT);
  }

  public OperatorRetargeter(RobotModel model, RobotProfile profile, IkSettings settings) {
    this.model = model;
    this.profile = profile;
    this.kin = new Kinematics(model);
    boolean floating = profile.leftFoot() != null && profile.rightFoot() != null;
    ik = new WholeBodyIk(kin, j -> !j.group().endsWith("hand"), floating, settings);
    data = kin.newData();
    calibration = new OperatorCalibration(profile);
    boolean hasNeck = model.dofJoints().stream().anyMatch(j -> j.group().equals("neck"));
    headWeight = hasNeck ? 0.5 : 0.1;
    head = ik.addFrameTask("head", profile.head(), 0, headWeight);
    for (HandSide s : HandSide.BOTH) {
      int i = s.ordinal();
      palms[i] = ik.addFrameTask(s.prefix() + "_palm", profile.palm(s), 1.0, 0.3).setMaxErrors(0.12, 0.5);
      hands[i] = new HandRetargeter(kin, s);
      handFilters[i] = new OneEuroFilter(7, FILTER_MIN_CUTOFF_HZ, FILTER_BETA, FILTER_DERIVATIVE_CUTOFF_HZ);
      gripToPalm[i] = toArray(gripToPalm(s));
      palmOffset[i] = toArray(profile.palmOffset(s));
    }
    if (floating) {
      feet[0] = ik.addFrameTask("left_foot", profile.leftFoot(), FOOT_WEIGHT, FOOT_WEIGHT / 4).setMaxErrors(0.05, 0.2);
      feet[1] = ik.addFrameTask("right_foot", profile.rightFoot(), FOOT_WEIGHT, FOOT_WEIGHT / 4).setMaxErrors(0.05, 0.2);
      // pelvis upright and at standing height (so reaching up does not lock the knees straight)
      pelvis = ik.addFrameTask("pelvis", model.root().name(), PELVIS_HEIGHT_WEIGHT, 0.5).setPositionAxes(false, false, true);
    } else {
      pelvis = null;
    }
    body = new BodyFollower(ik, kin, profile, BodyLinks.detect(model, profile), floating);
    headFilter = new OneEuroFilter(7, FILTER_MIN_CUTOFF_HZ, FILTER_BETA, FILTER_DERIVATIVE_CUTOFF_HZ);
    headOffset = toArray(profile.headOffset());
    int nq = model.dof();
    qStart = new double[nq];
    qLast = new double[nq];
    vmax = new double[nq];
    lower = new double[nq];
    upper = new double[nq];
    independent = new boolean[nq];
    for (Joint j : model.dofJoints()) {
      int i = j.qIndex();
      vmax[i] = j.limits().velocity();
      lower[i] = j.limits().lower();
      upper[i] = j.limits().upper();
      independent[i] = !j.isMimic();
    }
    ik.setPosture(profile.posture());
    // Legs hold the stance (they move for balance and to keep the feet planted, not to reach); the
    // waist helps a little; arms and neck are free in the tasks' null space.
    for (Joint j : model.dofJoints()) {
      if (j.group().endsWith("leg")) {
        ik.setPostureWeight(j.qIndex(), LEG_POSTURE_WEIGHT);
      } else if (j.group().equals("waist")) {
        ik.setPostureWeight(j.qIndex(), WAIST_POSTURE_WEIGHT);
      }
      double bent = profile.posture()[j.qIndex()];
      if (j.name().contains("knee") && bent > KNEE_MARGIN) {
        // a straight knee is a singularity: near it small foot corrections need huge knee speeds
        ik.setJointRange(j.qIndex(), KNEE_MARGIN, j.limits().upper());
      }
    }
    limits = new LimitWatch(model, kin, ik.tasks());
    reset(profile.posture());
  }

  private static double[] toArray(Quat q) {
    return new double[] {q.w(), q.x(), q.y(), q.z()};
  }

  /**
   * The fixed rotation from an OpenXR grip pose (after the client's axis map: x little finger ->
   * thumb along the controller, -y away from the left palm / into the right palm, fingers along -z)
   * to the palm convention of {@link RobotProfile}: q_palm = q_grip * gripToPalm(side). Public so
   * that whoever inverts this mapping (a scripted operator) uses the same rotation.
   */
  public static Quat gripToPalm(HandSide side) {
    double sg = side.sign();
    double[] m = {0, sg, 0, 0, 0, -sg, -1, 0, 0}; // palm-convention axes as columns
    return Quat.fromMatrix(m, 0);
  }

  public RobotModel model() {
    return model;
  }

  public Kinematics kinematics() {
    return kin;
  }

  public RobotProfile profile() {
    return profile;
  }

  public OperatorCalibration calibration() {
    return calibration;
  }

  public WholeBodyIk ik() {
    return ik;
  }

  /**
   * Re-tunes the One Euro filter on head and hand poses (see {@link OneEuroFilter}); an infinite
   * {@code minCutoffHz} passes poses through unfiltered.
   */
  public void setPoseFilter(double minCutoffHz, double beta, double derivativeCutoffHz) {
    headFilter = new OneEuroFilter(7, minCutoffHz, beta, derivativeCutoffHz);
    handFilters[0] = new OneEuroFilter(7, minCutoffHz, beta, derivativeCutoffHz);
    handFilters[1] = new OneEuroFilter(7, minCutoffHz, beta, derivativeCutoffHz);
    body.setFilter(minCutoffHz, beta, derivativeCutoffHz);
  }

  /** The standing posture the robot starts in and drifts back to (q order). */
  public double[] homePosture() {
    return profile.posture().clone();
  }

  /** The floating base (root link) in the robot base frame, as the IK estimates it. */
  public Pose3 basePose() {
    return data.basePose();
  }

  /**
   * The per-tick kinematic state after the last call: q = the last output, base = the IK's estimate;
   * link poses are those of the IK's last iteration (run {@code kinematics().forward(state())} for
   * poses of the output exactly).
   */
  public KinematicsData state() {
    return data;
  }

  /**
   * Restarts from joint positions {@code q}: base placed with the feet on the floor, the base-frame
   * origin between them; feet tasks hold that stance; filters and targets forgotten.
   */
  public void reset(double[] q) {
    for (int i = 0; i < q.length; i++) {
      data.q[i] = Double.isFinite(q[i]) ? q[i] : profile.posture()[i];
    }
    model.normalize(data.q);
    data.setBasePose(Pose3.IDENTITY);
    kin.forward(data);
    if (feet[0] != null) {
      Vec3 floor = RobotProfile.floorOrigin(data, profile.leftFoot(), profile.rightFoot());
      data.basePosition[0] = -floor.x();
      data.basePosition[1] = -floor.y();
      data.basePosition[2] = -floor.z();
      kin.forward(data);
      for (FrameTask f : feet) {
        int l = f.link();
        f.setTargetPosition(data.linkPosition[3 * l], data.linkPosition[3 * l + 1], data.linkPosition[3 * l + 2]);
        f.setTargetRotation(data.linkRotation, 9 * l);
      }
      ik.setComTarget(0, 0);
      pelvis.setTargetOrientation(1, 0, 0, 0);
      pelvis.setTargetPosition(0, 0, data.basePosition[2]);
    }
    System.arraycopy(data.q, 0, qLast, 0, qLast.length);
    head.clearTarget();
    for (FrameTask p : palms) {
      p.clearTarget();
    }
    resetFilters();
    body.clear();
    limits.clear();
  }

  private void resetFilters() {
    headFilter.reset();
    handFilters[0].reset();
    handFilters[1].reset();
  }

  /**
   * A new operator takes over: the calibration starts again (default body, body yaw from their first
   * head pose) and the pose filters forget the last operator's poses. The IK keeps its joints, which
   * continue from wherever the robot is.
   */
  public void newOperator() {
    calibration.forget();
    resetFilters();
  }

  /** The support polygon (world x, y corners, counter-clockwise) of the stance: both feet's soles. */
  public double[][] supportPolygon() {
    if (feet[0] == null) {
      return new double[0][];
    }
    double hl = profile.footLength() / 2, hw = profile.footWidth() / 2;
    Vec3 l = feet[0].targetPosition(), r = feet[1].targetPosition();
    return new double[][] {{r.x() - hl, r.y() - hw}, {r.x() + hl, r.y() - hw}, {l.x() + hl, l.y() + hw},
        {l.x() - hl, l.y() + hw}};
  }

  /**
   * One control tick: joint targets for every joint (q order of {@code model.dofJoints()}) into
   * {@code qOut}, starting from {@code qCurrent}. Allocation-free, never NaN, each joint within its
   * limits and within velocity limit × dt of qCurrent (dt <= 0 or non-finite: no motion).
   */
  public void retarget(OperatorFrame frame, double dt, double[] qCurrent, double[] qOut) {
    retarget(frame, null, dt, qCurrent, qOut);
  }

  /**
   * As {@link #retarget(OperatorFrame, double, double[], double[])}, with the operator's body joints
   * as further IK tasks weighted by their confidence ({@link BodyFollower}); {@code bodyTargets} null
   * or all confidences 0 is exactly the head-and-hands retarget.
   */
  public void retarget(OperatorFrame frame, BodyTargets bodyTargets, double dt, double[] qCurrent, double[] qOut) {
    int nq = qStart.length;
    if (qCurrent.length != nq || qOut.length != nq) {
      throw new IllegalArgumentException("q arrays must have " + nq + " entries (model " + model.name() + ")");
    }
    double step = dt > 0 && Double.isFinite(dt) ? dt : 0;
    for (int i = 0; i < nq; i++) {
      double x = qCurrent[i];
      qStart[i] = Double.isFinite(x) ? x : qLast[i];
    }
    System.arraycopy(qStart, 0, data.q, 0, nq);
    if (!finiteBase()) {
      reset(qStart);
    }
    calibrate(frame);
    updateHead(frame, bodyTargets, step);
    for (HandSide s : HandSide.BOTH) {
      handTracked[s.ordinal()] = updatePalm(s, s == HandSide.LEFT ? frame.getLeft() : frame.getRight(), step);
    }
    body.update(bodyTargets, calibration, data, step, handTracked);
    ik.begin(data, step);
    for (int i = 0; i < ITERATIONS; i++) {
      ik.iterate(data); // no final FK: nothing below needs link poses
    }
    System.arraycopy(data.q, 0, qOut, 0, nq);
    for (HandSide s : HandSide.BOTH) {
      HandInput in = s == HandSide.LEFT ? frame.getLeft() : frame.getRight();
      HandRetargeter h = hands[s.ordinal()];
      if (!h.retarget(in.getHand(), qOut) && (in.getGripValid() || in.getTrigger() > 0 || in.getSqueeze() > 0)) {
        h.retargetController(in.getTrigger(), in.getSqueeze(), qOut);
      }
    }
    guard(qOut, step);
    limits.check(qOut);
    System.arraycopy(qOut, 0, data.q, 0, nq);
    System.arraycopy(qOut, 0, qLast, 0, nq);
  }

  /** Limits, velocity limits and NaN: the last word on what leaves this class. */
  private void guard(double[] q, double dt) {
    int nq = q.length;
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < nq; i++) {
        if (independent[i] == (pass == 1)) {
          continue; // independent joints first, then mimic joints from their clamped sources
        }
        double x = q[i];
        double s = qStart[i];
        double lo = Math.max(lower[i], s - vmax[i] * dt);
        double hi = Math.min(upper[i], s + vmax[i] * dt);
        if (lo > hi) {
          // already outside the limits: move back at most at full speed
          double back = s > upper[i] ? Math.max(upper[i], s - vmax[i] * dt) : Math.min(lower[i], s + vmax[i] * dt);
          lo = back;
          hi = back;
        }
        if (!Double.isFinite(x)) {
          x = s;
        }
        q[i] = x < lo ? lo : (x > hi ? hi : x);
      }
      if (pass == 0) {
        kin.applyMimic(q);
      }
    }
  }

  private boolean finiteBase() {
    for (int i = 0; i < 3; i++) {
      if (!Double.isFinite(data.basePosition[i])) {
        return false;
      }
    }
    for (int i = 0; i < 9; i++) {
      if (!Double.isFinite(data.baseRotation[i])) {
        return false;
      }
    }
    return true;
  }

  private void calibrate(OperatorFrame frame) {
    boolean now = frame.getCommands().getCalibrating();
    for (int i = 0; i < frame.getEventsCount(); i++) {
      OperatorEvent e = frame.getEvents(i);
      if (e.getType() == OperatorEventType.OPERATOR_EVENT_CALIBRATE && (long) e.getEventId() != lastCalibrateEvent) {
        lastCalibrateEvent = e.getEventId();
        now = true;
      }
    }
    if (!now) {
      calibrationWarned = false;
      return;
    }
    try {
      OperatorBody b = calibration.capture(frame);
      if (calibrationWarned) {
        LOG.info("operator calibrated: {}", b);
      }
      calibrationWarned = false;
    } catch (InputException e) {
      if (!calibrationWarned) {
        LOG.warn("{}", e.getMessage());
        calibrationWarned = true;
      }
    }
  }

  private void updateHead(OperatorFrame frame, BodyTargets bodyTargets, double dt) {
    if (!frame.getHeadValid() || !readPose(frame.getHead(), pose7)) {
      bodyHead(bodyTargets);
      return;
    }
    head.setWeights(0, headWeight);
    filterPose(headFilter, pose7, lastHead, dt);
    calibration.track(lastHead[0], lastHead[1], lastHead[2], lastHead[3], lastHead[4], lastHead[5], lastHead[6]);
    q4[0] = lastHead[3];
    q4[1] = lastHead[4];
    q4[2] = lastHead[5];
    q4[3] = lastHead[6];
    calibration.unyaw(q4, q4b);
    mul(q4b, headOffset, q4);
    head.setTargetOrientation(q4[0], q4[1], q4[2], q4[3]);
  }

  /**
   * Without a headset pose the body's head joint, if its orientation is tracked, turns the head
   * (weighted by its confidence; its axes taken as the headset's: x forward, y left, z up).
   */
  private void bodyHead(BodyTargets b) {
    if (b == null || !(b.confidence(OperatorJoint.HEAD) > 0) || !b.orientationValid(OperatorJoint.HEAD)) {
      return;
    }
    for (int k = 0; k < 4; k++) {
      q4[k] = b.orientation(OperatorJoint.HEAD, k);
    }
    calibration.unyaw(q4, q4b);
    mul(q4b, headOffset, q4);
    head.setTargetOrientation(q4[0], q4[1], q4[2], q4[3]);
    head.setWeights(0, headWeight * b.confidence(OperatorJoint.HEAD));
  }

  /**
   * Adds the last retarget's closeness to the scaled operator, per body segment, to {@code meter}
   * (nothing without body joints). One FK of the output; allocation-free.
   */
  public void measureCloseness(BodyTargets bodyTargets, LiveCloseness meter) {
    if (bodyTargets == null || !bodyTargets.any()) {
      return;
    }
    System.arraycopy(qLast, 0, data.q, 0, qLast.length);
    kin.forward(data);
    double[] p = meter.positionBuffer();
    double[] r = meter.orientationBuffer();
    body.measure(bodyTargets, calibration, data, head, palms, p, r);
    meter.add(p, r);
  }

  /**
   * The joint the last retarget held at a position limit while a task it moves still missed its
   * target (e.g. {@code left_elbow_joint}), or "" when every task was met or limits were not the
   * reason: what the HUD names when the robot cannot follow.
   */
  public String limitedJoint() {
    return limits.joint();
  }

  /** The task {@link #limitedJoint()} was holding back (e.g. {@code left_body_elbow}), or "". */
  public String limitedTask() {
    return limits.task();
  }

  /** Returns whether the hand had a pose this frame. */
  private boolean updatePalm(HandSide side, HandInput in, double dt) {
    int i = side.ordinal();
    double[] conv;
    if (in.getHand().getActive() && in.getHand().getJointsCount() == 26 && validJoint(in.getHand().getJoints(0))
        && readPose(in.getHand().getJoints(0).getPose(), pose7)) {
      conv = skeletonToPalm;
    } else if (in.getGripValid() && readPose(in.getGripPose(), pose7)) {
      conv = gripToPalm[i];
    } else {
      return false; // not tracked: the task keeps its last target
    }
    q4[0] = pose7[3];
    q4[1] = pose7[4];
    q4[2] = pose7[5];
    q4[3] = pose7[6];
    mul(q4, conv, q4b);
    pose7[3] = q4b[0];
    pose7[4] = q4b[1];
    pose7[5] = q4b[2];
    pose7[6] = q4b[3];
    double[] f = lastHand[i];
    filterPose(handFilters[i], pose7, f, dt);
    p3[0] = f[0];
    p3[1] = f[1];
    p3[2] = f[2];
    q4[0] = f[3];
    q4[1] = f[4];
    q4[2] = f[5];
    q4[3] = f[6];
    calibration.handToRobot(side, p3, q4, p3, q4b);
    mul(q4b, palmOffset[i], q4);
    palms[i].setTargetPosition(p3[0], p3[1], p3[2]);
    palms[i].setTargetOrientation(q4[0], q4[1], q4[2], q4[3]);
    return true;
  }

  private static boolean validJoint(HandJoint j) {
    return j.getPositionValid() && j.getOrientationValid();
  }

  /** Position and unit quaternion into out[0..6]; false if non-finite or a zero quaternion. */
  private static boolean readPose(Pose p, double[] out) {
    double x = p.getPosition().getX(), y = p.getPosition().getY(), z = p.getPosition().getZ();
    double w = p.getOrientation().getW(), qx = p.getOrientation().getX();
    double qy = p.getOrientation().getY(), qz = p.getOrientation().getZ();
    double n = Math.sqrt(w * w + qx * qx + qy * qy + qz * qz);
    if (!Double.isFinite(x + y + z) || !Double.isFinite(n) || n < 1e-6 || Math.abs(x) + Math.abs(y) + Math.abs(z) > 1e3) {
      return false;
    }
    out[0] = x;
    out[1] = y;
    out[2] = z;
    out[3] = w / n;
    out[4] = qx / n;
    out[5] = qy / n;
    out[6] = qz / n;
    return true;
  }

  /** One-Euro filters a pose; the quaternion is first put on the previous output's hemisphere. */
  private static void filterPose(OneEuroFilter f, double[] in, double[] out, double dt) {
    if (f.primed() && in[3] * out[3] + in[4] * out[4] + in[5] * out[5] + in[6] * out[6] < 0) {
      in[3] = -in[3];
      in[4] = -in[4];
      in[5] = -in[5];
      in[6] = -in[6];
    }
    f.filter(in, dt, out);
    double n = Math.sqrt(out[3] * out[3] + out[4] * out[4] + out[5] * out[5] + out[6] * out[6]);
    if (n > 1e-9) {
      out[3] /= n;
      out[4] /= n;
      out[5] /= n;
      out[6] /= n;
    }
  }

  /** Hamilton product a * b into out (all w, x, y, z); out must not alias a or b. */
  static void mul(double[] a, double[] b, double[] out) {
    out[0] = a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3];
    out[1] = a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2];
    out[2] = a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1];
    out[3] = a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0];
  }
}

package io.optimus.motion.bvh;

import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Rotations;
import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.retarget.FrameTask;
import io.optimus.motion.retarget.IkSettings;
import io.optimus.motion.retarget.ReachProbe;
import io.optimus.motion.retarget.RobotProfile;
import io.optimus.motion.retarget.WholeBodyIk;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Human keypoint motion to robot joint trajectories, with the whole-body IK of motion-capture.
 *
 * <p>Scaling: the pelvis path is scaled by the body scale (robot standing pelvis height / the
 * human's). Hips hang from the pelvis, and shoulders and head from the torso, at the robot's own
 * offsets turned as the human's pelvis and torso turn; knees, ankles, elbows and wrists hang from
 * their chain parent ({@link Keypoint#parent()}) along the human's segment direction at the robot's
 * segment length, so proportions become the robot's. Limb targets stay short of full stretch
 * (straight knees and elbows are IK singularities). The IK then tracks each keypoint with a position
 * task on the robot link at that joint, plus pelvis orientation (the trunk: tilt from the human's
 * torso, heading from the human's pelvis, {@link #trunkRotation}) and head orientation, the posture in the null
 * space and the centre of mass over the (low-passed) support centre.
 *
 * <p>Feet: while the human's foot is planted ({@link FootContacts}) the robot's ankle is held where
 * the robot's foot was when contact began, on the floor, level at that heading; after lift-off the
 * target blends back to the live one over {@code RELEASE_BLEND_S}.
 *
 * <p>Limits: the IK keeps every joint inside its position limits and its velocity limit per tick,
 * at any playback speed. With {@code timeScale = 0} (auto) a first pass without velocity limits
 * measures how fast the clip asks the joints to move; if in 5% of the ticks some joint needs more
 * than r times its limit, the clip is played r times slower (at most {@code maxTimeScale}), so the
 * limited pass rarely has to clamp and the motion is kept rather than cut short.
 *
 * <p>Reachability: in the final pass every keypoint the robot missed by more than
 * {@link ReachProbe#TOLERANCE_M} is probed with a keypoint-alone IK ({@link ReachProbe}: joint
 * position limits, both feet held where they are this tick, centre of mass over the planted soles);
 * its distance to the robot's reachable set is kept per tick, so the closeness figures can be given
 * over the reachable frames as well as over all of them ({@link MocapRetarget#reachable}).
 */
public final class MocapRetargeter {
  private static final Logger LOG = LoggerFactory.getLogger(MocapRetargeter.class);
  private static final int K = KeypointMotion.K;

  /**
   * @param rateHz output (control) rate of the trajectory
   * @param timeScale playback slow-down (1 = real time, 2 = half speed); 0 chooses it from the velocity limits
   * @param maxTimeScale largest slow-down the automatic choice may pick
   * @param iterations IK iterations per output tick
   */
  public record Options(double rateHz, double timeScale, double maxTimeScale, int iterations) {
    public Options {
      if (!(rateHz > 0) || timeScale < 0 || !(maxTimeScale >= 1) || iterations < 1) {
        throw new IllegalArgumentException("bad retarget options " + rateHz + ", " + timeScale + ", "
            + maxTimeScale + ", " + iterations);
      }
    }

    public static Options defaults() {
      return new Options(100, 0, 3, 4);
    }
  }

  /**
   * Position task weights (per metre) by keypoint; ankles are raised while planted. Head, elbows and
   * shoulders weigh more than the legs' free keypoints, and the head most, over the pelvis: the
   * pelvis only carries the trunk, and where the robot's mass distribution needs its hips elsewhere
   * than the human's to keep balance in a bend, the head should stay where the human's is. On the CMU
   * clips (benchmarks/body-retarget.md) this, with the trunk following the human's torso tilt, took
   * the elbow/wrist/head errors from up to 5.5/14.6 cm (mean/p95, the head in the bend) to at most
   * 2.2/5.3 cm over all frames, at the price of the pelvis and hips (their p95 in the bend 13-17 -> 22-30 cm).
   */
  private static final Map<Keypoint, Double> WEIGHTS = new EnumMap<>(Map.ofEntries(
      Map.entry(Keypoint.PELVIS, 3.0), Map.entry(Keypoint.LEFT_HIP, 1.0), Map.entry(Keypoint.RIGHT_HIP, 1.0),
      Map.entry(Keypoint.LEFT_KNEE, 2.0), Map.entry(Keypoint.RIGHT_KNEE, 2.0), Map.entry(Keypoint.LEFT_ANKLE, 10.0),
      Map.entry(Keypoint.RIGHT_ANKLE, 10.0), Map.entry(Keypoint.LEFT_SHOULDER, 4.0),
      Map.entry(Keypoint.RIGHT_SHOULDER, 4.0), Map.entry(Keypoint.LEFT_ELBOW, 12.0),
      Map.entry(Keypoint.RIGHT_ELBOW, 12.0), Map.entry(Keypoint.LEFT_WRIST, 8.0), Map.entry(Keypoint.RIGHT_WRIST, 8.0),
      Map.entry(Keypoint.HEAD, 60.0)));
  private static final double PLANTED_WEIGHT = 60;
  private static final double COM_TIME_CONSTANT_S = 0.15;
  private static final double RELEASE_BLEND_S = 0.15;
  private static final double MAX_REACH = 0.97;
  private static final java.util.Set<Keypoint> RIGID_ON_PELVIS = java.util.EnumSet.of(Keypoint.LEFT_HIP,
      Keypoint.RIGHT_HIP);
  private static final java.util.Set<Keypoint> RIGID_ON_TORSO = java.util.EnumSet.of(Keypoint.LEFT_SHOULDER,
      Keypoint.RIGHT_SHOULDER, Keypoint.HEAD);
  private static final double PELVIS_ORIENTATION_WEIGHT = 3;
  private static final double HEAD_ORIENTATION_WEIGHT = 0.5;
  private static final double FOOT_LEVEL_WEIGHT = 4;
  /**
   * Heavier damping and posture pull than teleop's defaults: mocap targets are noisy and often
   * unreachable for the robot's body (a bending torso), where light damping makes Gauss-Newton chatter.
   */
  private static final IkSettings SETTINGS = new IkSettings(5e-2, 2e-2, 2, 2.0, 4.0, 8);

  private final RobotModel model;
  private final Options options;
  private final Kinematics kin;
  private final RobotProfile profile;
  private final RobotKeypoints keypoints;
  private final int[] keypointLink = new int[K];
  /** False for a keypoint that lands on the same link as its parent (a robot without wrists): no task. */
  private final boolean[] mapped = new boolean[K];
  private final double[] robotSegment = new double[K];
  private final double robotAnkleHeight;
  private final double[] standingBase = new double[3];
  /** Robot keypoint offsets from the pelvis keypoint at standing (base frame), for the torso-borne keypoints. */
  private final double[] robotOffset = new double[K * 3];
  private final double robotPelvisHeight;
  private final double[] headStanding = new double[9];
  private final double[] footStanding = new double[18];
  private final int[] footLink = new int[2];

  public MocapRetargeter(RobotModel model, Options options) {
    this.model = model;
    this.options = options;
    this.kin = new Kinematics(model);
    this.profile = RobotProfile.detect(model);
    this.keypoints = RobotKeypoints.detect(model, profile);
    for (Keypoint k : Keypoint.values()) {
      keypointLink[k.ordinal()] = model.linkIndex(keypoints.link(k));
    }
    for (Keypoint k : Keypoint.values()) {
      mapped[k.ordinal()] = k.parent() == null || keypointLink[k.ordinal()] != keypointLink[k.parent().ordinal()];
      if (!mapped[k.ordinal()]) {
        LOG.warn("{}: no separate link for keypoint {} (it would be {}, like its parent); not tracked", model.name(),
            k.key(), keypoints.link(k));
      }
    }
    footLink[0] = model.linkIndex(profile.leftFoot() != null ? profile.leftFoot() : keypoints.link(Keypoint.LEFT_ANKLE));
    footLink[1] = model.linkIndex(profile.rightFoot() != null ? profile.rightFoot()
        : keypoints.link(Keypoint.RIGHT_ANKLE));
    KinematicsData d = kin.newData();
    d.setQ(profile.posture());
    kin.forward(d);
    double floor = Math.min(d.linkPosition[3 * footLink[0] + 2], d.linkPosition[3 * footLink[1] + 2]);
    standingBase[2] = -floor;
    for (Keypoint k : Keypoint.values()) {
      if (k.parent() != null) {
        robotSegment[k.ordinal()] = distance(d.linkPosition, keypointLink[k.ordinal()],
            keypointLink[k.parent().ordinal()]);
      }
    }
    robotAnkleHeight = d.linkPosition[3 * keypointLink[Keypoint.LEFT_ANKLE.ordinal()] + 2] - floor;
    int pelvisLink = keypointLink[Keypoint.PELVIS.ordinal()];
    robotPelvisHeight = d.linkPosition[3 * pelvisLink + 2] - floor;
    for (Keypoint k : Keypoint.values()) {
      for (int a = 0; a < 3; a++) {
        robotOffset[3 * k.ordinal() + a] = d.linkPosition[3 * keypointLink[k.ordinal()] + a]
            - d.linkPosition[3 * pelvisLink + a];
      }
    }
    System.arraycopy(d.linkRotation, 9 * keypointLink[Keypoint.HEAD.ordinal()], headStanding, 0, 9);
    System.arraycopy(d.linkRotation, 9 * footLink[0], footStanding, 0, 9);
    System.arraycopy(d.linkRotation, 9 * footLink[1], footStanding, 9, 9);
  }

  public RobotModel model() {
    return model;
  }

  public RobotKeypoints keypoints() {
    return keypoints;
  }

  /** Told about each output tick of the final pass. */
  public interface Progress {
    void tick(int tick, int ticks);
  }

  /** Retargets a whole clip; {@code progress} may be null. */
  public MocapRetarget retarget(KeypointMotion human, FootContacts contacts, Progress progress) {
    Scaling scaling = scaling(human);
    double timeScale = options.timeScale();
    double unconstrainedRatio = Double.NaN;
    if (timeScale == 0) {
      Pass free = run(human, contacts, scaling, 1.0, false, null);
      // The 95th percentile, not the maximum: single-tick spikes are IK null-space flips (a straight
      // arm's yaw), which slowing the clip does not cure and the limited pass absorbs.
      unconstrainedRatio = free.tickWorstRatioPercentile(0.95);
      timeScale = Math.min(options.maxTimeScale(), Math.max(1.0, unconstrainedRatio * 1.05));
      LOG.info("{}: in real time the fastest joint needs {}x its velocity limit (95th percentile over ticks);"
          + " playing at 1/{} speed", human.source(), String.format("%.2f", unconstrainedRatio),
          String.format("%.2f", timeScale));
    }
    Pass pass = run(human, contacts, scaling, timeScale, true, progress);
    return new MocapRetarget(model, keypoints, human.source(), options.rateHz(), timeScale, unconstrainedRatio,
        scaling.bodyScale, pass.q, pass.base, pass.errors, pass.velocityRatio, pass.worstJoint, pass.footSlip,
        pass.limitViolation, pass.rotationErrors, pass.reach);
  }

  private record Scaling(double bodyScale, double[] ratio) {}

  /**
   * Body scale = robot pelvis height standing / human pelvis height standing (90th percentile over the
   * clip, so bending or sitting does not count); segment ratios = robot segment / human segment.
   */
  private Scaling scaling(KeypointMotion human) {
    double[] pelvis = new double[human.frameCount()];
    for (int f = 0; f < pelvis.length; f++) {
      pelvis[f] = human.position(f, Keypoint.PELVIS, 2);
    }
    java.util.Arrays.sort(pelvis);
    double humanPelvisHeight = pelvis[(int) Math.floor(0.9 * (pelvis.length - 1))];
    double[] ratio = new double[K];
    for (Keypoint k : Keypoint.values()) {
      double h = human.segmentLength(k);
      ratio[k.ordinal()] = k.parent() == null ? 1 : h > 1e-3 ? robotSegment[k.ordinal()] / h : 0;
    }
    return new Scaling(robotPelvisHeight / humanPelvisHeight, ratio);
  }

  private final class Pass {
    double[][] q;
    double[][] base;
    double[][] errors;
    /** Orientation error per keypoint (radians, rotation relative to tick 0, robot link vs human joint). */
    double[][] rotationErrors;
    double[][] velocityRatio;
    /** Distance of each keypoint's target from the robot's reachable set (m; final pass only, else null). */
    double[][] reach;
    String worstJoint = "";
    double footSlip;
    double limitViolation;

    /** Percentile (0..1) over ticks of the tick's fastest joint / its limit. */
    double tickWorstRatioPercentile(double p) {
      double[] w = new double[velocityRatio.length];
      for (int i = 0; i < w.length; i++) {
        for (double v : velocityRatio[i]) {
          w[i] = Math.max(w[i], v);
        }
      }
      java.util.Arrays.sort(w);
      return w[(int) Math.floor(p * (w.length - 1))];
    }

    double worstVelocityRatio() {
      double w = 0;
      for (double[] r : velocityRatio) {
        for (double v : r) {
          w = Math.max(w, v);
        }
      }
      return w;
    }
  }

  private Pass run(KeypointMotion human, FootContacts contacts, Scaling scaling, double timeScale, boolean limited,
      Progress progress) {
    double dt = 1.0 / options.rateHz();
    int ticks = (int) Math.floor(human.durationSeconds() * timeScale / dt) + 1;
    int nq = model.dof();
    WholeBodyIk ik = new WholeBodyIk(kin, j -> !j.group().endsWith("hand"), true, SETTINGS);
    FrameTask[] task = new FrameTask[K];
    for (Keypoint k : Keypoint.values()) {
      task[k.ordinal()] = ik.addFrameTask(k.key(), keypoints.link(k), mapped[k.ordinal()] ? WEIGHTS.get(k) : 0, 0);
    }
    FrameTask[] foot = {ik.addFrameTask("left_foot_level", model.links().get(footLink[0]).name(), 0, FOOT_LEVEL_WEIGHT),
        ik.addFrameTask("right_foot_level", model.links().get(footLink[1]).name(), 0, FOOT_LEVEL_WEIGHT)};
    ik.setPosture(profile.posture());
    KinematicsData d = kin.newData();
    d.setQ(profile.posture());
    System.arraycopy(standingBase, 0, d.basePosition, 0, 3);

    Pass pass = new Pass();
    pass.q = new double[ticks][];
    pass.base = new double[ticks][];
    pass.errors = new double[ticks][K];
    pass.rotationErrors = new double[ticks][K];
    ReachProbe probe = limited && profile.leftFoot() != null && profile.rightFoot() != null
        ? new ReachProbe(kin, profile, j -> !j.group().endsWith("hand")) : null;
    pass.reach = limited ? new double[ticks][K] : null;
    double[] robotRot0 = new double[K * 9];
    double[] human9 = new double[9];
    double[] robotRel = new double[9];
    pass.velocityRatio = new double[ticks][];
    double[] human3 = new double[K * 3];
    double[] target = new double[K * 3];
    double[] quat = new double[4];
    double[] rot = new double[9];
    double[] tmp = new double[9];
    Keypoint[] ankles = {Keypoint.LEFT_ANKLE, Keypoint.RIGHT_ANKLE};
    boolean[] planted = new boolean[2];
    double[] plant = new double[6];
    double[] plantYaw = new double[2];
    double[] releasedAt = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    double[] prev = new double[nq];
    double[] slipStart = new double[6];
    double worstRatio = 0;
    double[] com = new double[2];
    double[] pelvisRot = new double[9];
    double[] torso0 = new double[9];
    double[] torsoNow = new double[9];
    double[] torsoRot = new double[9];
    double[] trunk = new double[9];
    human.samplePositions(0, human3);
    torsoFrame(human3, torso0);
    for (int i = 0; i < ticks; i++) {
      double th = i * dt / timeScale;
      int frame = (int) Math.min(human.frameCount() - 1, Math.round(th / human.frameTime()));
      human.samplePositions(th, human3);
      double heading = human.sampleHeading(th);
      // Scaled targets. Pelvis: the human's path times the body scale. Hips hang from the pelvis and
      // shoulders and head from the torso at the robot's own offsets, turned as the human's pelvis and
      // torso turn (relative to frame 0); limbs follow the human segment directions at robot lengths.
      for (int a = 0; a < 3; a++) {
        target[Keypoint.PELVIS.ordinal() * 3 + a] = scaling.bodyScale * human3[Keypoint.PELVIS.ordinal() * 3 + a];
      }
      human.sampleOrientation(th, Keypoint.PELVIS, quat);
      new Quat(quat[0], quat[1], quat[2], quat[3]).toMatrix(pelvisRot, 0);
      torsoFrame(human3, torsoNow);
      Rotations.matrixMultiplyTransposed(torsoNow, torso0, torsoRot);
      for (Keypoint k : Keypoint.values()) {
        if (k.parent() == null) {
          continue;
        }
        int c = k.ordinal() * 3;
        int p = k.parent().ordinal() * 3;
        double[] rigid = RIGID_ON_PELVIS.contains(k) ? pelvisRot : RIGID_ON_TORSO.contains(k) ? torsoRot : null;
        if (rigid != null) {
          for (int a = 0; a < 3; a++) {
            target[c + a] = target[p + a] + rigid[3 * a] * robotOffset[c] + rigid[3 * a + 1] * robotOffset[c + 1]
                + rigid[3 * a + 2] * robotOffset[c + 2];
          }
        } else {
          double r = scaling.ratio[k.ordinal()];
          for (int a = 0; a < 3; a++) {
            target[c + a] = target[p + a] + r * (human3[c + a] - human3[p + a]);
          }
        }
      }
      // Keep limbs short of full stretch: a straight elbow or knee is a singularity the IK chatters in.
      limitReach(target, Keypoint.LEFT_SHOULDER, Keypoint.LEFT_ELBOW, Keypoint.LEFT_WRIST);
      limitReach(target, Keypoint.RIGHT_SHOULDER, Keypoint.RIGHT_ELBOW, Keypoint.RIGHT_WRIST);
      limitReach(target, Keypoint.LEFT_HIP, Keypoint.LEFT_KNEE, Keypoint.LEFT_ANKLE);
      limitReach(target, Keypoint.RIGHT_HIP, Keypoint.RIGHT_KNEE, Keypoint.RIGHT_ANKLE);
      // feet: plant while the human's foot is planted, never below the floor
      int supports = 0;
      double sx = 0;
      double sy = 0;
      for (int s = 0; s < 2; s++) {
        int c = ankles[s].ordinal() * 3;
        boolean contact = contacts.inContact(ankles[s], frame);
        if (contact && !planted[s]) {
          // Plant where the robot's foot is (from tick 1 on), not where the target was: no jump.
          int l = keypointLink[ankles[s].ordinal()];
          plant[3 * s] = i > 0 ? d.linkPosition[3 * l] : target[c];
          plant[3 * s + 1] = i > 0 ? d.linkPosition[3 * l + 1] : target[c + 1];
          plant[3 * s + 2] = robotAnkleHeight;
          plantYaw[s] = heading;
          slipStart[3 * s] = i > 0 ? d.linkPosition[3 * l] : Double.NaN;
          slipStart[3 * s + 1] = i > 0 ? d.linkPosition[3 * l + 1] : Double.NaN;
        }
        if (!contact && planted[s]) {
          releasedAt[s] = th;
        }
        planted[s] = contact;
        // After lift-off, blend from the plant to the live target: a jump would jerk the whole body.
        double blend = contact ? 0 : Math.min(1, (th - releasedAt[s]) / RELEASE_BLEND_S);
        if (contact) {
          target[c] = plant[3 * s];
          target[c + 1] = plant[3 * s + 1];
          target[c + 2] = plant[3 * s + 2];
          supports++;
          sx += plant[3 * s];
          sy += plant[3 * s + 1];
        } else {
          target[c + 2] = Math.max(target[c + 2], robotAnkleHeight);
          if (blend < 1) {
            for (int a = 0; a < 3; a++) {
              target[c + a] = plant[3 * s + a] * (1 - blend) + target[c + a] * blend;
            }
          }
        }
        double free = WEIGHTS.get(ankles[s]);
        task[ankles[s].ordinal()].setWeights(PLANTED_WEIGHT * (1 - blend) + free * blend, 0);
        Rotations.matrixFromYaw(contact ? plantYaw[s] : heading, rot);
        Rotations.matrixMultiply(rot, 0, footStanding, 9 * s, tmp, 0);
        foot[s].setTargetRotation(tmp, 0);
        foot[s].setWeights(0, contact ? FOOT_LEVEL_WEIGHT : FOOT_LEVEL_WEIGHT * 0.25);
      }
      if (supports == 0) {
        // Between steps nothing is planted: aim between the feet, so the target moves on smoothly.
        for (Keypoint ankle : ankles) {
          sx += target[ankle.ordinal() * 3];
          sy += target[ankle.ordinal() * 3 + 1];
        }
        supports = 2;
      }
      // Low-pass the support centre: it jumps when a foot lands or lifts, the body should not.
      double alpha = i == 0 ? 1 : dt / (COM_TIME_CONSTANT_S * timeScale + dt);
      com[0] += alpha * (sx / supports - com[0]);
      com[1] += alpha * (sy / supports - com[1]);
      ik.setComTarget(com[0], com[1]);
      for (Keypoint k : Keypoint.values()) {
        int c = k.ordinal() * 3;
        task[k.ordinal()].setTargetPosition(target[c], target[c + 1], target[c + 2]);
      }
      trunkRotation(torsoRot, pelvisRot, trunk);
      task[Keypoint.PELVIS.ordinal()].setTargetRotation(trunk, 0);
      task[Keypoint.PELVIS.ordinal()].setWeights(WEIGHTS.get(Keypoint.PELVIS), PELVIS_ORIENTATION_WEIGHT);
      human.sampleOrientation(th, Keypoint.HEAD, quat);
      new Quat(quat[0], quat[1], quat[2], quat[3]).toMatrix(rot, 0);
      Rotations.matrixMultiply(rot, headStanding, tmp);
      task[Keypoint.HEAD.ordinal()].setTargetRotation(tmp, 0);
      task[Keypoint.HEAD.ordinal()].setWeights(WEIGHTS.get(Keypoint.HEAD), HEAD_ORIENTATION_WEIGHT);

      if (i == 0) {
        // Settle into the first pose with no velocity limit: the robot starts there.
        d.basePosition[0] = target[Keypoint.PELVIS.ordinal() * 3];
        d.basePosition[1] = target[Keypoint.PELVIS.ordinal() * 3 + 1];
        ik.solve(d, 1e3, 60);
      } else {
        ik.solve(d, limited ? dt : 1e3, options.iterations());
      }
      pass.q[i] = d.q.clone();
      Quat bq = Quat.fromMatrix(d.baseRotation, 0);
      pass.base[i] = new double[] {d.basePosition[0], d.basePosition[1], d.basePosition[2], bq.w(), bq.x(), bq.y(),
          bq.z()};
      for (Keypoint k : Keypoint.values()) {
        int c = k.ordinal() * 3;
        int l = keypointLink[k.ordinal()];
        double ex = d.linkPosition[3 * l] - target[c];
        double ey = d.linkPosition[3 * l + 1] - target[c + 1];
        double ez = d.linkPosition[3 * l + 2] - target[c + 2];
        pass.errors[i][k.ordinal()] = mapped[k.ordinal()] ? Math.sqrt(ex * ex + ey * ey + ez * ez) : Double.NaN;
        // Orientation: the link's rotation since tick 0 against the human joint's since frame 0 (both
        // in the stage frame, heading included), so differing rest poses cancel.
        if (i == 0) {
          System.arraycopy(d.linkRotation, 9 * l, robotRot0, 9 * k.ordinal(), 9);
        }
        System.arraycopy(d.linkRotation, 9 * l, robotRel, 0, 9);
        System.arraycopy(robotRot0, 9 * k.ordinal(), tmp, 0, 9);
        Rotations.matrixMultiplyTransposed(robotRel, tmp, robotRel);
        human.sampleOrientation(th, k, quat);
        new Quat(quat[0], quat[1], quat[2], quat[3]).toMatrix(human9, 0);
        pass.rotationErrors[i][k.ordinal()] = mapped[k.ordinal()] ? angleBetween(human9, robotRel) : Double.NaN;
        if (pass.reach != null) {
          // The robot's own pose is a witness within its error; only a miss needs the probe.
          double e = pass.errors[i][k.ordinal()];
          pass.reach[i][k.ordinal()] = !mapped[k.ordinal()] ? Double.NaN : probe == null ? 0
              : e <= ReachProbe.TOLERANCE_M ? e
              : Math.min(e, probe.distance(d, l, target[c], target[c + 1], target[c + 2], planted[0], planted[1]));
        }
      }
      for (int s = 0; s < 2; s++) {
        if (planted[s] && !Double.isNaN(slipStart[3 * s])) {
          int l = keypointLink[ankles[s].ordinal()];
          double slip = Math.hypot(d.linkPosition[3 * l] - slipStart[3 * s],
              d.linkPosition[3 * l + 1] - slipStart[3 * s + 1]);
          pass.footSlip = Math.max(pass.footSlip, slip);
        }
      }
      double[] ratio = new double[nq];
      for (Joint j : model.dofJoints()) {
        int qi = j.qIndex();
        double v = j.limits().velocity();
        if (i > 0 && v > 0 && Double.isFinite(v)) {
          ratio[qi] = Math.abs(d.q[qi] - prev[qi]) / dt / v;
          if (ratio[qi] > worstRatio) {
            worstRatio = ratio[qi];
            pass.worstJoint = j.name();
          }
        }
        if (j.limits().hasPositionLimits()) {
          pass.limitViolation = Math.max(pass.limitViolation,
              Math.max(d.q[qi] - j.limits().upper(), j.limits().lower() - d.q[qi]));
        }
      }
      pass.velocityRatio[i] = ratio;
      System.arraycopy(d.q, 0, prev, 0, nq);
      if (progress != null) {
        progress.tick(i, ticks);
      }
    }
    return pass;
  }

  /** Angle (radians) of the rotation taking {@code a} to {@code b}: acos((trace(a^T b) - 1) / 2). */
  static double angleBetween(double[] a, double[] b) {
    double trace = 0;
    for (int i = 0; i < 9; i++) {
      trace += a[i] * b[i];
    }
    return Math.acos(Math.max(-1, Math.min(1, (trace - 1) / 2)));
  }

  /** Pulls the limb's end target towards its root to at most {@link #MAX_REACH} of the robot limb's length. */
  private void limitReach(double[] target, Keypoint root, Keypoint middle, Keypoint end) {
    double reach = MAX_REACH * (robotSegment[middle.ordinal()] + robotSegment[end.ordinal()]);
    int r = root.ordinal() * 3;
    int e = end.ordinal() * 3;
    double dx = target[e] - target[r];
    double dy = target[e + 1] - target[r + 1];
    double dz = target[e + 2] - target[r + 2];
    double d = Math.sqrt(dx * dx + dy * dy + dz * dz);
    if (d > reach) {
      double k = reach / d;
      target[e] = target[r] + k * dx;
      target[e + 1] = target[r + 1] + k * dy;
      target[e + 2] = target[r + 2] + k * dz;
    }
  }

  /**
   * The robot pelvis's orientation target. The robot's trunk is rigid from the pelvis to the neck
   * (waist yaw aside), the human's bends at the spine: the trunk tilts as the human's torso does
   * (its up axis, pelvis to shoulders, from {@code torsoRot}) so that head and shoulders, which hang
   * from it, can be where the human's are; it faces where the human's pelvis faces (its forward axis
   * made orthogonal to that up axis), the waist yaw turning the shoulders from there.
   */
  static void trunkRotation(double[] torsoRot, double[] pelvisRot, double[] out) {
    double zx = torsoRot[2];
    double zy = torsoRot[5];
    double zz = torsoRot[8];
    double fx = pelvisRot[0];
    double fy = pelvisRot[3];
    double fz = pelvisRot[6];
    double dot = fx * zx + fy * zy + fz * zz;
    fx -= dot * zx;
    fy -= dot * zy;
    fz -= dot * zz;
    double n = Math.sqrt(fx * fx + fy * fy + fz * fz);
    if (!(n > 1e-3)) {
      // the pelvis faces along the torso's up axis: take the torso's own heading
      System.arraycopy(torsoRot, 0, out, 0, 9);
      return;
    }
    fx /= n;
    fy /= n;
    fz /= n;
    // y = z cross x
    double yx = zy * fz - zz * fy;
    double yy = zz * fx - zx * fz;
    double yz = zx * fy - zy * fx;
    out[0] = fx; out[1] = yx; out[2] = zx;
    out[3] = fy; out[4] = yy; out[5] = zy;
    out[6] = fz; out[7] = yz; out[8] = zz;
  }

  /**
   * Human torso frame from keypoints (columns x forward, y left, z up): y along the shoulder line, z
   * from the pelvis to the shoulder midpoint made orthogonal to y.
   */
  private static void torsoFrame(double[] p, double[] m) {
    int ls = Keypoint.LEFT_SHOULDER.ordinal() * 3;
    int rs = Keypoint.RIGHT_SHOULDER.ordinal() * 3;
    int pv = Keypoint.PELVIS.ordinal() * 3;
    double yx = p[ls] - p[rs];
    double yy = p[ls + 1] - p[rs + 1];
    double yz = p[ls + 2] - p[rs + 2];
    double yn = Math.sqrt(yx * yx + yy * yy + yz * yz);
    yx /= yn;
    yy /= yn;
    yz /= yn;
    double ux = (p[ls] + p[rs]) / 2 - p[pv];
    double uy = (p[ls + 1] + p[rs + 1]) / 2 - p[pv + 1];
    double uz = (p[ls + 2] + p[rs + 2]) / 2 - p[pv + 2];
    double dot = ux * yx + uy * yy + uz * yz;
    ux -= dot * yx;
    uy -= dot * yy;
    uz -= dot * yz;
    double un = Math.sqrt(ux * ux + uy * uy + uz * uz);
    ux /= un;
    uy /= un;
    uz /= un;
    // x = y cross z
    double xx = yy * uz - yz * uy;
    double xy = yz * ux - yx * uz;
    double xz = yx * uy - yy * ux;
    m[0] = xx; m[1] = yx; m[2] = ux;
    m[3] = xy; m[4] = yy; m[5] = uy;
    m[6] = xz; m[7] = yz; m[8] = uz;
  }

  private static double distance(double[] p, int a, int b) {
    double s = 0;
    for (int k = 0; k < 3; k++) {
      double v = p[3 * a + k] - p[3 * b + k];
      s += v * v;
    }
    return Math.sqrt(s);
  }
}

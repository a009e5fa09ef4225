package io.optimus.motion.bvh;

import io.optimus.motion.model.RobotModel;
import io.optimus.motion.retarget.Closeness;
import io.optimus.motion.retarget.ReachProbe;
import java.util.Arrays;

/**
 * A retargeted clip: joint positions (q order of the model) and floating-base poses at a fixed rate,
 * with what it cost: per-keypoint tracking error (robot keypoint link to the scaled human target),
 * joint velocity against the limits, foot slip while planted, and the slow-down applied.
 */
public final class MocapRetarget {
  private final RobotModel model;
  private final RobotKeypoints keypoints;
  private final String source;
  private final double rateHz;
  private final double timeScale;
  private final double unconstrainedVelocityRatio;
  private final double bodyScale;
  private final double[][] q;
  private final double[][] base;
  private final double[][] errors;
  private final double[][] velocityRatio;
  private final String worstJoint;
  private final double footSlip;
  private final double limitViolation;
  private final double[][] rotationErrors;
  private final double[][] reach;

  MocapRetarget(RobotModel model, RobotKeypoints keypoints, String source, double rateHz, double timeScale,
      double unconstrainedVelocityRatio, double bodyScale, double[][] q, double[][] base, double[][] errors,
      double[][] velocityRatio, String worstJoint, double footSlip, double limitViolation, double[][] rotationErrors,
      double[][] reach) {
    this.model = model;
    this.keypoints = keypoints;
    this.source = source;
    this.rateHz = rateHz;
    this.timeScale = timeScale;
    this.unconstrainedVelocityRatio = unconstrainedVelocityRatio;
    this.bodyScale = bodyScale;
    this.q = q;
    this.base = base;
    this.errors = errors;
    this.velocityRatio = velocityRatio;
    this.worstJoint = worstJoint;
    this.footSlip = footSlip;
    this.limitViolation = limitViolation;
    this.rotationErrors = rotationErrors;
    this.reach = reach;
  }

  public RobotModel model() {
    return model;
  }

  public RobotKeypoints keypoints() {
    return keypoints;
  }

  /** The clip's name. */
  public String source() {
    return source;
  }

  public double rateHz() {
    return rateHz;
  }

  public int ticks() {
    return q.length;
  }

  public double durationSeconds() {
    return (q.length - 1) / rateHz;
  }

  /** Slow-down applied to the clip (1 = real time). */
  public double timeScale() {
    return timeScale;
  }

  /**
   * Fastest joint / its limit the clip asked for in real time, 95th percentile over ticks, without
   * velocity limits (NaN when the time scale was given rather than chosen).
   */
  public double unconstrainedVelocityRatio() {
    return unconstrainedVelocityRatio;
  }

  /** Robot standing pelvis height / the human's: the scale of the pelvis path. */
  public double bodyScale() {
    return bodyScale;
  }

  /** Joint positions at tick i (a copy; q order of the model). */
  public double[] q(int tick) {
    return q[tick].clone();
  }

  /** Floating base at tick i: x, y, z, qw, qx, qy, qz (a copy). */
  public double[] base(int tick) {
    return base[tick].clone();
  }

  /** Whether the robot has a link of its own for this keypoint (errors are NaN when not). */
  public boolean tracked(Keypoint k) {
    return !Double.isNaN(errors[0][k.ordinal()]);
  }

  /** Tracking error of a keypoint at a tick, metres (NaN when the keypoint is not tracked). */
  public double error(int tick, Keypoint k) {
    return errors[tick][k.ordinal()];
  }

  /** Mean tracking error over all ticks, metres. */
  public double meanError(Keypoint k) {
    return errorStats(k, false).meanM();
  }

  /** Largest tracking error over all ticks, metres. */
  public double maxError(Keypoint k) {
    return errorStats(k, false).maxM();
  }

  /** 95th percentile of a keypoint's tracking error over all ticks. */
  public double p95Error(Keypoint k) {
    return errorStats(k, false).p95M();
  }

  /**
   * Distance (m) of a keypoint's target at a tick from the robot's reachable set for that keypoint
   * ({@link ReachProbe}: joint position limits, feet held, balance), an upper bound: the robot's own
   * pose bounds it by the tracking error. NaN when not tracked; 0 for a robot without feet (not probed).
   */
  public double reachDistance(int tick, Keypoint k) {
    return reach[tick][k.ordinal()];
  }

  /** Whether the robot could have brought the keypoint within {@link ReachProbe#TOLERANCE_M} of its target at a tick. */
  public boolean reachable(int tick, Keypoint k) {
    return reach[tick][k.ordinal()] <= ReachProbe.TOLERANCE_M;
  }

  /** Share of the ticks at which the keypoint was reachable (NaN when not tracked). */
  public double reachableShare(Keypoint k) {
    if (!tracked(k)) {
      return Double.NaN;
    }
    int n = 0;
    for (int i = 0; i < reach.length; i++) {
      if (reachable(i, k)) {
        n++;
      }
    }
    return (double) n / reach.length;
  }

  /** Tracking error statistics of a keypoint over some ticks, metres (NaN with no ticks). */
  public record ErrorStats(int ticks, double meanM, double p95M, double maxM) {}

  /** Tracking error over all ticks, or over the ticks at which the keypoint was {@link #reachable}. */
  public ErrorStats errorStats(Keypoint k, boolean reachableOnly) {
    double[] v = new double[errors.length];
    int n = 0;
    for (int i = 0; i < errors.length; i++) {
      if (!reachableOnly || reachable(i, k)) {
        v[n++] = errors[i][k.ordinal()];
      }
    }
    if (n == 0 || !tracked(k)) {
      return new ErrorStats(n, Double.NaN, Double.NaN, Double.NaN);
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += v[i];
    }
    Arrays.sort(v, 0, n);
    return new ErrorStats(n, sum / n, v[Closeness.p95Index(n)], v[n - 1]);
  }

  /**
   * Orientation error of a keypoint's robot link against the human joint at a tick, radians, both as
   * rotations since the first tick (NaN when not tracked).
   */
  public double rotationError(int tick, Keypoint k) {
    return rotationErrors[tick][k.ordinal()];
  }

  /** Closeness to the scaled human per body segment over the whole clip. */
  public java.util.List<SegmentCloseness> closeness() {
    return closeness(false);
  }

  /**
   * Closeness per body segment over the whole clip, or counting a segment's sample only where its
   * end keypoint was {@link #reachable}.
   */
  public java.util.List<SegmentCloseness> closeness(boolean reachableOnly) {
    SegmentClosenessMeter meter = new SegmentClosenessMeter();
    double[] masked = new double[Keypoint.values().length];
    for (int i = 0; i < errors.length; i++) {
      double[] e = errors[i];
      if (reachableOnly) {
        for (Keypoint k : Keypoint.values()) {
          masked[k.ordinal()] = reachable(i, k) ? e[k.ordinal()] : Double.NaN;
        }
        e = masked;
      }
      meter.add(e, rotationErrors[i]);
    }
    return meter.result();
  }

  /** |dq/dt| / velocity limit of a joint between tick i-1 and i (0 at tick 0). */
  public double velocityRatio(int tick, int qIndex) {
    return velocityRatio[tick][qIndex];
  }

  /** Largest |dq/dt| / velocity limit over all joints and ticks. */
  public double worstVelocityRatio() {
    double w = 0;
    for (double[] r : velocityRatio) {
      for (double v : r) {
        w = Math.max(w, v);
      }
    }
    return w;
  }

  /** Fraction of ticks in which some joint moved at (over 99.9% of) its velocity limit: where the IK clamped. */
  public double saturatedFraction() {
    int n = 0;
    for (double[] r : velocityRatio) {
      for (double v : r) {
        if (v > 0.999) {
          n++;
          break;
        }
      }
    }
    return (double) n / velocityRatio.length;
  }

  /** The joint with the worst velocity ratio. */
  public String worstVelocityJoint() {
    return worstJoint;
  }

  /** Largest horizontal drift of a robot ankle while the human's foot was planted, metres. */
  public double footSlip() {
    return footSlip;
  }

  /** Largest excursion beyond a position limit (<= 0 when all joints stayed inside), rad or m. */
  public double limitViolation() {
    return limitViolation;
  }
}

package io.optimus.bridge.safety;

import io.optimus.proto.v1.SafetyEventType;
import io.optimus.proto.v1.SafetySeverity;

/**
 * The command's motion: each tick it follows the goal under per-joint position, velocity and
 * acceleration limits (planned braking, so stops respect the acceleration limit too), and an optional
 * {@link CollisionGuard} refuses steps into self-collision. Raises a limit event when limiting lasts
 * {@value #SATURATION_TICKS} ticks (at most once a second per kind). Called under the supervisor's
 * lock; allocation-free unless it raises an event.
 */
final class MotionLimiter {
  /** Limiting counts as an event when it lasts this many consecutive ticks (100 ms at 250 Hz). */
  static final int SATURATION_TICKS = 25;
  /** Warnings of one kind (limit type; per joint for position) are raised at most once a second. */
  static final long EVENT_COOLDOWN_NS = 1_000_000_000L;

  /** Where the limiter's events go (the supervisor adds the mode and operator sequence). */
  @FunctionalInterface
  interface Events {
    void raise(long nowNs, SafetyEventType type, SafetySeverity severity, String joint, String detail, double value,
        double limit);
  }

  private final JointLimitTable limits;
  private final Events events;
  /** The command now (position, velocity). */
  final double[] q;
  final double[] v;
  private final double[] candidateQ;
  private final double[] candidateV;
  private final int[] velocitySaturated;
  private final int[] accelerationSaturated;
  private final long[] lastPositionEventNs;
  private long lastVelocityEventNs = Long.MIN_VALUE / 2;
  private long lastAccelerationEventNs = Long.MIN_VALUE / 2;
  private long lastCollisionEventNs = Long.MIN_VALUE / 2;
  private CollisionGuard collisionGuard;

  MotionLimiter(JointLimitTable limits, double[] initialQ, Events events) {
    int n = limits.size();
    this.limits = limits;
    this.events = events;
    this.q = new double[n];
    this.v = new double[n];
    this.candidateQ = new double[n];
    this.candidateV = new double[n];
    this.velocitySaturated = new int[n];
    this.accelerationSaturated = new int[n];
    this.lastPositionEventNs = new long[n];
    for (int i = 0; i < n; i++) {
      q[i] = limits.clamp(i, initialQ[i]);
      lastPositionEventNs[i] = Long.MIN_VALUE / 2;
    }
  }

  void setCollisionGuard(CollisionGuard guard) {
    this.collisionGuard = guard;
  }

  boolean hasCollisionGuard() {
    return collisionGuard != null;
  }

  /** A tracked target clamped into the position limits (raising a rate-limited event when it was outside). */
  double clampTarget(int i, double goal, long nowNs) {
    if (goal < limits.lower[i] || goal > limits.upper[i]) {
      if (nowNs - lastPositionEventNs[i] > EVENT_COOLDOWN_NS) {
        lastPositionEventNs[i] = nowNs;
        events.raise(nowNs, SafetyEventType.SAFETY_EVENT_POSITION_LIMIT, SafetySeverity.SAFETY_SEVERITY_WARNING,
            limits.names[i], "target clamped into the position limits", goal,
            goal < limits.lower[i] ? limits.lower[i] : limits.upper[i]);
      }
      return limits.clamp(i, goal);
    }
    return goal;
  }

  /**
   * Velocity and acceleration limited step of joint {@code i} towards {@code goal} (or to rest when
   * {@code stop}), braking in time; into the candidate arrays. Limit events only while {@code engaged}.
   */
  void step(int i, double goal, boolean stop, double scale, double dt, long nowNs, boolean engaged) {
    double vmax = limits.velocity[i] * scale;
    double amax = limits.acceleration[i];
    double qi = q[i];
    double vi = v[i];
    double vDes;
    boolean velocityLimited = false;
    if (stop) {
      vDes = 0;
    } else {
      double err = goal - qi;
      vDes = err / dt;
      double brake = brakingSpeed(Math.abs(err), amax, dt);
      if (Math.abs(vDes) > brake) {
        vDes = Math.copySign(brake, err);
      }
      if (vDes > vmax) {
        vDes = vmax;
        velocityLimited = true;
      } else if (vDes < -vmax) {
        vDes = -vmax;
        velocityLimited = true;
      }
    }
    if (limits.bounded[i]) { // never approach a position limit faster than we can stop at it
      double up = brakingSpeed(Math.max(0, limits.upper[i] - qi), amax, dt);
      double down = brakingSpeed(Math.max(0, qi - limits.lower[i]), amax, dt);
      if (vDes > up) {
        vDes = up;
      } else if (vDes < -down) {
        vDes = -down;
      }
    }
    double dv = vDes - vi;
    double dvMax = amax * dt;
    boolean accelerationLimited = false;
    if (dv > dvMax) {
      dv = dvMax;
      accelerationLimited = true;
    } else if (dv < -dvMax) {
      dv = -dvMax;
      accelerationLimited = true;
    }
    vi += dv;
    if (vi > limits.velocity[i]) {
      vi = limits.velocity[i];
    } else if (vi < -limits.velocity[i]) {
      vi = -limits.velocity[i];
    }
    qi += vi * dt;
    if (qi > limits.upper[i]) {
      qi = limits.upper[i];
      vi = 0;
    } else if (qi < limits.lower[i]) {
      qi = limits.lower[i];
      vi = 0;
    }
    candidateQ[i] = qi;
    candidateV[i] = vi;
    saturation(i, velocityLimited, accelerationLimited, vDes, vmax, dv / dt, amax, nowNs, engaged);
  }

  /**
   * Largest speed for this step from which steps of {@code dt}, each slowing by at most {@code a*dt},
   * come to rest (last step at most {@code a*dt}) within distance {@code d}. With m steps left the
   * first speed v covers dt*(m*v - a*dt*m*(m-1)/2); the best m is next to the continuous solution.
   */
  static double brakingSpeed(double d, double a, double dt) {
    if (!(d > 0)) {
      return 0;
    }
    double adt = a * dt;
    int m0 = (int) Math.floor((Math.sqrt(adt * adt + 8 * a * d) - adt) / (2 * adt));
    double best = 0;
    for (int m = Math.max(1, m0); m <= m0 + 1; m++) {
      double v = Math.min(m * adt, (d / dt + adt * m * (m - 1) / 2.0) / m);
      if (v > best) {
        best = v;
      }
    }
    return best;
  }

  private void saturation(int i, boolean vLim, boolean aLim, double vWanted, double vmax, double a, double amax,
      long nowNs, boolean engaged) {
    velocitySaturated[i] = vLim ? velocitySaturated[i] + 1 : 0;
    accelerationSaturated[i] = aLim ? accelerationSaturated[i] + 1 : 0;
    if (velocitySaturated[i] == SATURATION_TICKS && engaged && nowNs - lastVelocityEventNs > EVENT_COOLDOWN_NS) {
      lastVelocityEventNs = nowNs;
      events.raise(nowNs, SafetyEventType.SAFETY_EVENT_VELOCITY_LIMIT, SafetySeverity.SAFETY_SEVERITY_WARNING,
          limits.names[i], "target moves faster than the velocity limit", vWanted, vmax);
    }
    if (accelerationSaturated[i] == SATURATION_TICKS && engaged
        && nowNs - lastAccelerationEventNs > EVENT_COOLDOWN_NS) {
      lastAccelerationEventNs = nowNs;
      events.raise(nowNs, SafetyEventType.SAFETY_EVENT_ACCELERATION_LIMIT, SafetySeverity.SAFETY_SEVERITY_WARNING,
          limits.names[i], "target accelerates faster than the acceleration limit", a, amax);
    }
  }

  /**
   * Refuses a step that would bring two bodies closer than the margin (moving apart, or not
   * meaningfully closer, is allowed): the joints that move that pair brake within their acceleration
   * limits while the rest of the body carries on; only if even braking would make them touch do those
   * joints stop dead.
   */
  void guardCollision(long nowNs, double dt, boolean engaged) {
    double after = collisionGuard.clearance(candidateQ);
    if (after >= collisionGuard.margin()) {
      return;
    }
    int[] joints = collisionGuard.lastPairJoints();
    String pair = collisionGuard.lastPair();
    double before = collisionGuard.clearance(q);
    if (after >= before - 1e-5) {
      return;
    }
    for (int i : joints) {
      step(i, q[i], true, 1.0, dt, nowNs, engaged);
    }
    double braking = collisionGuard.clearance(candidateQ);
    if (braking < 0 && braking < before) {
      for (int i : joints) {
        candidateQ[i] = q[i];
        candidateV[i] = 0;
      }
    }
    if (nowNs - lastCollisionEventNs > EVENT_COOLDOWN_NS) {
      lastCollisionEventNs = nowNs;
      events.raise(nowNs, SafetyEventType.SAFETY_EVENT_SELF_COLLISION, SafetySeverity.SAFETY_SEVERITY_WARNING, pair,
          "step refused: clearance would drop below the margin", after, collisionGuard.margin());
    }
  }

  /** The candidate step becomes the command. */
  void commit() {
    System.arraycopy(candidateQ, 0, q, 0, q.length);
    System.arraycopy(candidateV, 0, v, 0, v.length);
  }

  /** At rest within {@code tolerance} of {@code pose}. */
  boolean atRestAt(double[] pose, double tolerance) {
    for (int i = 0; i < q.length; i++) {
      if (Math.abs(q[i] - pose[i]) > tolerance || Math.abs(v[i]) > 1e-3) {
        return false;
      }
    }
    return true;
  }

  /** Moves the command to {@code measuredQ} without motion. */
  void resync(double[] measuredQ) {
    for (int i = 0; i < q.length; i++) {
      q[i] = limits.clamp(i, measuredQ[i]);
      v[i] = 0;
    }
  }
}

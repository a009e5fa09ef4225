package io.optimus.bridge.safety;

import io.optimus.common.Stamps;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyEventType;
import io.optimus.proto.v1.SafetySeverity;
import io.optimus.proto.v1.SafetyStatus;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Turns whatever an action source wants into a command the body may safely follow.
 *
 * <p>Modes ({@link ControlMode}): DISENGAGED (stopped, waiting for a deliberate deadman press),
 * ENGAGED (tracking the target), HOLD (no fresh operator frame for 100 ms: stop in place; fresh frames
 * with the deadman held resume), SAFE_RAMP (no frame for 500 ms, or the operator vanished: move slowly
 * to the safe pose, then DISENGAGED), ESTOP (latched by topic, control request or the operator's chord;
 * only an explicit reset leaves it). Leaving ENGAGED for any reason but a plain HOLD requires the
 * deadman to be released and pressed again.
 *
 * <p>Every tick the command follows the goal under per-joint position, velocity and acceleration
 * limits (planned braking, so stops respect the acceleration limit too), and an optional
 * {@link CollisionGuard} refuses steps into self-collision. Targets with NaN/infinite values or far
 * outside the limits are rejected. Every event is kept (last {@value #KEPT_EVENTS}) and handed to the
 * listeners (the MQTT publisher and the recorder).
 *
 * <p>Thread-safety: the methods are synchronized (the control loop calls {@link #tick}, the message
 * handlers the request methods), except the e-stop: {@link #estop(long, long, String)} never waits for
 * the lock (held while listeners log and publish events), it sets a latch that every synchronized
 * entry, the next {@code tick} first of all, applies before anything else. {@code tick} does not
 * allocate unless it raises an event.
 */
public final class SafetySupervisor {
  public static final int KEPT_EVENTS = 1024;
  /** Limiting counts as an event when it lasts this many consecutive ticks (100 ms at 250 Hz). */
  private static final int SATURATION_TICKS = 25;
  /** Warnings of one kind (limit type; per joint for position) are raised at most once a second. */
  private static final long EVENT_COOLDOWN_NS = 1_000_000_000L;

  private final String robotId;
  private final JointLimitTable limits;
  private final SafetyConfig config;
  private final double[] safePose;
  private final double[] q;
  private final double[] v;
  private final double[] candidateQ;
  private final double[] candidateV;
  private final int[] velocitySaturated;
  private final int[] accelerationSaturated;
  private final long[] lastPositionEventNs;
  private long lastVelocityEventNs = Long.MIN_VALUE / 2;
  private long lastAccelerationEventNs = Long.MIN_VALUE / 2;
  private final List<Consumer<SafetyEvent>> listeners = new CopyOnWriteArrayList<>();
  private final ArrayDeque<SafetyEvent> kept = new ArrayDeque<>();
  private CollisionGuard collisionGuard;

  /** Written under the lock; volatile so the lock-free e-stop path can see a latch already in place. */
  private volatile ControlMode mode = ControlMode.CONTROL_MODE_DISENGAGED;
  /** An e-stop taken without the lock, applied first thing by whichever method holds it next. */
  private final java.util.concurrent.atomic.AtomicReference<EstopLatch> pendingEstop =
      new java.util.concurrent.atomic.AtomicReference<>();
  private boolean armed;
  private boolean unattended;
  private boolean deadman;
  private boolean refusalReported;
  private boolean estopChord;
  private long lastFrameNs = -1;
  private long operatorSequence;
  private long eventSequence;
  private long estopLatches;
  private long lastCollisionEventNs = Long.MIN_VALUE / 2;
  private long lastInvalidTargetEventNs = Long.MIN_VALUE / 2;
  private long suppressedInvalidTargets;
  private int lastInvalidTargetKind = -1;
  private SafetyEvent lastEvent;
  /** Ticks completed; read without the lock so a message's arrival can be stamped in ticks. */
  private volatile long ticks;
  private volatile EstopLatch lastEstopLatch;

  /**
   * @param initialQ where the body is now (the command starts there, at rest)
   * @param safePose where to ramp on disengage; clamped into the limits
   */
  public SafetySupervisor(String robotId, JointLimitTable limits, SafetyConfig config, double[] initialQ,
      double[] safePose) {
    int n = limits.size();
    if (initialQ.length != n || safePose.length != n) {
      throw new IllegalArgumentException("initial and safe pose need " + n + " joints");
    }
    this.robotId = robotId;
    this.limits = limits;
    this.config = config;
    this.safePose = new double[n];
    this.q = new double[n];
    this.v = new double[n];
    this.candidateQ = new double[n];
    this.candidateV = new double[n];
    this.velocitySaturated = new int[n];
    this.accelerationSaturated = new int[n];
    this.lastPositionEventNs = new long[n];
    for (int i = 0; i < n; i++) {
      this.safePose[i] = limits.clamp(i, safePose[i]);
      this.q[i] = limits.clamp(i, initialQ[i]);
      lastPositionEventNs[i] = Long.MIN_VALUE / 2;
    }
  }

  public synchronized void setCollisionGuard(CollisionGuard guard) {
    this.collisionGuard = guard;
  }

  public void addListener(Consumer<SafetyEvent> listener) {
    listeners.add(listener);
  }

  public void removeListener(Consumer<SafetyEvent> listener) {
    listeners.remove(listener);
  }

  /**
   * A fresh, valid operator frame's levels. Handles the deadman edge logic and the e-stop chord.
   */
  public synchronized void operatorInput(long nowNs, boolean deadmanHeld, boolean estopChordHeld, long sequence) {
    applyPendingEstop();
    lastFrameNs = nowNs;
    operatorSequence = sequence;
    estopChord = estopChordHeld;
    if (estopChordHeld && mode != ControlMode.CONTROL_MODE_ESTOP) {
      latchEstop(nowNs, "operator e-stop chord");
    }
    deadman = deadmanHeld;
    if (!deadmanHeld) {
      armed = true;
      refusalReported = false;
      if (mode == ControlMode.CONTROL_MODE_ENGAGED || mode == ControlMode.CONTROL_MODE_HOLD) {
        unattended = false;
        mode = ControlMode.CONTROL_MODE_DISENGAGED;
        raise(nowNs, SafetyEventType.SAFETY_EVENT_DISENGAGED, SafetySeverity.SAFETY_SEVERITY_INFO, "",
            "deadman released", 0, 0);
      }
      return;
    }
    switch (mode) {
      case CONTROL_MODE_ENGAGED -> { }
      case CONTROL_MODE_HOLD -> mode = ControlMode.CONTROL_MODE_ENGAGED; // frames are back in time
      case CONTROL_MODE_ESTOP -> refuse(nowNs, "e-stop latched: reset it first");
      default -> {
        if (armed) {
          armed = false;
          mode = ControlMode.CONTROL_MODE_ENGAGED;
          raise(nowNs, SafetyEventType.SAFETY_EVENT_ENGAGED, SafetySeverity.SAFETY_SEVERITY_INFO, "",
              "deadman pressed", 0, 0);
        } else {
          refuse(nowNs, "deadman still held after a stop: release it and press again");
        }
      }
    }
  }

  private void refuse(long nowNs, String why) {
    if (!refusalReported) {
      refusalReported = true;
      raise(nowNs, SafetyEventType.SAFETY_EVENT_REENGAGE_REFUSED, SafetySeverity.SAFETY_SEVERITY_WARNING, "", why, 0, 0);
    }
  }

  /**
   * Engages without an operator (simulated evaluation of a policy or a replay): no deadman, no
   * watchdog; limits, self-collision and the e-stop still apply, and an operator releasing the
   * deadman still disengages. The bridge allows it for simulated bodies only.
   */
  public synchronized void engageUnattended(long nowNs, String reason) {
    applyPendingEstop();
    if (mode == ControlMode.CONTROL_MODE_ESTOP) {
      refuse(nowNs, "e-stop latched: reset it first");
      return;
    }
    unattended = true;
    mode = ControlMode.CONTROL_MODE_ENGAGED;
    raise(nowNs, SafetyEventType.SAFETY_EVENT_ENGAGED, SafetySeverity.SAFETY_SEVERITY_INFO, "",
        "engaged unattended: " + reason, 0, 0);
  }

  public synchronized boolean unattended() {
    return unattended;
  }

  /** The operator client's Last Will arrived: stop and ramp to the safe pose. */
  public synchronized void operatorLost(long nowNs, String detail) {
    applyPendingEstop();
    if (mode == ControlMode.CONTROL_MODE_ENGAGED || mode == ControlMode.CONTROL_MODE_HOLD) {
      startRamp();
    }
    deadman = false;
    armed = false;
    raise(nowNs, SafetyEventType.SAFETY_EVENT_OPERATOR_LOST, SafetySeverity.SAFETY_SEVERITY_CRITICAL, "", detail, 0, 0);
  }

  /** Latches the e-stop (topic, control request, operator event). */
  public void estop(long nowNs, String reason) {
    estop(nowNs, ticks, reason);
  }

  /**
   * Latches the e-stop for a request that arrived at {@code arrivalNs}, when {@code arrivalTick} ticks
   * had completed; the latch records both ({@link #lastEstopLatch()}). Lock-free: the latch is in place
   * when this returns, and the next tick stops the robot whatever else holds the lock meanwhile; the
   * ESTOP_LATCHED event follows as soon as the lock is free.
   */
  public void estop(long arrivalNs, long arrivalTick, String reason) {
    // unconditional: checking the mode first could miss a reset running at this very moment
    pendingEstop.compareAndSet(null, new EstopLatch(reason, arrivalNs, arrivalTick, System.nanoTime(), ticks));
    synchronized (this) {
      applyPendingEstop();
    }
  }

  private void applyPendingEstop() {
    EstopLatch l = pendingEstop.getAndSet(null);
    if (l != null && mode != ControlMode.CONTROL_MODE_ESTOP) {
      lastEstopLatch = l;
      latchEstop(l.arrivalNs(), l.reason()); // events keep the caller's clock (tests step time themselves)
    }
  }

  /** The latest latch (null before the first), with its arrival and latch stamps. */
  public EstopLatch lastEstopLatch() {
    return lastEstopLatch;
  }

  /** Control ticks completed so far (lock-free). */
  public long ticks() {
    return ticks;
  }

  /** Explicit reset. Refused (returns false) while the operator still holds the e-stop chord. */
  public synchronized boolean resetEstop(long nowNs, String reason) {
    applyPendingEstop(); // an e-stop that arrived before the reset is latched, then reset
    if (mode != ControlMode.CONTROL_MODE_ESTOP) {
      return true;
    }
    if (estopChord && lastFrameNs >= 0 && nowNs - lastFrameNs < config.disengageTimeoutNs()) {
      return false;
    }
    mode = ControlMode.CONTROL_MODE_DISENGAGED;
    armed = false;
    refusalReported = false;
    raise(nowNs, SafetyEventType.SAFETY_EVENT_ESTOP_RESET, SafetySeverity.SAFETY_SEVERITY_INFO, "", reason, 0, 0);
    return true;
  }

  /** An e-stop reset was refused (wrong role, hold too short, a link lost, chord held): reported, nothing changes. */
  public synchronized void resetRefused(long nowNs, String detail) {
    raise(nowNs, SafetyEventType.SAFETY_EVENT_ESTOP_RESET_REFUSED, SafetySeverity.SAFETY_SEVERITY_WARNING, "", detail,
        0, 0);
  }

  /**
   * Another operator session (or the same one after losing the robot) now owns it: like after any
   * stop, it must show the deadman released before it may engage; an attended motion in progress ramps.
   */
  public synchronized void operatorSessionChanged(long nowNs) {
    if (!unattended && (mode == ControlMode.CONTROL_MODE_ENGAGED || mode == ControlMode.CONTROL_MODE_HOLD)) {
      startRamp();
    }
    armed = false;
    deadman = false;
    refusalReported = false;
  }

  /** Rejected input (NaN pose, malformed frame, ...): recorded as an event, never acted upon. */
  public synchronized void invalidInput(long nowNs, String detail, long sequence) {
    operatorSequence = sequence;
    raise(nowNs, SafetyEventType.SAFETY_EVENT_INVALID_INPUT, SafetySeverity.SAFETY_SEVERITY_WARNING, "", detail, 0, 0);
  }

  /** The driver reported a fault: latch the e-stop. */
  public synchronized void driverFault(long nowNs, String detail) {
    raise(nowNs, SafetyEventType.SAFETY_EVENT_DRIVER_FAULT, SafetySeverity.SAFETY_SEVERITY_CRITICAL, "", detail, 0, 0);
    estop(nowNs, "driver fault");
  }

  private void latchEstop(long nowNs, String reason) {
    estopLatches++;
    unattended = false;
    mode = ControlMode.CONTROL_MODE_ESTOP;
    armed = false;
    raise(nowNs, SafetyEventType.SAFETY_EVENT_ESTOP_LATCHED, SafetySeverity.SAFETY_SEVERITY_CRITICAL, "", reason, 0, 0);
  }

  private void startRamp() {
    mode = ControlMode.CONTROL_MODE_SAFE_RAMP;
    armed = false;
  }

  /**
   * One control tick: advances the watchdog and writes the safe command into {@code commandOut}.
   *
   * @param target what the action source wants (q order), or null for "nothing new: hold"
   */
  public synchronized ControlMode tick(long nowNs, double dt, double[] target, double[] commandOut) {
    applyPendingEstop();
    watchdog(nowNs);
    boolean track = mode == ControlMode.CONTROL_MODE_ENGAGED && target != null && acceptTarget(nowNs, target);
    boolean ramp = mode == ControlMode.CONTROL_MODE_SAFE_RAMP;
    double scale = ramp ? config.rampSpeedScale() : 1.0;
    int n = q.length;
    for (int i = 0; i < n; i++) {
      double goal;
      boolean stop;
      if (track) {
        goal = target[i];
        stop = false;
        if (goal < limits.lower[i] || goal > limits.upper[i]) {
          if (nowNs - lastPositionEventNs[i] > EVENT_COOLDOWN_NS) {
            lastPositionEventNs[i] = nowNs;
            raise(nowNs, SafetyEventType.SAFETY_EVENT_POSITION_LIMIT, SafetySeverity.SAFETY_SEVERITY_WARNING,
                limits.names[i], "target clamped into the position limits", goal,
                goal < limits.lower[i] ? limits.lower[i] : limits.upper[i]);
          }
          goal = limits.clamp(i, goal);
        }
      } else if (ramp) {
        goal = safePose[i];
        stop = false;
      } else {
        goal = q[i];
        stop = true;
      }
      limitStep(i, goal, stop, scale, dt, nowNs);
    }
    if (collisionGuard != null && mode != ControlMode.CONTROL_MODE_ESTOP) {
      guardCollision(nowNs, dt);
    }
    System.arraycopy(candidateQ, 0, q, 0, n);
    System.arraycopy(candidateV, 0, v, 0, n);
    if (ramp && atSafePose()) {
      mode = ControlMode.CONTROL_MODE_DISENGAGED;
      raise(nowNs, SafetyEventType.SAFETY_EVENT_SAFE_POSE_REACHED, SafetySeverity.SAFETY_SEVERITY_INFO, "",
          "safe pose reached", 0, 0);
    }
    System.arraycopy(q, 0, commandOut, 0, n);
    ticks++; // only the control thread writes it
    return mode;
  }

  private void watchdog(long nowNs) {
    if (unattended && mode == ControlMode.CONTROL_MODE_ENGAGED) {
      return;
    }
    if (mode != ControlMode.CONTROL_MODE_ENGAGED && mode != ControlMode.CONTROL_MODE_HOLD) {
      return;
    }
    long age = lastFrameNs < 0 ? Long.MAX_VALUE : nowNs - lastFrameNs;
    if (age > config.disengageTimeoutNs()) {
      startRamp();
      deadman = false;
      raise(nowNs, SafetyEventType.SAFETY_EVENT_WATCHDOG_DISENGAGE, SafetySeverity.SAFETY_SEVERITY_CRITICAL, "",
          "no operator frame for " + age / 1_000_000 + " ms: ramping to the safe pose", age / 1e9,
          config.disengageTimeoutNs() / 1e9);
    } else if (age > config.holdTimeoutNs() && mode == ControlMode.CONTROL_MODE_ENGAGED) {
      mode = ControlMode.CONTROL_MODE_HOLD;
      raise(nowNs, SafetyEventType.SAFETY_EVENT_WATCHDOG_HOLD, SafetySeverity.SAFETY_SEVERITY_CRITICAL, "",
          "no operator frame for " + age / 1_000_000 + " ms: holding", age / 1e9, config.holdTimeoutNs() / 1e9);
    }
  }

  private boolean acceptTarget(long nowNs, double[] target) {
    if (target.length != q.length) {
      rejectTarget(nowNs, 0, "", "target has " + target.length + " joints, expected " + q.length, target.length, q.length);
      return false;
    }
    for (int i = 0; i < target.length; i++) {
      double t = target[i];
      if (!Double.isFinite(t)) {
        rejectTarget(nowNs, 1 + 2 * i, limits.names[i], "non-finite target rejected", t, 0);
        return false;
      }
      if (t < limits.lower[i] - config.outOfRangeMargin() || t > limits.upper[i] + config.outOfRangeMargin()) {
        rejectTarget(nowNs, 2 + 2 * i, limits.names[i], "target far outside the position limits rejected", t,
            t < limits.lower[i] ? limits.lower[i] : limits.upper[i]);
        return false;
      }
    }
    return true;
  }

  /**
   * A source that keeps producing the same bad target would raise one event per tick (250/s): a new
   * kind of problem ({@code kind}: what and which joint) is reported at once, a repeat at most once a
   * second, carrying how many were suppressed meanwhile.
   */
  private void rejectTarget(long nowNs, int kind, String joint, String detail, double value, double limit) {
    if (kind == lastInvalidTargetKind && nowNs - lastInvalidTargetEventNs < EVENT_COOLDOWN_NS) {
      suppressedInvalidTargets++;
      return;
    }
    String d = kind != lastInvalidTargetKind || suppressedInvalidTargets == 0 ? detail
        : detail + " (repeated " + suppressedInvalidTargets + " times since the last report)";
    lastInvalidTargetKind = kind;
    lastInvalidTargetEventNs = nowNs;
    suppressedInvalidTargets = 0;
    raise(nowNs, SafetyEventType.SAFETY_EVENT_INVALID_INPUT, SafetySeverity.SAFETY_SEVERITY_WARNING, joint, d, value,
        limit);
  }

  /** Velocity and acceleration limited step towards {@code goal}, braking in time; into candidate arrays. */
  private void limitStep(int i, double goal, boolean stop, double scale, double dt, long nowNs) {
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
    saturation(i, velocityLimited, accelerationLimited, vDes, vmax, dv / dt, amax, nowNs);
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
      long nowNs) {
    velocitySaturated[i] = vLim ? velocitySaturated[i] + 1 : 0;
    accelerationSaturated[i] = aLim ? accelerationSaturated[i] + 1 : 0;
    if (velocitySaturated[i] == SATURATION_TICKS && mode == ControlMode.CONTROL_MODE_ENGAGED
        && nowNs - lastVelocityEventNs > EVENT_COOLDOWN_NS) {
      lastVelocityEventNs = nowNs;
      raise(nowNs, SafetyEventType.SAFETY_EVENT_VELOCITY_LIMIT, SafetySeverity.SAFETY_SEVERITY_WARNING,
          limits.names[i], "target moves faster than the velocity limit", vWanted, vmax);
    }
    if (accelerationSaturated[i] == SATURATION_TICKS && mode == ControlMode.CONTROL_MODE_ENGAGED
        && nowNs - lastAccelerationEventNs > EVENT_COOLDOWN_NS) {
      lastAccelerationEventNs = nowNs;
      raise(nowNs, SafetyEventType.SAFETY_EVENT_ACCELERATION_LIMIT, SafetySeverity.SAFETY_SEVERITY_WARNING,
          limits.names[i], "target accelerates faster than the acceleration limit", a, amax);
    }
  }

  /**
   * Refuses a step that would bring two bodies closer than the margin (moving apart, or not
   * meaningfully closer, is allowed): the joints that move that pair brake within their acceleration
   * limits while the rest of the body carries on; only if even braking would make them touch do those
   * joints stop dead.
   */
  private void guardCollision(long nowNs, double dt) {
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
      limitStep(i, q[i], true, 1.0, dt, nowNs);
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
      raise(nowNs, SafetyEventType.SAFETY_EVENT_SELF_COLLISION, SafetySeverity.SAFETY_SEVERITY_WARNING, pair,
          "step refused: clearance would drop below the margin", after, collisionGuard.margin());
    }
  }

  private boolean atSafePose() {
    for (int i = 0; i < q.length; i++) {
      if (Math.abs(q[i] - safePose[i]) > config.safePoseTolerance() || Math.abs(v[i]) > 1e-3) {
        return false;
      }
    }
    return true;
  }

  private void raise(long nowNs, SafetyEventType type, SafetySeverity severity, String joint, String detail,
      double value, double limit) {
    SafetyEvent e = SafetyEvent.newBuilder()
        .setSchemaVersion(1)
        .setRobotId(robotId)
        .setSequence(++eventSequence)
        .setStamp(Stamps.now().toBuilder().setMonotonicNs(nowNs))
        .setType(type)
        .setSeverity(severity)
        .setModeAfter(mode)
        .setJoint(joint)
        .setDetail(detail)
        .setValue(value)
        .setLimit(limit)
        .setOperatorSequence(operatorSequence)
        .build();
    lastEvent = e;
    if (kept.size() == KEPT_EVENTS) {
      kept.removeFirst();
    }
    kept.addLast(e);
    for (Consumer<SafetyEvent> l : listeners) {
      l.accept(e);
    }
  }

  public synchronized ControlMode mode() {
    applyPendingEstop();
    return mode;
  }

  /** Lock-free: true from the moment an e-stop is taken. */
  public boolean estopLatched() {
    return mode == ControlMode.CONTROL_MODE_ESTOP || pendingEstop.get() != null;
  }

  /** How many times the e-stop latched so far (a reset must not clear a latch newer than its request). */
  public synchronized long estopLatches() {
    return estopLatches;
  }

  public synchronized long eventsTotal() {
    return eventSequence;
  }

  /** The most recent events, oldest first (a copy). */
  public synchronized List<SafetyEvent> events() {
    return List.copyOf(kept);
  }

  /** Current commanded position and velocity (copies into the given arrays). */
  public synchronized void commanded(double[] qOut, double[] vOut) {
    System.arraycopy(q, 0, qOut, 0, q.length);
    if (vOut != null) {
      System.arraycopy(v, 0, vOut, 0, v.length);
    }
  }

  /** Moves the command to the measured body state without motion (e.g. after a driver restart). */
  public synchronized void resync(double[] measuredQ) {
    for (int i = 0; i < q.length; i++) {
      q[i] = limits.clamp(i, measuredQ[i]);
      v[i] = 0;
    }
  }

  public JointLimitTable limits() {
    return limits;
  }

  public synchronized SafetyStatus status(long nowNs) {
    applyPendingEstop();
    SafetyStatus.Builder b = SafetyStatus.newBuilder()
        .setSchemaVersion(1)
        .setRobotId(robotId)
        .setStamp(Stamps.now())
        .setMode(mode)
        .setDeadman(deadman)
        .setEstopLatched(mode == ControlMode.CONTROL_MODE_ESTOP)
        .setOperatorFrameAgeNs(lastFrameNs < 0 ? -1 : nowNs - lastFrameNs)
        .setEventsTotal(eventSequence);
    if (lastEvent != null) {
      b.setLastEvent(lastEvent);
    }
    return b.build();
  }
}

package io.optimus.bridge.safety;

import io.optimus.bridge.physics.ContactEvent;
import io.optimus.common.Stamps;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyEventType;
import io.optimus.proto.v1.SafetySeverity;
import io.optimus.proto.v1.SafetyStatus;
import java.util.List;
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
 * <p>This class is the mode machine and input check; every tick the command follows the goal
 * through the {@link MotionLimiter} (position, velocity and acceleration limits with planned braking,
 * and an optional {@link CollisionGuard} refusing steps into self-collision). Targets with
 * NaN/infinite values or far outside the limits are rejected. Every event goes through the
 * {@link SafetyEventLog} (last {@value #KEPT_EVENTS} kept) to the listeners (the MQTT publisher and
 * the recorder).
 *
 * <p>Thread-safety: the methods are synchronized (the control loop calls {@link #tick}, the message
 * handlers the request methods), except the e-stop: {@link #estop(long, long, String)} never waits for
 * the lock (held while listeners log and publish events), it sets a latch that every synchronized
 * entry, the next {@code tick} first of all, applies before anything else. {@code tick} does not
 * allocate unless it raises an event.
 */
public final class SafetySupervisor {
  public static final int KEPT_EVENTS = 1024;
  private static final long EVENT_COOLDOWN_NS = MotionLimiter.EVENT_COOLDOWN_NS;

  private final String robotId;
  private final JointLimitTable limits;
  private final SafetyConfig config;
  private final double[] safePose;
  private final SafetyEventLog log;
  private final MotionLimiter motion;
  /** The command (owned by {@link #motion}). */
  private final double[] q;
  private final double[] v;

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
  /** The sequence of the last operator frame the loop handed over ({@link #operatorInput}), -1 before any. */
  private long inputSequence = -1;
  private long estopLatches;
  private long lastInvalidTargetEventNs = Long.MIN_VALUE / 2;
  private long suppressedInvalidTargets;
  private int lastInvalidTargetKind = -1;
  /** Ticks completed; read without the lock so a message's arrival can be stamped in ticks. */
  private volatile long ticks;
  private volatile EstopLatch lastEstopLatch;
  /** Robot contact onsets (table, floor, self) so far, the newest described, and per pair of bodies its reporting. */
  private long contacts;
  private String lastContact = "";
  /** The driver's newest fault report (a reset is refused while it lasts). */
  private long lastDriverFaultNs = Long.MIN_VALUE;
  private String lastLatchReason = "";
  private String lastDriverFault = "";
  private final java.util.Map<String, ContactReports> contactReports = new java.util.HashMap<>();

  /** When a pair's contact was last reported and how many onsets came since. */
  private static final class ContactReports {
    long lastEventNs;
    long unreported;
  }

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
    for (int i = 0; i < n; i++) {
      this.safePose[i] = limits.clamp(i, safePose[i]);
    }
    this.log = new SafetyEventLog(robotId);
    this.motion = new MotionLimiter(limits, initialQ, this::raise);
    this.q = motion.q;
    this.v = motion.v;
  }

  public synchronized void setCollisionGuard(CollisionGuard guard) {
    motion.setCollisionGuard(guard);
  }

  public void addListener(Consumer<SafetyEvent> listener) {
    log.addListener(listener);
  }

  public void removeListener(Consumer<SafetyEvent> listener) {
    log.removeListener(listener);
  }

  /**
   * A fresh, valid operator frame's levels. Handles the deadman edge logic and the e-stop chord.
   */
  public synchronized void operatorInput(long nowNs, boolean deadmanHeld, boolean estopChordHeld, long sequence) {
    applyPendingEstop();
    lastFrameNs = nowNs;
    operatorSequence = sequence;
    inputSequence = sequence;
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

  /**
   * The engaged operator takes the robot over from an unattended source (a policy): from now on the
   * operator's deadman and watchdog rule again. Null when done, else why not (e-stop latched, no
   * operator streaming with the deadman held, not engaged).
   */
  public synchronized String operatorTakesOver(long nowNs) {
    applyPendingEstop();
    if (mode == ControlMode.CONTROL_MODE_ESTOP) {
      return "the e-stop is latched: reset it first";
    }
    boolean streaming = lastFrameNs >= 0 && nowNs - lastFrameNs <= config.holdTimeoutNs();
    if (!deadman || !streaming) {
      return "no engaged operator: an operator must be streaming with the deadman held";
    }
    if (mode != ControlMode.CONTROL_MODE_ENGAGED) {
      return "the operator is not engaged (" + mode + "): release the deadman and press it again";
    }
    unattended = false;
    return null;
  }

  /**
   * Whether the loop has handed over the operator frame {@code sequence} (or a later one), so the
   * deadman it carried counts. An event acts when its frame arrives, the deadman at the next tick.
   */
  public synchronized boolean tookOperatorFrame(long sequence) {
    return inputSequence != -1 && Long.compareUnsigned(inputSequence, sequence) >= 0;
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

  /**
   * Why a reset would be refused now because the cause of the stop persists (null: it would not): the
   * operator still holds the e-stop chord, or the driver reported a fault within the last hold timeout
   * (a body reports its fault every tick while it lasts).
   */
  public synchronized String resetBlocker(long nowNs) {
    if (estopChord && lastFrameNs >= 0 && nowNs - lastFrameNs < config.disengageTimeoutNs()) {
      return "the operator still holds the e-stop chord";
    }
    if (lastDriverFaultNs != Long.MIN_VALUE && nowNs - lastDriverFaultNs < config.holdTimeoutNs()) {
      return "the driver still reports a fault (" + lastDriverFault + ")";
    }
    return null;
  }

  /** Explicit reset. Refused (returns false) while the cause persists ({@link #resetBlocker}). */
  public synchronized boolean resetEstop(long nowNs, String reason) {
    return resetEstop(nowNs, -1, reason) == null;
  }

  /**
   * Explicit reset of latch number {@code latch} ({@link #estopLatches()} when the requester decided;
   * -1: whichever is latched). Null when reset (or nothing was latched), else why not: the e-stop latched
   * again since, or the cause persists ({@link #resetBlocker}). Checked and reset under one lock, so an
   * e-stop arriving meanwhile is latched first and then refused its reset.
   */
  public synchronized String resetEstop(long nowNs, long latch, String reason) {
    applyPendingEstop(); // an e-stop that arrived before the reset is latched, then reset
    if (mode != ControlMode.CONTROL_MODE_ESTOP) {
      return null;
    }
    if (latch >= 0 && latch != estopLatches) {
      return "the e-stop latched again since latch " + latch + " (now latch " + estopLatches + ", " + lastLatchReason
          + "): look at the new cause, then reset latch " + estopLatches;
    }
    String blocked = resetBlocker(nowNs);
    if (blocked != null) {
      return blocked;
    }
    mode = ControlMode.CONTROL_MODE_DISENGAGED;
    armed = false;
    refusalReported = false;
    raise(nowNs, SafetyEventType.SAFETY_EVENT_ESTOP_RESET, SafetySeverity.SAFETY_SEVERITY_INFO, "", reason, 0, 0);
    return null;
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
    lastDriverFaultNs = nowNs;
    lastDriverFault = detail;
    raise(nowNs, SafetyEventType.SAFETY_EVENT_DRIVER_FAULT, SafetySeverity.SAFETY_SEVERITY_CRITICAL, "", detail, 0, 0);
    estop(nowNs, "driver fault");
  }

  /**
   * The simulated robot began touching the table, the floor or itself ({@link ContactEvent#robotContact()};
   * other contacts are ignored). Counted and shown in the status; reported as an INFO event, per pair of
   * bodies at once and then at most once per {@link #EVENT_COOLDOWN_NS} with the count in between (a
   * finger resting on the table makes and breaks contact many times a second).
   *
   * <p>Contacts are information, not a stop: touching the table is how tabletop work is done, and a
   * stop on every touch would freeze the robot with its hand on the table. The protection is upstream:
   * the joint limits and the self-collision guard shape every command before it reaches the body.
   */
  public synchronized void contact(long nowNs, ContactEvent e) {
    if (!e.robotContact()) {
      return;
    }
    contacts++;
    String what = switch (e.kind()) {
      case ROBOT_TABLE -> "robot-table";
      case ROBOT_FLOOR -> "robot-floor";
      default -> "robot-self";
    };
    lastContact = what + ": " + e.a() + " / " + e.b();
    ContactReports r = contactReports.get(lastContact);
    if (r == null) {
      r = new ContactReports();
      contactReports.put(lastContact, r); // bounded: one per pair of bodies
    } else if (nowNs - r.lastEventNs < EVENT_COOLDOWN_NS) {
      r.unreported++;
      return;
    }
    String detail = r.unreported == 0 ? lastContact + " contact"
        : lastContact + " contact (" + r.unreported + " more onsets since the last report)";
    r.lastEventNs = nowNs;
    r.unreported = 0;
    raise(nowNs, SafetyEventType.SAFETY_EVENT_CONTACT, SafetySeverity.SAFETY_SEVERITY_INFO, "", detail, e.depth(), 0);
  }

  /** Robot contact onsets seen by {@link #contact}. */
  public synchronized long contacts() {
    return contacts;
  }

  private void latchEstop(long nowNs, String reason) {
    estopLatches++;
    lastLatchReason = reason;
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
    boolean engaged = mode == ControlMode.CONTROL_MODE_ENGAGED;
    int n = q.length;
    for (int i = 0; i < n; i++) {
      if (track) {
        motion.step(i, motion.clampTarget(i, target[i], nowNs), false, scale, dt, nowNs, engaged);
      } else if (ramp) {
        motion.step(i, safePose[i], false, scale, dt, nowNs, engaged);
      } else {
        motion.step(i, q[i], true, scale, dt, nowNs, engaged);
      }
    }
    if (motion.hasCollisionGuard() && mode != ControlMode.CONTROL_MODE_ESTOP) {
      motion.guardCollision(nowNs, dt, engaged);
    }
    motion.commit();
    if (ramp && motion.atRestAt(safePose, config.safePoseTolerance())) {
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

  private void raise(long nowNs, SafetyEventType type, SafetySeverity severity, String joint, String detail,
      double value, double limit) {
    log.raise(nowNs, type, severity, mode, operatorSequence, joint, detail, value, limit);
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
    return log.total();
  }

  /** The most recent events, oldest first (a copy). */
  public synchronized List<SafetyEvent> events() {
    return log.kept();
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
    motion.resync(measuredQ);
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
        .setEventsTotal(log.total())
        .setContactsTotal(contacts)
        .setLastContact(lastContact)
        .setEstopLatches(estopLatches);
    SafetyEvent last = log.last();
    if (last != null) {
      b.setLastEvent(last);
    }
    return b.build();
  }
}

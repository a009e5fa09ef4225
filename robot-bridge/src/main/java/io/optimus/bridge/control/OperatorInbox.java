package io.optimus.bridge.control;

import io.optimus.proto.v1.OperatorEvent;
import io.optimus.proto.v1.OperatorFrame;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The newest operator frame (older ones are simply replaced: the loop always uses the newest), plus
 * the bookkeeping of the operator stream.
 *
 * <p>One session owns the robot: the first session whose frame arrives while nobody owns it. Frames
 * of any other session are refused ({@link FrameDrop#FOREIGN_SESSION}) until the owner is released
 * ({@link #release}, e.g. its Last Will) or sends nothing for the owner timeout (the watchdog's
 * disengage timeout, 500 ms by default). Within the owning session, sequences must rise
 * ({@link FrameDrop#STALE}) by at most {@link #MAX_SEQUENCE_JUMP} ({@link FrameDrop#SEQUENCE_JUMP}), and
 * {@code capture_time.monotonic_ns} must keep its offset to the bridge's clock within
 * {@link #MAX_CLOCK_JUMP_NS} ({@link FrameDrop#TIMESTAMP}); a claim starts both checks afresh, so a
 * single absurd frame can never lock the operator out for longer than the owner timeout. Each
 * {@link OperatorEvent} (repeated by the client for ~100 ms over QoS 0) is returned once.
 */
public final class OperatorInbox {
  /** Largest accepted sequence step within a session: ~110 s of frames at 90 Hz (QoS 0 may lose some). */
  public static final long MAX_SEQUENCE_JUMP = 10_000;
  /** Largest accepted change of (capture monotonic - arrival) within a session: clocks do not jump. */
  public static final long MAX_CLOCK_JUMP_NS = 5_000_000_000L;
  public static final long DEFAULT_OWNER_TIMEOUT_NS = 500_000_000L;
  private static final int REMEMBERED_EVENTS = 512;

  /** What became of an offered frame: dropped (with the reason in words), or accepted with its new events. */
  public record Admission(FrameDrop drop, String detail, List<OperatorEvent> events, boolean claimed) {
    public boolean accepted() {
      return drop == null;
    }
  }

  private final long ownerTimeoutNs;
  private volatile LongConsumer claimListener = now -> { };
  private volatile ReceivedFrame latest;
  private String owner;
  private String ownerOperator = "";
  private String lastOwner;
  private boolean everOwned;
  private long lastAcceptedNs;
  private long lastSequence;
  private long clockOffsetNs;
  private boolean haveClockOffset;
  private final LinkedHashSet<Long> seenEvents = new LinkedHashSet<>();
  private final AtomicLong stale = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();

  public OperatorInbox() {
    this(DEFAULT_OWNER_TIMEOUT_NS);
  }

  /** @param ownerTimeoutNs an owner silent this long loses the robot (use the watchdog's disengage timeout) */
  public OperatorInbox(long ownerTimeoutNs) {
    this.ownerTimeoutNs = ownerTimeoutNs;
  }

  /**
   * Called (with the arrival time) when a session other than the last owner claims the robot, before
   * its first frame becomes {@link #latest}: the control loop never sees a new session's frame before
   * the listener ran. (The same session back after a silence needs no call: the watchdog stopped it.)
   */
  public void onClaim(LongConsumer listener) {
    this.claimListener = listener;
  }

  /**
   * Takes a validated frame; returns its events not seen before (empty when none), or null when the
   * frame was dropped (see {@link #admit} for why).
   */
  public List<OperatorEvent> offer(OperatorFrame f, long receivedNs) {
    Admission a = admit(f, receivedNs);
    return a.accepted() ? a.events() : null;
  }

  /** Takes a validated frame received at {@code receivedNs} (monotonic) and says what became of it. */
  public synchronized Admission admit(OperatorFrame f, long receivedNs) {
    expire(receivedNs);
    String session = f.getSessionId();
    long seq = f.getSequence();
    long mono = f.getCaptureTime().getMonotonicNs();
    boolean claim = owner == null;
    boolean newSession = claim && !session.equals(lastOwner);
    if (claim) {
      if (newSession) {
        seenEvents.clear();
      }
      owner = session;
      lastOwner = session;
      ownerOperator = f.getOperatorId();
      everOwned = true;
      haveClockOffset = false;
    } else if (!session.equals(owner)) {
      return new Admission(FrameDrop.FOREIGN_SESSION, "frame " + Long.toUnsignedString(seq) + " of session '"
          + session + "' ('" + f.getOperatorId() + "'): the robot is owned by session '" + owner + "' ('"
          + ownerOperator + "')", null, false);
    } else if (Long.compareUnsigned(seq, lastSequence) <= 0) {
      stale.incrementAndGet();
      return new Admission(FrameDrop.STALE, "frame " + Long.toUnsignedString(seq) + " is not after "
          + Long.toUnsignedString(lastSequence), null, false);
    } else if (Long.compareUnsigned(seq - lastSequence, MAX_SEQUENCE_JUMP) > 0) {
      return new Admission(FrameDrop.SEQUENCE_JUMP, "sequence " + Long.toUnsignedString(seq) + " jumps "
          + Long.toUnsignedString(seq - lastSequence) + " past " + Long.toUnsignedString(lastSequence)
          + " (max " + MAX_SEQUENCE_JUMP + ")", null, false);
    } else if (mono != 0 && haveClockOffset && outOfClock(clockJump(mono, receivedNs))) {
      return new Admission(FrameDrop.TIMESTAMP, "frame " + Long.toUnsignedString(seq)
          + ": capture_time.monotonic_ns jumped " + clockJump(mono, receivedNs) / 1_000_000 + " ms against the"
          + " bridge clock (max " + MAX_CLOCK_JUMP_NS / 1_000_000 + ")", null, false);
    }
    if (mono != 0 && !haveClockOffset) {
      clockOffsetNs = minusSaturating(mono, receivedNs);
      haveClockOffset = true;
    }
    lastSequence = seq;
    lastAcceptedNs = receivedNs;
    if (newSession) {
      claimListener.accept(receivedNs);
    }
    latest = new ReceivedFrame(f, receivedNs);
    accepted.incrementAndGet();
    return new Admission(null, "", freshEvents(f), claim);
  }

  /** How far this frame's capture-to-arrival offset moved from the session's first (saturating). */
  private long clockJump(long mono, long receivedNs) {
    return minusSaturating(minusSaturating(mono, receivedNs), clockOffsetNs);
  }

  private static boolean outOfClock(long jump) {
    return jump > MAX_CLOCK_JUMP_NS || jump < -MAX_CLOCK_JUMP_NS;
  }

  private static long minusSaturating(long a, long b) {
    long d = a - b;
    return ((a ^ b) & (a ^ d)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : d;
  }

  private List<OperatorEvent> freshEvents(OperatorFrame f) {
    if (f.getEventsCount() == 0) {
      return List.of();
    }
    List<OperatorEvent> fresh = new ArrayList<>();
    for (OperatorEvent e : f.getEventsList()) {
      if (seenEvents.add(e.getEventId())) {
        fresh.add(e);
        if (seenEvents.size() > REMEMBERED_EVENTS) {
          seenEvents.remove(seenEvents.iterator().next());
        }
      }
    }
    return fresh;
  }

  private void expire(long nowNs) {
    if (owner != null && nowNs - lastAcceptedNs > ownerTimeoutNs) {
      owner = null;
    }
  }

  /** The session that owns the robot now, or null. */
  public synchronized String owner(long nowNs) {
    expire(nowNs);
    return owner;
  }

  /** The operator id of the owning session (as its frames name it), or null when nobody owns the robot. */
  public synchronized String ownerOperator(long nowNs) {
    expire(nowNs);
    return owner == null ? null : ownerOperator;
  }

  /** Releases the robot when {@code operatorId} owns it (its Last Will); true when it did. */
  public synchronized boolean release(String operatorId) {
    if (owner != null && ownerOperator.equals(operatorId)) {
      owner = null;
      return true;
    }
    return false;
  }

  /**
   * True when an operator session owned the robot and none does now (its frames stopped or its Last
   * Will arrived): the operator link is lost until a session claims the robot again.
   */
  public synchronized boolean linkLost(long nowNs) {
    expire(nowNs);
    return everOwned && owner == null;
  }

  public ReceivedFrame latest() {
    return latest;
  }

  public long staleCount() {
    return stale.get();
  }

  public long acceptedCount() {
    return accepted.get();
  }
}

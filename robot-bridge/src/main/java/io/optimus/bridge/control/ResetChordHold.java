package io.optimus.bridge.control;

import io.optimus.proto.v1.OperatorFrame;

/**
 * How long the operator has held the e-stop reset chord (left X + Y, i.e. left primary + secondary),
 * measured on the bridge from the arrival of the owning session's frames: the client's own 1 s timer
 * is not trusted. The hold counts only while consecutive frames all show the chord and arrive no
 * more than {@code maxGapNs} apart (a gap means nobody can tell whether it was let go).
 */
public final class ResetChordHold {
  public static final long HOLD_NS = 1_000_000_000L;

  private final long maxGapNs;
  private long sinceNs = -1;
  private long lastNs;

  public ResetChordHold(long maxGapNs) {
    this.maxGapNs = maxGapNs;
  }

  public static boolean held(OperatorFrame f) {
    var b = f.getLeft().getButtons();
    return b.getPrimary() && b.getSecondary();
  }

  /** Feeds one accepted frame; returns how long the chord has been held without a break (ns), or -1. */
  public long update(OperatorFrame f, long receivedNs) {
    if (!held(f)) {
      sinceNs = -1;
    } else if (sinceNs < 0 || receivedNs - lastNs > maxGapNs) {
      sinceNs = receivedNs;
    }
    lastNs = receivedNs;
    return sinceNs < 0 ? -1 : receivedNs - sinceNs;
  }

  /** Forgets the hold (a new session owns the robot). */
  public void clear() {
    sinceNs = -1;
  }
}

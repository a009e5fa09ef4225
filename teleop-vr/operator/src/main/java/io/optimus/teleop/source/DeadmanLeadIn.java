package io.optimus.teleop.source;

/**
 * A bridge engages only on a deliberate deadman press: a deadman already held in the first frame it
 * sees is refused (SAFETY_EVENT_REENGAGE_REFUSED), as a person holding the grip when the link comes up
 * may not mean it. Sources that hold the deadman from their first frame (a motion clip, a recording
 * made while held) therefore first stand still with it released for {@link #SECONDS}, then press it.
 */
public final class DeadmanLeadIn {
  /** Long enough for several frames to reach the bridge at any usual rate, short enough not to notice. */
  public static final double SECONDS = 0.3;
  public static final long NANOS = (long) (SECONDS * 1e9);

  private DeadmanLeadIn() {}
}

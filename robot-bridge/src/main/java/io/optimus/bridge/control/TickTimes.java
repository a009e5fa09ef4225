package io.optimus.bridge.control;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a control tick's time goes, per phase, in preallocated histograms (10 us buckets up to 40 ms, the
 * rest counted at 40 ms with the maximum kept): written by the control thread without allocating or
 * locking, read by anyone as cumulative counts ({@link #snapshot}) whose differences give a window.
 * Readers may see a tick half-recorded (a count off by one): figures, not control.
 *
 * <p>Besides the phases a tick measures ({@link Phase#READ} ... {@link Phase#REPORT}, {@link Phase#TICK} the
 * whole), a wall-time loop adds when the tick started after its scheduled time ({@link Phase#LATE}) and
 * how much of the tick the thread spent off a core ({@link Phase#OFF_CPU}: wall minus thread CPU time,
 * i.e. waiting for a core on a loaded machine, a GC safepoint or a lock).
 */
public final class TickTimes {
  /** The measured spans of a tick. */
  public enum Phase {
    /** Reading the body (for a physics body: its joint states). */
    READ("read"),
    /** The action source's target (the retargeter: filters and IK). */
    SOURCE("source"),
    /** The safety supervisor's tick (limits, braking, self-collision). */
    SAFETY("safety"),
    /** Writing the command to the body (for a physics body: one physics step). */
    WRITE("write"),
    /** Forward kinematics of the hands and the task world's step (copying the physics objects). */
    WORLD("world"),
    /** Building and handing on the reports (JointState, task and safety status) to the outputs. */
    REPORT("report"),
    /** The whole tick. */
    TICK("tick"),
    /** How late the tick started after its scheduled time (wall-time loop only). */
    LATE("late"),
    /** The tick's wall time minus the thread's CPU time in it (wall-time loop only). */
    OFF_CPU("off-cpu");

    private final String key;

    Phase(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }
  }

  static final long BUCKET_NS = 10_000;
  static final int BUCKETS = 4000; // 40 ms; the last bucket holds everything longer
  private static final Phase[] PHASES = Phase.values();

  private final long[][] counts = new long[PHASES.length][BUCKETS];
  private final long[] maxNs = new long[PHASES.length];

  /** Adds one span of {@code phase} (control thread). */
  public void add(Phase phase, long ns) {
    int p = phase.ordinal();
    long b = Math.max(0, ns) / BUCKET_NS;
    counts[p][(int) Math.min(BUCKETS - 1, b)]++;
    if (ns > maxNs[p]) {
      maxNs[p] = ns;
    }
  }

  /** The cumulative counts so far (a copy; allocates, any thread). */
  public Snapshot snapshot() {
    long[][] c = new long[PHASES.length][];
    for (int p = 0; p < c.length; p++) {
      c[p] = counts[p].clone();
    }
    return new Snapshot(c, maxNs.clone());
  }

  /** Cumulative per-phase counts; {@link #since} gives a window between two of them. */
  public record Snapshot(long[][] counts, long[] maxNs) {
    /** The spans added after {@code earlier} (its maxima are the whole run's, not the window's). */
    public Snapshot since(Snapshot earlier) {
      long[][] c = new long[counts.length][];
      for (int p = 0; p < c.length; p++) {
        c[p] = counts[p].clone();
        for (int i = 0; i < c[p].length; i++) {
          c[p][i] -= earlier.counts[p][i];
        }
      }
      return new Snapshot(c, maxNs.clone());
    }

    /** Spans of {@code phase} counted. */
    public long count(Phase phase) {
      return Arrays.stream(counts[phase.ordinal()]).sum();
    }

    /** Spans of {@code phase} of at least {@code ns} (to the bucket: 10 us). */
    public long countAtLeast(Phase phase, long ns) {
      long[] c = counts[phase.ordinal()];
      long n = 0;
      for (int i = (int) Math.min(BUCKETS - 1, ns / BUCKET_NS); i < c.length; i++) {
        n += c[i];
      }
      return n;
    }

    /** The q-quantile (0..1) of {@code phase} in ms, to the bucket's upper edge; NaN when empty. */
    public double quantileMs(Phase phase, double q) {
      long[] c = counts[phase.ordinal()];
      long total = Arrays.stream(c).sum();
      if (total == 0) {
        return Double.NaN;
      }
      long rank = Math.max(1, (long) Math.ceil(q * total));
      long seen = 0;
      for (int i = 0; i < c.length; i++) {
        seen += c[i];
        if (seen >= rank) {
          return (i + 1) * BUCKET_NS / 1e6;
        }
      }
      return BUCKETS * BUCKET_NS / 1e6;
    }

    /** The longest span of {@code phase} since the start, ms. */
    public double maxMs(Phase phase) {
      return maxNs[phase.ordinal()] / 1e6;
    }

    /** One line: p50/p99 per phase in ms, e.g. {@code tick 0.62/2.10 write 0.41/1.20 ...}. */
    public String describe() {
      StringBuilder sb = new StringBuilder();
      for (Phase p : PHASES) {
        if (count(p) == 0) {
          continue;
        }
        if (!sb.isEmpty()) {
          sb.append(' ');
        }
        sb.append(String.format(Locale.ROOT, "%s %.2f/%.2f", p.key(), quantileMs(p, 0.5), quantileMs(p, 0.99)));
      }
      return sb.toString();
    }
  }
}

package io.optimus.motion.retarget;

import java.util.Arrays;

/**
 * Live per-segment closeness of the robot to the scaled operator over the last {@link #WINDOW}
 * samples of each segment: {@link #add} per retargeted frame is allocation-free (ring buffers);
 * {@link #summary} (at status rate) sorts a copy. Not thread-safe.
 */
public final class LiveCloseness {
  /** Samples kept per segment (both sides pooled): a few seconds of a 90 Hz operator. */
  public static final int WINDOW = 512;
  private static final int S = LiveSegment.COUNT;
  private final double[][] position = new double[S][WINDOW];
  private final double[][] orientation = new double[S][WINDOW];
  private final int[] next = new int[S];
  private final int[] count = new int[S];
  private final double[] scratch = new double[WINDOW];
  private final double[] p = new double[2 * S];
  private final double[] r = new double[2 * S];
  private long frames;

  /**
   * Adds one frame's errors: {@code positionM[2 s + side]} metres and {@code orientationDeg[...]}
   * degrees per {@link LiveSegment} s and side (0 left, 1 right; head and torso use side 0 only);
   * NaN where not measured. A sample needs both.
   */
  public void add(double[] positionM, double[] orientationDeg) {
    frames++;
    for (int s = 0; s < S; s++) {
      for (int side = 0; side < 2; side++) {
        double pe = positionM[2 * s + side];
        double re = orientationDeg[2 * s + side];
        if (Double.isNaN(pe) || Double.isNaN(re)) {
          continue;
        }
        int i = next[s];
        position[s][i] = pe;
        orientation[s][i] = re;
        next[s] = (i + 1) % WINDOW;
        if (count[s] < WINDOW) {
          count[s]++;
        }
      }
    }
  }

  /** Frames measured so far. */
  public long frames() {
    return frames;
  }

  /** The window's figures for one segment, or null when it has no samples. */
  public Closeness summary(LiveSegment segment) {
    int s = segment.ordinal();
    return Closeness.of(position[s], orientation[s], count[s], scratch);
  }

  public void clear() {
    Arrays.fill(count, 0);
    Arrays.fill(next, 0);
    frames = 0;
  }

  /** Scratch arrays of the right size for {@link #add}, owned by this meter (so callers need none). */
  double[] positionBuffer() {
    Arrays.fill(p, Double.NaN);
    return p;
  }

  double[] orientationBuffer() {
    Arrays.fill(r, Double.NaN);
    return r;
  }
}

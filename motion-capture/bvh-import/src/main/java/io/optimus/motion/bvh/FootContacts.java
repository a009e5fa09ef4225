package io.optimus.motion.bvh;

/**
 * When each of the human's feet is planted: the ankle is close to its lowest height in the clip and
 * barely moving horizontally. Short runs (under {@link #MIN_RUN_S}) are dropped so a passing foot
 * does not count as a step.
 */
public final class FootContacts {
  /** Height above the ankle's lowest point still counted as on the floor, metres. */
  public static final double HEIGHT_TOLERANCE_M = 0.05;
  /** Horizontal ankle speed still counted as planted, m/s. */
  public static final double SPEED_TOLERANCE_MPS = 0.25;
  /** Shortest contact kept, seconds. */
  public static final double MIN_RUN_S = 0.1;

  private final boolean[] left;
  private final boolean[] right;

  private FootContacts(boolean[] left, boolean[] right) {
    this.left = left;
    this.right = right;
  }

  public static FootContacts detect(KeypointMotion m) {
    return new FootContacts(detect(m, Keypoint.LEFT_ANKLE), detect(m, Keypoint.RIGHT_ANKLE));
  }

  static boolean[] detect(KeypointMotion m, Keypoint ankle) {
    int n = m.frameCount();
    double low = Double.POSITIVE_INFINITY;
    for (int f = 0; f < n; f++) {
      low = Math.min(low, m.position(f, ankle, 2));
    }
    boolean[] c = new boolean[n];
    for (int f = 0; f < n; f++) {
      int a = Math.max(0, f - 1);
      int b = Math.min(n - 1, f + 1);
      double dt = Math.max(1, b - a) * m.frameTime();
      double vx = (m.position(b, ankle, 0) - m.position(a, ankle, 0)) / dt;
      double vy = (m.position(b, ankle, 1) - m.position(a, ankle, 1)) / dt;
      c[f] = m.position(f, ankle, 2) - low < HEIGHT_TOLERANCE_M && Math.hypot(vx, vy) < SPEED_TOLERANCE_MPS;
    }
    int minRun = (int) Math.ceil(MIN_RUN_S / m.frameTime());
    for (int f = 0; f < n; ) {
      if (!c[f]) {
        f++;
        continue;
      }
      int end = f;
      while (end < n && c[end]) {
        end++;
      }
      if (end - f < minRun) {
        java.util.Arrays.fill(c, f, end, false);
      }
      f = end;
    }
    return c;
  }

  public boolean left(int frame) {
    return left[frame];
  }

  public boolean right(int frame) {
    return right[frame];
  }

  /** Contact of the foot whose ankle keypoint is given. */
  public boolean inContact(Keypoint ankle, int frame) {
    return ankle == Keypoint.LEFT_ANKLE ? left[frame] : right[frame];
  }

  /** Fraction of frames with the given foot planted. */
  public double fraction(Keypoint ankle) {
    boolean[] c = ankle == Keypoint.LEFT_ANKLE ? left : right;
    int k = 0;
    for (boolean b : c) {
      if (b) {
        k++;
      }
    }
    return (double) k / c.length;
  }
}

package io.optimus.policy.runtime;

/**
 * ACT's temporal ensembling: a chunk of H targets is predicted every tick, so up to H predictions
 * exist for the current tick; they are averaged with weights w_i = exp(-m i), where i = 0 is the
 * OLDEST prediction (as in Zhao et al. 2023: older predictions weigh more, which smooths motion).
 * m = 0 is a plain average; m &lt; 0 weighs the newest predictions more, so the executed target
 * follows what the policy sees now rather than lagging behind it. Allocation-free after construction.
 */
public final class TemporalEnsembler {
  private final int chunk;
  private final int joints;
  private final double decay;
  private final float[][] chunks;
  private final long[] startTick;
  private int stored;

  public TemporalEnsembler(int chunk, int joints, double decay) {
    if (chunk < 1 || joints < 1 || !Double.isFinite(decay)) {
      throw new IllegalArgumentException("ensembler: chunk " + chunk + ", joints " + joints + ", decay " + decay);
    }
    this.chunk = chunk;
    this.joints = joints;
    this.decay = decay;
    this.chunks = new float[chunk][chunk * joints];
    this.startTick = new long[chunk];
    reset();
  }

  public void reset() {
    stored = 0;
    java.util.Arrays.fill(startTick, Long.MIN_VALUE);
  }

  /** Records the chunk predicted at {@code tick} (H x J joint targets starting at that tick). */
  public void add(long tick, float[] chunkTargets) {
    int slot = (int) Math.floorMod(tick, chunk);
    System.arraycopy(chunkTargets, 0, chunks[slot], 0, chunk * joints);
    startTick[slot] = tick;
    stored = Math.min(chunk, stored + 1);
  }

  /** The ensembled target for {@code tick} into {@code out} (J values); false when no chunk covers it. */
  public boolean target(long tick, float[] out) {
    java.util.Arrays.fill(out, 0, joints, 0f);
    double weightSum = 0;
    // Oldest first: the chunk started H-1 ticks ago has i = 0.
    int i = 0;
    for (long start = tick - chunk + 1; start <= tick; start++) {
      int slot = (int) Math.floorMod(start, chunk);
      if (startTick[slot] != start) {
        continue;
      }
      double w = Math.exp(-decay * i);
      i++;
      int offset = (int) (tick - start) * joints;
      float[] c = chunks[slot];
      for (int j = 0; j < joints; j++) {
        out[j] += (float) (w * c[offset + j]);
      }
      weightSum += w;
    }
    if (weightSum == 0) {
      return false;
    }
    for (int j = 0; j < joints; j++) {
      out[j] = (float) (out[j] / weightSum);
    }
    return true;
  }

  /**
   * How far apart the overlapping chunks' predictions for {@code tick} are: per joint the standard
   * deviation across the chunks covering it, averaged over joints (rad); 0 with fewer than two.
   */
  public double spread(long tick) {
    int covering = 0;
    double sum = 0;
    for (int j = 0; j < joints; j++) {
      double s = 0;
      double s2 = 0;
      int n = 0;
      for (long start = tick - chunk + 1; start <= tick; start++) {
        int slot = (int) Math.floorMod(start, chunk);
        if (startTick[slot] != start) {
          continue;
        }
        double v = chunks[slot][(int) (tick - start) * joints + j];
        s += v;
        s2 += v * v;
        n++;
      }
      covering = n;
      if (n > 1) {
        double mean = s / n;
        sum += Math.sqrt(Math.max(0, s2 / n - mean * mean));
      }
    }
    return covering > 1 ? sum / joints : 0;
  }
}

package io.optimus.policy.data;

import io.optimus.policy.encode.FeatureShape;

/**
 * How raw robot state becomes the normalized network input, shared by training and inference so
 * the two cannot drift: state = [q_t, dq_t, q_{t-1}, ..., q_{t-history}] per joint, each normalized
 * with the training statistics; features normalized per channel; actions = H commanded positions.
 */
public record ObservationLayout(int joints, int history, boolean velocity, int chunk, FeatureShape featureShape,
    int extraActions) {
  /** Joint-space actions only (every policy before the {@code action} option). */
  public ObservationLayout(int joints, int history, boolean velocity, int chunk, FeatureShape featureShape) {
    this(joints, history, velocity, chunk, featureShape, 0);
  }

  /** The same layout with {@code n} numbers appended to each action after the joints (e.g. palm poses). */
  public ObservationLayout withExtraActions(int n) {
    return new ObservationLayout(joints, history, velocity, chunk, featureShape, n);
  }

  /** Numbers per action: the joint targets, then the extras. */
  public int actionWidth() {
    return joints + extraActions;
  }

  public int stateSize() {
    return joints * (1 + (velocity ? 1 : 0) + history);
  }

  public int featureSize() {
    return featureShape == null ? 0 : featureShape.size();
  }

  public int actionSize() {
    return actionWidth() * chunk;
  }

  /**
   * Writes the normalized state of tick {@code t}; {@code qAt} gives q at any earlier tick (clamped
   * to the first tick by the caller).
   */
  public void encodeState(Normalizer n, float[] q, float[] dq, QHistory past, float[] out, int offset) {
    int j = joints;
    for (int i = 0; i < j; i++) {
      out[offset + i] = (q[i] - n.qMean()[i]) / n.qStd()[i];
    }
    int base0 = offset + j;
    if (velocity) {
      for (int i = 0; i < j; i++) {
        out[base0 + i] = (dq[i] - n.dqMean()[i]) / n.dqStd()[i];
      }
      base0 += j;
    }
    for (int k = 1; k <= history; k++) {
      float[] qk = past.qBefore(k);
      int base = base0 + j * (k - 1);
      for (int i = 0; i < j; i++) {
        out[base + i] = (qk[i] - n.qMean()[i]) / n.qStd()[i];
      }
    }
  }

  public void encodeFeatures(Normalizer n, float[] features, float[] out, int offset) {
    int c = featureShape.channels();
    int size = featureShape.size();
    for (int k = 0; k < size; k++) {
      int ch = k % c;
      out[offset + k] = (features[k] - n.featureMean()[ch]) / n.featureStd()[ch];
    }
  }

  /**
   * Normalized chunk of commanded positions from tick t on, the last one repeated past the end
   * ({@code commanded} rows hold {@link #actionWidth()} numbers: the joints, then any extras).
   */
  public void encodeActions(Normalizer n, float[][] commanded, int t, float[] out, int offset) {
    int j = actionWidth();
    for (int h = 0; h < chunk; h++) {
      float[] a = commanded[Math.min(t + h, commanded.length - 1)];
      for (int i = 0; i < j; i++) {
        out[offset + h * j + i] = (a[i] - n.actionMean()[i]) / n.actionStd()[i];
      }
    }
  }

  /** Network output (normalized, H x width) back to joint positions (and extras), into {@code out}. */
  public void decodeActions(Normalizer n, float[] normalized, float[] out) {
    int j = actionWidth();
    for (int k = 0; k < chunk * j; k++) {
      int i = k % j;
      out[k] = normalized[k] * n.actionStd()[i] + n.actionMean()[i];
    }
  }

  /** Earlier joint positions: {@code qBefore(k)} is q at k ticks ago. */
  @FunctionalInterface
  public interface QHistory {
    float[] qBefore(int k);
  }
}

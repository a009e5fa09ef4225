package io.optimus.policy.train;

import ai.djl.ndarray.NDManager;
import io.optimus.policy.data.JointLayout;
import io.optimus.policy.data.Normalizer;
import io.optimus.policy.data.ObservationLayout;
import io.optimus.policy.data.SampleWindows;
import io.optimus.policy.model.PolicyModel;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs a network over held-out samples and measures its action error and its normalized L1 loss. */
public final class HeldOutEvaluator {
  private static final int BATCH = 256;

  private HeldOutEvaluator() {}

  /** Mean L1 loss on normalized actions over up to {@code maxSamples} evenly spaced samples. */
  public static double loss(PolicyModel block, NDManager manager, SampleWindows windows, int maxSamples) {
    return losses(block, manager, windows, maxSamples, Map.of()).get(TOTAL);
  }

  /** The key of the loss over every joint in {@link #losses}. */
  public static final String TOTAL = "total";

  /**
   * Mean L1 loss on normalized actions over up to {@code maxSamples} evenly spaced samples: over
   * every joint ({@link #TOTAL}, the training loss) and over each joint group's joints alone.
   */
  public static Map<String, Double> losses(PolicyModel block, NDManager manager, SampleWindows windows, int maxSamples,
      Map<String, int[]> groups) {
    Map<String, Double> out = new LinkedHashMap<>();
    int n = windows.size();
    if (n == 0) {
      out.put(TOTAL, Double.NaN);
      groups.keySet().forEach(g -> out.put(g, Double.NaN));
      return out;
    }
    int count = Math.min(n, maxSamples);
    int[] ids = new int[count];
    for (int i = 0; i < count; i++) {
      ids[i] = (int) ((long) i * n / count);
    }
    double sum = 0;
    ObservationLayout l = windows.layout();
    double[] perJoint = new double[l.actionWidth()];
    for (int from = 0; from < count; from += BATCH) {
      int b = Math.min(BATCH, count - from);
      float[][] batch = fill(windows, ids, from, b);
      float[] pred = block.predict(manager, batch[0], batch[1], b);
      for (int k = 0; k < pred.length; k++) {
        double e = Math.abs(pred[k] - batch[2][k]);
        sum += e;
        perJoint[k % l.actionWidth()] += e;
      }
    }
    out.put(TOTAL, sum / ((double) count * l.actionSize()));
    for (Map.Entry<String, int[]> g : groups.entrySet()) {
      double e = 0;
      for (int i : g.getValue()) {
        e += perJoint[i];
      }
      out.put(g.getKey(), e / ((double) count * l.chunk() * g.getValue().length));
    }
    return out;
  }

  public static ActionErrors actionErrors(PolicyModel block, NDManager manager, SampleWindows windows, Normalizer norm,
      JointLayout joints) {
    ObservationLayout l = windows.layout();
    int j = l.joints();
    int w = l.actionWidth(); // the joints, then any extras (palm poses: not joint errors, left out here)
    int h = l.chunk();
    double[] err = new double[j];
    double[] first = new double[j];
    double[] base = new double[j];
    int n = windows.size();
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    float[] predJoint = new float[l.actionSize()];
    float[] trueJoint = new float[l.actionSize()];
    for (int from = 0; from < n; from += BATCH) {
      int b = Math.min(BATCH, n - from);
      float[][] batch = fill(windows, ids, from, b);
      float[] pred = block.predict(manager, batch[0], batch[1], b);
      float[] row = new float[l.actionSize()];
      for (int s = 0; s < b; s++) {
        System.arraycopy(pred, s * l.actionSize(), row, 0, l.actionSize());
        l.decodeActions(norm, row, predJoint);
        System.arraycopy(batch[2], s * l.actionSize(), row, 0, l.actionSize());
        l.decodeActions(norm, row, trueJoint);
        for (int k = 0; k < h * w; k++) {
          int i = k % w;
          if (i >= j) {
            continue;
          }
          double e = Math.abs(predJoint[k] - trueJoint[k]);
          err[i] += e;
          base[i] += Math.abs(norm.actionMean()[i] - trueJoint[k]);
          if (k < w) {
            first[i] += e;
          }
        }
      }
    }
    Map<String, Double> perGroup = new LinkedHashMap<>();
    Map<String, Double> basePerGroup = new LinkedHashMap<>();
    double total = 0;
    double totalFirst = 0;
    double totalBase = 0;
    for (int i = 0; i < j; i++) {
      total += err[i];
      totalFirst += first[i];
      totalBase += base[i];
    }
    for (Map.Entry<String, int[]> g : joints.groupIndices().entrySet()) {
      double e = 0;
      double bse = 0;
      for (int i : g.getValue()) {
        e += err[i];
        bse += base[i];
      }
      double denom = (double) n * h * g.getValue().length;
      perGroup.put(g.getKey(), e / denom);
      basePerGroup.put(g.getKey(), bse / denom);
    }
    double denom = (double) n * h * j;
    return new ActionErrors(n, total / denom, totalFirst / ((double) n * j), perGroup, totalBase / denom, basePerGroup);
  }

  private static float[][] fill(SampleWindows windows, int[] ids, int from, int b) {
    ObservationLayout l = windows.layout();
    float[] state = new float[b * l.stateSize()];
    float[] feat = l.featureShape() == null ? null : new float[b * l.featureSize()];
    float[] act = new float[b * l.actionSize()];
    windows.fill(ids, from, b, state, feat, act);
    return new float[][] {state, feat, act};
  }
}

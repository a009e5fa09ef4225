package io.optimus.policy.data;

import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.policy.encode.FeatureShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Per-dimension mean and standard deviation of observations and actions, computed once on the
 * training episodes and saved with the model so inference normalizes exactly as training did.
 * Image features are normalized per channel. Standard deviations are floored so constant joints
 * (a locked finger) do not divide by zero.
 */
public record Normalizer(float[] qMean, float[] qStd, float[] dqMean, float[] dqStd, float[] actionMean,
    float[] actionStd, float[] featureMean, float[] featureStd) {
  static final float MIN_STD = 1e-3f;

  /** Statistics of the given (training) episodes; the action statistics are those of the commanded positions. */
  public static Normalizer fit(List<EpisodeData> episodes, FeatureShape featureShape) {
    int j = episodes.get(0).q()[0].length;
    Moments q = new Moments(j);
    Moments dq = new Moments(j);
    Moments a = new Moments(episodes.get(0).commanded()[0].length); // joints, then any extra action numbers
    Moments f = featureShape == null ? null : new Moments(featureShape.channels());
    for (EpisodeData e : episodes) {
      for (int t = 0; t < e.length(); t++) {
        q.add(e.q()[t], 1);
        dq.add(e.dq()[t], 1);
        a.add(e.commanded()[t], 1);
        if (f != null) {
          f.add(e.features()[t], featureShape.tokens());
        }
      }
    }
    return new Normalizer(q.mean(), q.std(), dq.mean(), dq.std(), a.mean(), a.std(),
        f == null ? null : f.mean(), f == null ? null : f.std());
  }

  public void save(Path file) throws IOException {
    Files.writeString(file, Json.write(this));
  }

  /**
   * Reads a saved normalizer for a policy of {@code joints} joints and {@code featureChannels} image
   * channels (0 without images); anything that would turn observations into NaN or misread them
   * (a missing or non-finite value, a standard deviation that is not positive, a length that does not
   * match) is refused naming the file and the field.
   */
  public static Normalizer load(Path file, int joints, int featureChannels) {
    return load(file, joints, joints, featureChannels);
  }

  /** As {@link #load(Path, int, int)} for actions of {@code actionWidth} numbers (joints, then extras). */
  public static Normalizer load(Path file, int joints, int actionWidth, int featureChannels) {
    Normalizer n;
    try {
      n = Json.MAPPER.readValue(file.toFile(), Normalizer.class);
    } catch (IOException e) {
      String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
          : e.toString();
      throw new InputException("normalizer " + file + ": cannot read: " + why, e);
    }
    if (n == null) {
      throw new InputException("normalizer " + file + ": empty");
    }
    check(file, "qMean", n.qMean, joints, false);
    check(file, "qStd", n.qStd, joints, true);
    check(file, "dqMean", n.dqMean, joints, false);
    check(file, "dqStd", n.dqStd, joints, true);
    check(file, "actionMean", n.actionMean, actionWidth, false);
    check(file, "actionStd", n.actionStd, actionWidth, true);
    if (featureChannels > 0) {
      check(file, "featureMean", n.featureMean, featureChannels, false);
      check(file, "featureStd", n.featureStd, featureChannels, true);
    }
    return n;
  }

  private static void check(Path file, String field, float[] v, int length, boolean std) {
    if (v == null || v.length != length) {
      throw new InputException("normalizer " + file + ": field " + field + " has " + (v == null ? "no" : v.length)
          + " values, the policy needs " + length);
    }
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i]) || (std && !(v[i] > 0))) {
        throw new InputException("normalizer " + file + ": field " + field + "[" + i + "] = " + v[i] + " is not "
            + (std ? "a positive number" : "a finite number"));
      }
    }
  }

  /** Running sums in double; values of one record may hold several tokens of {@code dims} each. */
  private static final class Moments {
    final double[] sum;
    final double[] sumSq;
    long n;

    Moments(int dims) {
      sum = new double[dims];
      sumSq = new double[dims];
    }

    void add(float[] v, int tokens) {
      int d = sum.length;
      for (int k = 0; k < tokens; k++) {
        for (int i = 0; i < d; i++) {
          double x = v[k * d + i];
          sum[i] += x;
          sumSq[i] += x * x;
        }
        n++;
      }
    }

    float[] mean() {
      float[] m = new float[sum.length];
      for (int i = 0; i < m.length; i++) {
        m[i] = (float) (sum[i] / n);
      }
      return m;
    }

    float[] std() {
      float[] s = new float[sum.length];
      for (int i = 0; i < s.length; i++) {
        double mean = sum[i] / n;
        double var = Math.max(0, sumSq[i] / n - mean * mean);
        s[i] = (float) Math.max(MIN_STD, Math.sqrt(var));
      }
      return s;
    }
  }
}

package io.optimus.policy.data;

import io.optimus.policy.encode.ImageEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic demonstrations with a known answer, for testing that policies learn: an arm reaches,
 * with a minimum-jerk motion, a joint configuration that is a smooth nonlinear function of a target
 * position seen only in the camera image (a red disc on a grey table). The measured position lags
 * the command by one tick, as on the robot.
 */
public final class SyntheticReaching {
  public static final int JOINTS = 6;
  public static final double RATE_HZ = 50;

  private final int ticks;
  private final int imageSize;

  public SyntheticReaching(int ticks, int imageSize) {
    this.ticks = ticks;
    this.imageSize = imageSize;
  }

  public static JointLayout layout() {
    return new JointLayout(List.of("shoulder_pitch", "shoulder_roll", "elbow", "wrist", "finger_a", "finger_b"),
        List.of("arm", "arm", "arm", "arm", "hand", "hand"));
  }

  /** The goal joint configuration for a target at image coordinates (u, v) in [0, 1]. */
  public static float[] goal(double u, double v) {
    float[] g = new float[JOINTS];
    for (int i = 0; i < JOINTS; i++) {
      g[i] = (float) (0.8 * Math.sin(2.2 * u + 0.7 * i) + 0.6 * Math.cos(1.7 * v - 0.4 * i) - 0.3 * u * v);
    }
    return g;
  }

  /** One task instance: the target in the image and the arm's start. */
  public record Instance(double u, double v, float[] start) {}

  public Instance instance(Random r) {
    float[] start = new float[JOINTS];
    for (int i = 0; i < JOINTS; i++) {
      start[i] = (float) (0.05 * r.nextGaussian());
    }
    return new Instance(0.15 + 0.7 * r.nextDouble(), 0.15 + 0.7 * r.nextDouble(), start);
  }

  /** RGB8 image of the scene: grey background, red disc at the target. */
  public byte[] render(Instance inst) {
    int n = imageSize;
    byte[] img = new byte[n * n * 3];
    double cx = inst.u() * n;
    double cy = inst.v() * n;
    double r2 = Math.pow(n / 10.0, 2);
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        boolean disc = (x + 0.5 - cx) * (x + 0.5 - cx) + (y + 0.5 - cy) * (y + 0.5 - cy) <= r2;
        int p = (y * n + x) * 3;
        img[p] = (byte) (disc ? 220 : 120);
        img[p + 1] = (byte) (disc ? 30 : 120);
        img[p + 2] = (byte) (disc ? 30 : 120);
      }
    }
    return img;
  }

  /** The demonstrator's command at tick t (minimum-jerk from start to goal over 70% of the episode). */
  public float[] command(Instance inst, int t) {
    float[] g = goal(inst.u(), inst.v());
    double tau = Math.min(1, (t + 1) / (0.7 * ticks));
    double s = tau * tau * tau * (10 - 15 * tau + 6 * tau * tau);
    float[] c = new float[JOINTS];
    for (int i = 0; i < JOINTS; i++) {
      c[i] = (float) (inst.start()[i] + (g[i] - inst.start()[i]) * s);
    }
    return c;
  }

  public EpisodeData episode(String id, Instance inst, ImageEncoder encoder) {
    float[][] q = new float[ticks][];
    float[][] dq = new float[ticks][];
    float[][] cmd = new float[ticks][];
    float[][] feat = encoder == null ? null : new float[ticks][];
    float[] f = encoder == null ? null : encoder.encode(render(inst), imageSize, imageSize);
    for (int t = 0; t < ticks; t++) {
      cmd[t] = command(inst, t);
      q[t] = t == 0 ? inst.start().clone() : cmd[t - 1];
      dq[t] = new float[JOINTS];
      if (t > 0) {
        for (int i = 0; i < JOINTS; i++) {
          dq[t][i] = (float) ((q[t][i] - q[t - 1][i]) * RATE_HZ);
        }
      }
      if (feat != null) {
        feat[t] = f; // the scene is static: one image per episode
      }
    }
    return new EpisodeData(id, q, dq, cmd, feat, true);
  }

  public DemoSet generate(int episodes, ImageEncoder encoder, long seed) {
    return generate(episodes, encoder, seed, List.of(RecordedDemos.CAMERA));
  }

  /** Each of {@code cameras} sees the one image of the scene (a synthetic set has no other views). */
  public DemoSet generate(int episodes, ImageEncoder encoder, long seed, List<String> cameras) {
    Random r = new Random(seed);
    List<EpisodeData> list = new ArrayList<>();
    int views = cameras.size();
    for (int e = 0; e < episodes; e++) {
      EpisodeData one = episode(String.format("synthetic-%04d", e), instance(r), encoder);
      if (encoder != null && views > 1) {
        float[] f = one.features()[0];
        float[] all = new float[views * f.length];
        for (int v = 0; v < views; v++) {
          System.arraycopy(f, 0, all, v * f.length, f.length);
        }
        float[][] feat = new float[one.length()][];
        java.util.Arrays.fill(feat, all);
        one = new EpisodeData(one.id(), one.q(), one.dq(), one.commanded(), feat, one.success());
      }
      list.add(one);
    }
    return new DemoSet(layout(), encoder == null ? null : encoder.shape().withViews(views),
        encoder == null ? "none" : encoder.id(), RATE_HZ, list, cameras);
  }
}

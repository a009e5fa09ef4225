package io.optimus.motion.bvh;

import io.optimus.motion.geometry.Rotations;
import java.util.Arrays;

/**
 * A human's keypoint trajectories from a BVH clip, in metres, z up, in a "stage" frame: the floor
 * (lowest joint over the clip) at z = 0, the pelvis at frame 0 above the origin, and the human facing
 * +x at frame 0 (x forward, y left, z up, like the robot base and the operator frame).
 *
 * <p>Orientations are stored per keypoint as Hamilton quaternions (w, x, y, z), calibrated so every
 * keypoint's orientation is the identity at frame 0: BVH rest poses differ between rigs, so only
 * rotations relative to the first frame mean the same thing everywhere.
 */
public final class KeypointMotion {
  /** Keypoints per frame. */
  public static final int K = Keypoint.values().length;

  private final String source;
  private final double frameTime;
  private final int frames;
  private final double[] positions;
  private final double[] quats;
  private final double[] yaw;

  private KeypointMotion(String source, double frameTime, int frames, double[] positions, double[] quats,
      double[] yaw) {
    this.source = source;
    this.frameTime = frameTime;
    this.frames = frames;
    this.positions = positions;
    this.quats = quats;
    this.yaw = yaw;
  }

  /** Extracts keypoints from every frame of a clip. */
  public static KeypointMotion from(BvhClip clip, SkeletonMap map) {
    int n = clip.frameCount();
    int[] joint = map.jointIndices();
    BvhPose pose = new BvhPose(clip);
    double[] raw = new double[n * K * 3];
    double[] rot = new double[n * K * 9];
    double[] m = new double[9];
    double floor = Double.POSITIVE_INFINITY;
    for (int f = 0; f < n; f++) {
      pose.setFrame(f);
      for (int j = 0; j < clip.skeleton().jointCount(); j++) {
        floor = Math.min(floor, pose.position(j, 2));
      }
      for (int k = 0; k < K; k++) {
        pose.position(joint[k], raw, (f * K + k) * 3);
        pose.rotation(joint[k], m);
        System.arraycopy(m, 0, rot, (f * K + k) * 9, 9);
      }
    }
    double yaw0 = facingYaw(raw, 0);
    double c = Math.cos(-yaw0);
    double s = Math.sin(-yaw0);
    double px = raw[Keypoint.PELVIS.ordinal() * 3];
    double py = raw[Keypoint.PELVIS.ordinal() * 3 + 1];
    double[] positions = new double[raw.length];
    for (int i = 0; i < n * K; i++) {
      double x = raw[3 * i] - px;
      double y = raw[3 * i + 1] - py;
      positions[3 * i] = c * x - s * y;
      positions[3 * i + 1] = s * x + c * y;
      positions[3 * i + 2] = raw[3 * i + 2] - floor;
    }
    // Calibrated orientation: C(f) = Yaw(-yaw0) G(f) G(0)^T Yaw(yaw0), the identity at frame 0.
    double[] toStage = new double[9];
    double[] fromStage = new double[9];
    Rotations.matrixFromYaw(-yaw0, toStage);
    Rotations.matrixFromYaw(yaw0, fromStage);
    double[] quats = new double[n * K * 4];
    double[] a = new double[9];
    double[] b = new double[9];
    double[] g0 = new double[9];
    double[] gf = new double[9];
    for (int f = 0; f < n; f++) {
      for (int k = 0; k < K; k++) {
        System.arraycopy(rot, k * 9, g0, 0, 9);
        System.arraycopy(rot, (f * K + k) * 9, gf, 0, 9);
        Rotations.matrixMultiplyTransposed(gf, g0, a);
        Rotations.matrixMultiply(toStage, a, b);
        Rotations.matrixMultiply(b, fromStage, a);
        Rotations.matrixToQuat(a, 0, quats, (f * K + k) * 4);
      }
    }
    double[] yaw = new double[n];
    for (int f = 0; f < n; f++) {
      yaw[f] = facingYaw(positions, f);
    }
    unwrap(yaw);
    return new KeypointMotion(clip.name(), clip.frameTime(), n, positions, quats, yaw);
  }

  /** Heading of the body (radians about z) from the hip and shoulder lines: forward = left x up. */
  private static double facingYaw(double[] p, int f) {
    double lx = 0;
    double ly = 0;
    int[][] pairs = {{Keypoint.LEFT_HIP.ordinal(), Keypoint.RIGHT_HIP.ordinal()},
        {Keypoint.LEFT_SHOULDER.ordinal(), Keypoint.RIGHT_SHOULDER.ordinal()}};
    for (int[] pair : pairs) {
      lx += p[(f * K + pair[0]) * 3] - p[(f * K + pair[1]) * 3];
      ly += p[(f * K + pair[0]) * 3 + 1] - p[(f * K + pair[1]) * 3 + 1];
    }
    // forward = left x z_up = (ly, -lx, 0)
    return Math.atan2(-lx, ly);
  }

  private static void unwrap(double[] a) {
    for (int i = 1; i < a.length; i++) {
      while (a[i] - a[i - 1] > Math.PI) {
        a[i] -= 2 * Math.PI;
      }
      while (a[i] - a[i - 1] < -Math.PI) {
        a[i] += 2 * Math.PI;
      }
    }
  }

  public String source() {
    return source;
  }

  public int frameCount() {
    return frames;
  }

  public double frameTime() {
    return frameTime;
  }

  public double durationSeconds() {
    return (frames - 1) * frameTime;
  }

  /** Keypoint coordinate (metres, stage frame) at a frame; axis 0..2. */
  public double position(int frame, Keypoint k, int axis) {
    return positions[(frame * K + k.ordinal()) * 3 + axis];
  }

  /** Calibrated orientation component (w, x, y, z) = 0..3 at a frame. */
  public double orientation(int frame, Keypoint k, int component) {
    return quats[(frame * K + k.ordinal()) * 4 + component];
  }

  /** Body heading at a frame, radians about z (0 at frame 0, unwrapped: continuous over turns). */
  public double heading(int frame) {
    return yaw[frame];
  }

  /**
   * All keypoint positions at time {@code t} seconds (clamped to the clip), linearly interpolated
   * between frames, into {@code out} (K * 3 values, keypoint ordinal order). Allocation-free.
   */
  public void samplePositions(double t, double[] out) {
    double x = Math.max(0, Math.min(frames - 1, t / frameTime));
    int f0 = (int) Math.floor(x);
    int f1 = Math.min(frames - 1, f0 + 1);
    double w = x - f0;
    int a = f0 * K * 3;
    int b = f1 * K * 3;
    for (int i = 0; i < K * 3; i++) {
      out[i] = positions[a + i] * (1 - w) + positions[b + i] * w;
    }
  }

  /** Heading at time {@code t}, interpolated. */
  public double sampleHeading(double t) {
    double x = Math.max(0, Math.min(frames - 1, t / frameTime));
    int f0 = (int) Math.floor(x);
    int f1 = Math.min(frames - 1, f0 + 1);
    double w = x - f0;
    return yaw[f0] * (1 - w) + yaw[f1] * w;
  }

  /** Orientation of a keypoint at time {@code t} (nearest-frame pair, normalized lerp), into out (w,x,y,z). */
  public void sampleOrientation(double t, Keypoint k, double[] out) {
    double x = Math.max(0, Math.min(frames - 1, t / frameTime));
    int f0 = (int) Math.floor(x);
    int f1 = Math.min(frames - 1, f0 + 1);
    double w = x - f0;
    int a = (f0 * K + k.ordinal()) * 4;
    int b = (f1 * K + k.ordinal()) * 4;
    double dot = 0;
    for (int i = 0; i < 4; i++) {
      dot += quats[a + i] * quats[b + i];
    }
    double sign = dot < 0 ? -1 : 1;
    double norm = 0;
    for (int i = 0; i < 4; i++) {
      out[i] = quats[a + i] * (1 - w) + sign * quats[b + i] * w;
      norm += out[i] * out[i];
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < 4; i++) {
      out[i] /= norm;
    }
  }

  /** Median over the clip of the distance from {@code k}'s chain parent to {@code k} (0 for the pelvis). */
  public double segmentLength(Keypoint k) {
    if (k.parent() == null) {
      return 0;
    }
    double[] d = new double[frames];
    for (int f = 0; f < frames; f++) {
      double s = 0;
      for (int a = 0; a < 3; a++) {
        double v = position(f, k, a) - position(f, k.parent(), a);
        s += v * v;
      }
      d[f] = Math.sqrt(s);
    }
    Arrays.sort(d);
    return d[frames / 2];
  }
}

package io.optimus.motion.bvh;

import io.optimus.motion.geometry.Rotations;
import java.util.List;

/**
 * Forward kinematics of a BVH skeleton for one frame at a time: global joint positions and
 * orientations. The per-frame state is mutable and reused ({@link #setFrame} allocates nothing).
 *
 * <p>BVH is y up; the accessors without "file" in their name answer in metres in the project's frame
 * (z up): (x, y, z)_bvh maps to (z, x, y), so a character facing +z in the file faces +x. A joint's
 * local transform is T(offset + position channels) * R, with R the product of its rotation channels
 * in the order the file lists them (ZYX means Rz * Ry * Rx), angles in degrees.
 */
public final class BvhPose {
  private static final int[] TO_Z_UP = {2, 0, 1};

  private final BvhSkeleton skeleton;
  private final double[] values;
  private final int stride;
  private final double metresPerUnit;
  private final int[] parent;
  private final double[] offset;
  private final int[][] channelCode;
  private final double[] endSite;
  private final boolean[] hasEndSite;
  private final double[] rot;
  private final double[] pos;
  private final double[] endPos;
  private final double[] tmp = new double[9];
  private final double[] axisRot = new double[9];
  private int frame = -1;

  public BvhPose(BvhClip clip) {
    this(clip.skeleton(), clip.rawValues(), clip.metresPerUnit());
  }

  BvhPose(BvhSkeleton skeleton, double[] values, double metresPerUnit) {
    this.skeleton = skeleton;
    this.values = values;
    this.stride = skeleton.channelCount();
    this.metresPerUnit = metresPerUnit;
    int n = skeleton.jointCount();
    parent = new int[n];
    offset = new double[3 * n];
    channelCode = new int[n][];
    endSite = new double[3 * n];
    hasEndSite = new boolean[n];
    rot = new double[9 * n];
    pos = new double[3 * n];
    endPos = new double[3 * n];
    for (BvhJoint j : skeleton.joints()) {
      int i = j.index();
      parent[i] = j.parent();
      offset[3 * i] = j.offsetX();
      offset[3 * i + 1] = j.offsetY();
      offset[3 * i + 2] = j.offsetZ();
      List<BvhChannel> ch = j.channels();
      channelCode[i] = new int[ch.size()];
      for (int c = 0; c < ch.size(); c++) {
        channelCode[i][c] = ch.get(c).ordinal();
      }
      double[] e = j.endSite();
      if (e != null) {
        hasEndSite[i] = true;
        System.arraycopy(e, 0, endSite, 3 * i, 3);
      }
    }
  }

  public BvhSkeleton skeleton() {
    return skeleton;
  }

  public int frame() {
    return frame;
  }

  /** Computes every joint's global transform for {@code frame}. */
  public BvhPose setFrame(int frame) {
    int n = skeleton.jointCount();
    int base = frame * stride;
    int channel = base;
    for (int i = 0; i < n; i++) {
      double tx = offset[3 * i];
      double ty = offset[3 * i + 1];
      double tz = offset[3 * i + 2];
      identity(tmp);
      for (int code : channelCode[i]) {
        double v = values[channel++];
        switch (code) {
          case 0 -> tx += v;
          case 1 -> ty += v;
          case 2 -> tz += v;
          default -> {
            axisRotation(code - 3, Math.toRadians(v), axisRot);
            Rotations.matrixMultiply(tmp, axisRot, tmp);
          }
        }
      }
      int p = parent[i];
      if (p < 0) {
        System.arraycopy(tmp, 0, rot, 9 * i, 9);
        pos[3 * i] = tx;
        pos[3 * i + 1] = ty;
        pos[3 * i + 2] = tz;
      } else {
        Rotations.matrixMultiply(rot, 9 * p, tmp, 0, rot, 9 * i);
        transform(rot, 9 * p, tx, ty, tz, pos, 3 * p, pos, 3 * i);
      }
      if (hasEndSite[i]) {
        transform(rot, 9 * i, endSite[3 * i], endSite[3 * i + 1], endSite[3 * i + 2], pos, 3 * i, endPos, 3 * i);
      }
    }
    this.frame = frame;
    return this;
  }

  /** Global position of a joint, in file units and the file's (y-up) frame; axis 0..2. */
  public double filePosition(int joint, int axis) {
    return pos[3 * joint + axis];
  }

  /** Global position of a joint's End Site (file units, file frame); NaN when it has none. */
  public double fileEndSitePosition(int joint, int axis) {
    return hasEndSite[joint] ? endPos[3 * joint + axis] : Double.NaN;
  }

  /** Global rotation matrix element (row, col) of a joint in the file's frame. */
  public double fileRotation(int joint, int row, int col) {
    return rot[9 * joint + 3 * row + col];
  }

  /** Global position of a joint in metres, z up: axis 0 = x, 1 = y, 2 = z. */
  public double position(int joint, int axis) {
    return pos[3 * joint + TO_Z_UP[axis]] * metresPerUnit;
  }

  /** Writes a joint's global position (metres, z up) into {@code out[offset..offset+2]}. */
  public void position(int joint, double[] out, int offset) {
    for (int a = 0; a < 3; a++) {
      out[offset + a] = position(joint, a);
    }
  }

  /** Writes a joint's global rotation (z up) as a row-major 3x3 matrix into {@code out}. */
  public void rotation(int joint, double[] out) {
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        out[3 * r + c] = rot[9 * joint + 3 * TO_Z_UP[r] + TO_Z_UP[c]];
      }
    }
  }

  /** Writes a joint's global orientation (z up) as a Hamilton quaternion (w, x, y, z) into {@code out}. */
  public void quaternion(int joint, double[] out) {
    rotation(joint, tmp);
    Rotations.matrixToQuat(tmp, 0, out, 0);
  }

  private static void identity(double[] m) {
    java.util.Arrays.fill(m, 0);
    m[0] = m[4] = m[8] = 1;
  }

  static void axisRotation(int axis, double angle, double[] m) {
    double c = Math.cos(angle);
    double s = Math.sin(angle);
    identity(m);
    switch (axis) {
      case 0 -> { m[4] = c; m[5] = -s; m[7] = s; m[8] = c; }
      case 1 -> { m[0] = c; m[2] = s; m[6] = -s; m[8] = c; }
      default -> { m[0] = c; m[1] = -s; m[3] = s; m[4] = c; }
    }
  }

  private static void transform(double[] r, int ro, double x, double y, double z, double[] origin, int po,
      double[] out, int oo) {
    for (int k = 0; k < 3; k++) {
      out[oo + k] = origin[po + k] + r[ro + 3 * k] * x + r[ro + 3 * k + 1] * y + r[ro + 3 * k + 2] * z;
    }
  }
}

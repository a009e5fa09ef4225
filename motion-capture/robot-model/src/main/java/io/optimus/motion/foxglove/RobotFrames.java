package io.optimus.motion.foxglove;

import com.google.protobuf.Timestamp;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.JointType;
import io.optimus.motion.model.RobotModel;
import io.optimus.proto.foxglove.FrameTransform;
import io.optimus.proto.foxglove.FrameTransforms;
import io.optimus.proto.foxglove.Quaternion;
import io.optimus.proto.foxglove.Vector3;
import io.optimus.proto.v1.JointState;
import java.util.ArrayList;
import java.util.List;

/**
 * A robot's link frames as one {@code foxglove.FrameTransforms} tree rooted in {@link #WORLD}: world to
 * the root link (the floating base pose), then every link in its parent link through its joint at the
 * given q (mimic joints follow their source). Each transform is the joint's own forward kinematics
 * (origin, then the rotation about / translation along the axis), so link frames equal
 * {@link Kinematics#forward}'s world poses composed down the tree. Frame ids are the link names.
 *
 * <p>Not thread-safe (one scratch q); one instance per recording thread. Transforms are built per call
 * (a few hundred small objects): meant for a writer thread at ~50 Hz, not for the control loop.
 */
public final class RobotFrames {
  /** The fixed frame every recording's tree hangs from. */
  public static final String WORLD = "world";

  private final RobotModel model;
  private final Kinematics kinematics;
  private final String[] parent;
  private final String[] child;
  private final double[] origin; // per joint: tx ty tz qw qx qy qz
  private final double[] axis;
  private final int[] qIndex;
  private final int[] type; // 0 fixed, 1 revolute, 2 prismatic
  private final double[] q;

  public RobotFrames(RobotModel model) {
    this.model = model;
    this.kinematics = new Kinematics(model);
    List<Joint> joints = model.joints();
    int n = joints.size();
    parent = new String[n];
    child = new String[n];
    origin = new double[7 * n];
    axis = new double[3 * n];
    qIndex = new int[n];
    type = new int[n];
    for (int j = 0; j < n; j++) {
      Joint joint = joints.get(j);
      parent[j] = joint.parent();
      child[j] = joint.child();
      Quat r = joint.origin().rotation().normalized();
      double[] o = {joint.origin().translation().x(), joint.origin().translation().y(),
          joint.origin().translation().z(), r.w(), r.x(), r.y(), r.z()};
      System.arraycopy(o, 0, origin, 7 * j, 7);
      axis[3 * j] = joint.axis().x();
      axis[3 * j + 1] = joint.axis().y();
      axis[3 * j + 2] = joint.axis().z();
      qIndex[j] = joint.qIndex();
      type[j] = joint.type() == JointType.FIXED ? 0 : joint.type() == JointType.PRISMATIC ? 2 : 1;
    }
    q = new double[model.dof()];
  }

  public RobotModel model() {
    return model;
  }

  /** Every frame of the tree: {@link #WORLD} (unless the root link is itself called so), then the links. */
  public List<String> frameIds() {
    List<String> out = new ArrayList<>();
    if (!model.root().name().equals(WORLD)) {
      out.add(WORLD);
    }
    model.links().forEach(l -> out.add(l.name()));
    return out;
  }

  /**
   * The tree at {@code state}'s measured positions and base pose (identity when it has none), every
   * transform stamped {@code stamp}; null when the state does not fit the model (position count) or
   * holds a non-finite value (a recording must not carry a NaN frame: the 3D panel would drop the tree).
   */
  public FrameTransforms transforms(JointState state, Timestamp stamp) {
    if (state.getPositionCount() != q.length) {
      return null;
    }
    for (int i = 0; i < q.length; i++) {
      double v = state.getPosition(i);
      if (!Double.isFinite(v)) {
        return null;
      }
      q[i] = v;
    }
    kinematics.applyMimic(q);
    FrameTransforms.Builder out = FrameTransforms.newBuilder();
    if (!model.root().name().equals(WORLD)) {
      io.optimus.proto.v1.Pose base = state.getBasePose();
      double qw = state.hasBasePose() && base.hasOrientation() ? base.getOrientation().getW() : 1;
      double qx = base.getOrientation().getX(), qy = base.getOrientation().getY(), qz = base.getOrientation().getZ();
      double norm = Math.sqrt(qw * qw + qx * qx + qy * qy + qz * qz);
      double px = base.getPosition().getX(), py = base.getPosition().getY(), pz = base.getPosition().getZ();
      if (!(norm > 1e-9) || !Double.isFinite(norm + px + py + pz)) {
        return null;
      }
      add(out, stamp, WORLD, model.root().name(), px, py, pz, qw / norm, qx / norm, qy / norm, qz / norm);
    }
    for (int j = 0; j < parent.length; j++) {
      int o = 7 * j;
      double tx = origin[o], ty = origin[o + 1], tz = origin[o + 2];
      double ow = origin[o + 3], ox = origin[o + 4], oy = origin[o + 5], oz = origin[o + 6];
      double ax = axis[3 * j], ay = axis[3 * j + 1], az = axis[3 * j + 2];
      double rw = ow, rx = ox, ry = oy, rz = oz;
      if (type[j] == 1) { // origin * rotation about the axis by q
        double h = q[qIndex[j]] / 2, s = Math.sin(h), c = Math.cos(h);
        double bx = ax * s, by = ay * s, bz = az * s;
        rw = ow * c - ox * bx - oy * by - oz * bz;
        rx = ow * bx + ox * c + oy * bz - oz * by;
        ry = ow * by - ox * bz + oy * c + oz * bx;
        rz = ow * bz + ox * by - oy * bx + oz * c;
      } else if (type[j] == 2) { // origin * translation along the axis by q (axis in the joint frame)
        double d = q[qIndex[j]];
        double vx = ax * d, vy = ay * d, vz = az * d;
        // rotate v by the origin quaternion: v + 2w(u x v) + 2 u x (u x v)
        double cx = oy * vz - oz * vy, cy = oz * vx - ox * vz, cz = ox * vy - oy * vx;
        tx += vx + 2 * (ow * cx + oy * cz - oz * cy);
        ty += vy + 2 * (ow * cy + oz * cx - ox * cz);
        tz += vz + 2 * (ow * cz + ox * cy - oy * cx);
      }
      add(out, stamp, parent[j], child[j], tx, ty, tz, rw, rx, ry, rz);
    }
    return out.build();
  }

  private static void add(FrameTransforms.Builder out, Timestamp stamp, String parent, String child, double x, double y,
      double z, double w, double qx, double qy, double qz) {
    out.addTransforms(FrameTransform.newBuilder().setTimestamp(stamp).setParentFrameId(parent).setChildFrameId(child)
        .setTranslation(Vector3.newBuilder().setX(x).setY(y).setZ(z))
        .setRotation(Quaternion.newBuilder().setX(qx).setY(qy).setZ(qz).setW(w)));
  }
}

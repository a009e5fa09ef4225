package io.optimus.motion.record;

import com.google.protobuf.Timestamp;
import io.optimus.proto.foxglove.CameraCalibration;
import io.optimus.proto.foxglove.Color;
import io.optimus.proto.foxglove.CubePrimitive;
import io.optimus.proto.foxglove.KeyValuePair;
import io.optimus.proto.foxglove.Pose;
import io.optimus.proto.foxglove.PoseInFrame;
import io.optimus.proto.foxglove.Quaternion;
import io.optimus.proto.foxglove.SceneEntity;
import io.optimus.proto.foxglove.SceneUpdate;
import io.optimus.proto.foxglove.Vector3;
import io.optimus.proto.v1.CameraIntrinsics;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.ObjectState;
import io.optimus.proto.v1.StageLatency;
import io.optimus.proto.v1.StageTimestamps;
import io.optimus.proto.v1.TaskState;

/**
 * Recorded messages as Foxglove's 3D panel and plots want them, without the robot model: task
 * objects and the table as scene entities, camera intrinsics as calibrations, operator poses, and
 * per-stage latency. Every method returns null for input it cannot show (a non-finite or zero
 * quaternion, a camera without focal length) rather than a message a viewer would choke on.
 */
public final class FoxgloveScene {
  public static final String OBJECT_PREFIX = "object/";
  public static final String TARGET_ID = "target";
  public static final String TABLE_ID = "table";
  private static final Color OBJECT = color(0.85, 0.25, 0.2, 1);
  private static final Color HELD = color(0.95, 0.75, 0.15, 1);
  private static final Color TARGET = color(0.2, 0.8, 0.3, 0.35);
  private static final Color TABLE = color(0.55, 0.42, 0.3, 1);
  private static final double TABLE_THICKNESS = 0.04;
  private static final double LEG = 0.05;

  private FoxgloveScene() {}

  /** The task's objects (id {@code object/<name>}, yellow while held) and its target area, in the world frame. */
  public static SceneUpdate objects(TaskState t, Timestamp stamp) {
    SceneUpdate.Builder out = SceneUpdate.newBuilder();
    for (ObjectState o : t.getObjectsList()) {
      Pose p = pose(o.getPose());
      if (p == null || !finite(o.getSize().getX(), o.getSize().getY(), o.getSize().getZ())) {
        continue;
      }
      out.addEntities(SceneEntity.newBuilder().setTimestamp(stamp).setFrameId(EpisodeTopics.WORLD_FRAME)
          .setId(OBJECT_PREFIX + o.getName())
          .addMetadata(KeyValuePair.newBuilder().setKey("held_by").setValue(o.getHeldBy()))
          .addCubes(CubePrimitive.newBuilder().setPose(p).setSize(vector(o.getSize().getX(), o.getSize().getY(),
              o.getSize().getZ())).setColor(o.getGrasped() || !o.getHeldBy().isEmpty() ? HELD : OBJECT)));
    }
    Pose target = t.hasTargetArea() ? pose(t.getTargetArea()) : null;
    double sx = t.getTargetSize().getX(), sy = t.getTargetSize().getY();
    if (target != null && sx > 0 && sy > 0 && finite(sx, sy, 0)) {
      out.addEntities(SceneEntity.newBuilder().setTimestamp(stamp).setFrameId(EpisodeTopics.WORLD_FRAME).setId(TARGET_ID)
          .addCubes(CubePrimitive.newBuilder().setPose(target)
              .setSize(vector(sx, sy, Math.max(0.002, t.getTargetSize().getZ()))).setColor(TARGET)));
    }
    return out.build();
  }

  /** A table: a top of the given footprint whose surface is at {@code top} (m), on four legs to the floor. */
  public static SceneUpdate table(double minX, double maxX, double minY, double maxY, double top, Timestamp stamp) {
    SceneEntity.Builder e = SceneEntity.newBuilder().setTimestamp(stamp).setFrameId(EpisodeTopics.WORLD_FRAME)
        .setId(TABLE_ID);
    if (!(maxX > minX && maxY > minY && top > 0) || !finite(minX + maxX, minY + maxY, top)) {
      return SceneUpdate.getDefaultInstance();
    }
    e.addCubes(CubePrimitive.newBuilder().setPose(at((minX + maxX) / 2, (minY + maxY) / 2, top - TABLE_THICKNESS / 2))
        .setSize(vector(maxX - minX, maxY - minY, TABLE_THICKNESS)).setColor(TABLE));
    double legHeight = top - TABLE_THICKNESS;
    if (legHeight > 0) {
      for (double x : new double[] {minX + LEG, maxX - LEG}) {
        for (double y : new double[] {minY + LEG, maxY - LEG}) {
          e.addCubes(CubePrimitive.newBuilder().setPose(at(x, y, legHeight / 2)).setSize(vector(LEG, LEG, legHeight))
              .setColor(TABLE));
        }
      }
    }
    return SceneUpdate.newBuilder().addEntities(e).build();
  }

  /**
   * A distortion-free pinhole calibration of a {@code width} x {@code height} camera in {@code frameId}
   * (K from the intrinsics, R identity, P = [K | 0]); null without a positive, finite focal length.
   */
  public static CameraCalibration calibration(String frameId, int width, int height, CameraIntrinsics k,
      Timestamp stamp) {
    double fx = k.getFx(), fy = k.getFy(), cx = k.getCx(), cy = k.getCy();
    if (!(fx > 0 && fy > 0) || !finite(fx + fy, cx, cy) || width <= 0 || height <= 0) {
      return null;
    }
    CameraCalibration.Builder c = CameraCalibration.newBuilder().setTimestamp(stamp).setFrameId(frameId)
        .setWidth(width).setHeight(height).setDistortionModel("plumb_bob");
    for (int i = 0; i < 5; i++) {
      c.addD(0);
    }
    for (double v : new double[] {fx, 0, cx, 0, fy, cy, 0, 0, 1}) {
      c.addK(v);
    }
    for (double v : new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}) {
      c.addR(v);
    }
    for (double v : new double[] {fx, 0, cx, 0, 0, fy, cy, 0, 0, 0, 1, 0}) {
      c.addP(v);
    }
    return c.build();
  }

  /** A pose in {@code frameId}, or null if it is not finite or its quaternion is zero. */
  public static PoseInFrame poseInFrame(String frameId, io.optimus.proto.v1.Pose p, Timestamp stamp) {
    Pose fp = pose(p);
    return fp == null ? null : PoseInFrame.newBuilder().setTimestamp(stamp).setFrameId(frameId).setPose(fp).build();
  }

  /** Our pose (quaternion w, x, y, z) as Foxglove's, normalized; null if non-finite or a zero quaternion. */
  public static Pose pose(io.optimus.proto.v1.Pose p) {
    double w = p.hasOrientation() ? p.getOrientation().getW() : 1;
    double x = p.getOrientation().getX(), y = p.getOrientation().getY(), z = p.getOrientation().getZ();
    double n = Math.sqrt(w * w + x * x + y * y + z * z);
    var t = p.getPosition();
    if (!(n > 1e-9) || !finite(t.getX(), t.getY(), t.getZ()) || !Double.isFinite(n)) {
      return null;
    }
    return Pose.newBuilder().setPosition(vector(t.getX(), t.getY(), t.getZ()))
        .setOrientation(Quaternion.newBuilder().setW(w / n).setX(x / n).setY(y / n).setZ(z / n)).build();
  }

  /**
   * The latency of each pipeline stage behind {@code s}, from its stage timestamps (robot host's
   * monotonic clock; capture on the operator's wall clock); null when it has no applied stage.
   */
  public static StageLatency latency(JointState s) {
    StageTimestamps st = s.getStages();
    if (st.getAppliedNs() == 0) {
      return null;
    }
    StageLatency.Builder b = StageLatency.newBuilder().setSchemaVersion(1).setStamp(s.getStamp())
        .setOperatorSequence(s.getOperatorSequence());
    if (st.getRetargetedNs() != 0) {
      b.setApplyMs(ms(st.getAppliedNs() - st.getRetargetedNs()));
    }
    if (st.getPublishedNs() != 0) {
      b.setPublishMs(ms(st.getPublishedNs() - st.getAppliedNs()));
    }
    if (st.getReceivedNs() != 0) {
      if (st.getRetargetedNs() != 0) {
        b.setRetargetMs(ms(st.getRetargetedNs() - st.getReceivedNs()));
      }
      if (st.getPublishedNs() != 0) {
        b.setBridgeMs(ms(st.getPublishedNs() - st.getReceivedNs()));
      }
    }
    if (st.getCaptured().getWallNs() != 0 && s.getStamp().getWallNs() != 0) {
      b.setCaptureToStateMs(ms(s.getStamp().getWallNs() - st.getCaptured().getWallNs()));
    }
    return b.build();
  }

  private static double ms(long ns) {
    return ns / 1e6;
  }

  private static Pose at(double x, double y, double z) {
    return Pose.newBuilder().setPosition(vector(x, y, z)).setOrientation(Quaternion.newBuilder().setW(1)).build();
  }

  private static Vector3 vector(double x, double y, double z) {
    return Vector3.newBuilder().setX(x).setY(y).setZ(z).build();
  }

  private static Color color(double r, double g, double b, double a) {
    return Color.newBuilder().setR(r).setG(g).setB(b).setA(a).build();
  }

  private static boolean finite(double a, double b, double c) {
    return Double.isFinite(a) && Double.isFinite(b) && Double.isFinite(c);
  }
}

package io.optimus.bridge.world;

import com.google.protobuf.ByteString;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.geometry.Rotations;
import io.optimus.motion.geometry.proto.Pose3Proto;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.RobotModel;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.CameraIntrinsics;
import io.optimus.proto.v1.ImageEncoding;
import io.optimus.proto.v1.Timestamp;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The head camera, rendered in software (Java2D, painter's algorithm): floor, table, target area,
 * objects and the robot's own arms and hands as thick segments, seen through a pinhole at the
 * {@code head_camera} optical frame (x right, y down, z forward). Not for the control thread: it
 * allocates; the bridge runs it on its own thread at the camera rate.
 */
public final class HeadCamera {
  private static final double NEAR = 0.03;

  private final RobotRig rig;
  private final String robotId;
  private final int width;
  private final int height;
  private final double f;
  private final BufferedImage image;
  private final int[] segmentFrom;
  private final int[] segmentTo;
  private final double[] segmentRadius;
  // camera pose of the frame being rendered
  private final double[] r = new double[9];
  private final double[] p = new double[3];

  private record Primitive(double depth, Path2D shape, Color color, float stroke) {}

  public HeadCamera(RobotRig rig, String robotId) {
    if (rig.cameraLink() < 0) {
      throw new IllegalArgumentException("model " + rig.model().name() + " has no head_camera frame");
    }
    this.rig = rig;
    this.robotId = robotId;
    this.width = rig.cameraWidth();
    this.height = rig.cameraHeight();
    this.f = rig.cameraFocal();
    this.image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    // arm and hand segments: each such link drawn from its parent link's origin
    RobotModel m = rig.model();
    List<int[]> segs = new ArrayList<>();
    List<Double> radii = new ArrayList<>();
    for (int j = 0; j < m.joints().size(); j++) {
      String child = m.links().get(j + 1).name();
      boolean arm = child.contains("arm") || child.contains("wrist") || child.contains("elbow");
      boolean hand = child.contains("hand") || child.contains("_tip") || child.contains("proximal")
          || child.contains("middle") || child.contains("distal") || child.contains("metacarpal");
      if ((arm || hand) && !child.contains("palm")) {
        segs.add(new int[] {m.parentLinkOf(j), j + 1});
        radii.add(hand && !child.endsWith("_hand") ? 0.009 : 0.035);
      }
    }
    segmentFrom = segs.stream().mapToInt(s -> s[0]).toArray();
    segmentTo = segs.stream().mapToInt(s -> s[1]).toArray();
    segmentRadius = radii.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * Renders the view from {@code d} (forward kinematics done, base placed) into a CameraFrame.
   */
  public CameraFrame render(KinematicsData d, TaskWorld world, long sequence, Timestamp stamp) {
    renderImage(d, world);
    int[] px = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    byte[] rgb = new byte[width * height * 3];
    for (int i = 0, o = 0; i < px.length; i++) {
      int c = px[i];
      rgb[o++] = (byte) (c >> 16);
      rgb[o++] = (byte) (c >> 8);
      rgb[o++] = (byte) c;
    }
    double[] quat = new double[4];
    d.linkQuat(rig.cameraLink(), quat, 0);
    return CameraFrame.newBuilder()
        .setSchemaVersion(1)
        .setRobotId(robotId)
        .setCameraName("head")
        .setSequence(sequence)
        .setStamp(stamp)
        .setEncoding(ImageEncoding.IMAGE_ENCODING_RGB8)
        .setWidth(width)
        .setHeight(height)
        .setStep(width * 3)
        .setData(ByteString.copyFrom(rgb))
        .setIntrinsics(CameraIntrinsics.newBuilder().setFx(f).setFy(f).setCx(width / 2.0).setCy(height / 2.0)
            .setDistortionModel("none"))
        .setCameraPose(Pose3Proto.toProto(p, 0, quat, 0))
        .build();
  }

  /** Renders into the internal image and returns it (valid until the next call). */
  public BufferedImage renderImage(KinematicsData d, TaskWorld world) {
    int c = rig.cameraLink();
    System.arraycopy(d.linkRotation, 9 * c, r, 0, 9);
    System.arraycopy(d.linkPosition, 3 * c, p, 0, 3);
    List<Primitive> prims = new ArrayList<>();
    // floor: a large square around the robot
    quad(prims, new double[][] {{-3, -3, 0}, {4, -3, 0}, {4, 3, 0}, {-3, 3, 0}}, new Color(120, 110, 100));
    if (world != null) {
      box(prims, (world.tableMinX + world.tableMaxX) / 2, (world.tableMinY + world.tableMaxY) / 2,
          world.tableTop / 2, world.tableMaxX - world.tableMinX, world.tableMaxY - world.tableMinY, world.tableTop,
          null, new Color(150, 105, 60));
      double[] t = world.targetCentre();
      double[] ts = world.targetSize();
      double z = world.tableTop + 0.001;
      quad(prims, new double[][] {{t[0] - ts[0] / 2, t[1] - ts[1] / 2, z}, {t[0] + ts[0] / 2, t[1] - ts[1] / 2, z},
          {t[0] + ts[0] / 2, t[1] + ts[1] / 2, z}, {t[0] - ts[0] / 2, t[1] + ts[1] / 2, z}}, new Color(40, 170, 60));
      for (WorldObject o : world.objects()) {
        box(prims, o.position[0], o.position[1], o.position[2], o.size[0], o.size[1], o.size[2], o.orientation,
            new Color(o.rgb[0], o.rgb[1], o.rgb[2]));
      }
    }
    for (int i = 0; i < segmentFrom.length; i++) {
      segment(prims, d, segmentFrom[i], segmentTo[i], segmentRadius[i]);
    }
    prims.sort(Comparator.comparingDouble(Primitive::depth).reversed());
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(new Color(200, 205, 215)); // walls
      g.fillRect(0, 0, width, height);
      for (Primitive pr : prims) {
        g.setColor(pr.color());
        if (pr.stroke() > 0) {
          g.setStroke(new BasicStroke(pr.stroke(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
          g.draw(pr.shape());
        } else {
          g.fill(pr.shape());
        }
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  /** World point into camera coordinates. */
  private void toCamera(double x, double y, double z, double[] out) {
    double dx = x - p[0];
    double dy = y - p[1];
    double dz = z - p[2];
    out[0] = r[0] * dx + r[3] * dy + r[6] * dz;
    out[1] = r[1] * dx + r[4] * dy + r[7] * dz;
    out[2] = r[2] * dx + r[5] * dy + r[8] * dz;
  }

  /** A convex polygon (world), clipped at the near plane, shaded by its facing. */
  private void quad(List<Primitive> prims, double[][] world, Color color) {
    List<double[]> cam = new ArrayList<>();
    for (double[] w : world) {
      double[] c = new double[3];
      toCamera(w[0], w[1], w[2], c);
      cam.add(c);
    }
    List<double[]> clipped = clipNear(cam);
    if (clipped.size() < 3) {
      return;
    }
    Path2D.Double path = new Path2D.Double();
    double depth = 0;
    for (int i = 0; i < clipped.size(); i++) {
      double[] c = clipped.get(i);
      double u = f * c[0] / c[2] + width / 2.0;
      double v = f * c[1] / c[2] + height / 2.0;
      if (i == 0) {
        path.moveTo(u, v);
      } else {
        path.lineTo(u, v);
      }
      depth += c[2];
    }
    path.closePath();
    prims.add(new Primitive(depth / clipped.size(), path, color, 0));
  }

  private static List<double[]> clipNear(List<double[]> poly) {
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < poly.size(); i++) {
      double[] a = poly.get(i);
      double[] b = poly.get((i + 1) % poly.size());
      boolean ain = a[2] >= NEAR;
      boolean bin = b[2] >= NEAR;
      if (ain) {
        out.add(a);
      }
      if (ain != bin) {
        double t = (NEAR - a[2]) / (b[2] - a[2]);
        out.add(new double[] {a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), NEAR});
      }
    }
    return out;
  }

  /** A box centred at (x, y, z) with the given size and orientation (null = axis-aligned). */
  private void box(List<Primitive> prims, double x, double y, double z, double sx, double sy, double sz,
      double[] q, Color color) {
    double[][] corners = new double[8][3];
    double[] tmp = new double[3];
    for (int i = 0; i < 8; i++) {
      double lx = ((i & 1) == 0 ? -0.5 : 0.5) * sx;
      double ly = ((i & 2) == 0 ? -0.5 : 0.5) * sy;
      double lz = ((i & 4) == 0 ? -0.5 : 0.5) * sz;
      if (q != null) {
        Rotations.quatRotate(q, lx, ly, lz, tmp);
      } else {
        tmp[0] = lx;
        tmp[1] = ly;
        tmp[2] = lz;
      }
      corners[i][0] = x + tmp[0];
      corners[i][1] = y + tmp[1];
      corners[i][2] = z + tmp[2];
    }
    int[][] faces = {{0, 1, 3, 2}, {4, 5, 7, 6}, {0, 1, 5, 4}, {2, 3, 7, 6}, {0, 2, 6, 4}, {1, 3, 7, 5}};
    double[] shade = {0.55, 1.0, 0.75, 0.7, 0.65, 0.85}; // bottom, top, sides
    for (int k = 0; k < 6; k++) {
      int[] fc = faces[k];
      double[][] poly = {corners[fc[0]], corners[fc[1]], corners[fc[2]], corners[fc[3]]};
      Color c = new Color((int) (color.getRed() * shade[k]), (int) (color.getGreen() * shade[k]),
          (int) (color.getBlue() * shade[k]));
      quad(prims, poly, c);
    }
  }

  private void segment(List<Primitive> prims, KinematicsData d, int from, int to, double radius) {
    double[] a = new double[3];
    double[] b = new double[3];
    toCamera(d.linkPosition[3 * from], d.linkPosition[3 * from + 1], d.linkPosition[3 * from + 2], a);
    toCamera(d.linkPosition[3 * to], d.linkPosition[3 * to + 1], d.linkPosition[3 * to + 2], b);
    if (a[2] < NEAR && b[2] < NEAR) {
      return;
    }
    if (a[2] < NEAR || b[2] < NEAR) {
      double[] in = a[2] >= NEAR ? a : b;
      double[] outp = a[2] >= NEAR ? b : a;
      double t = (NEAR - in[2]) / (outp[2] - in[2]);
      outp[0] = in[0] + t * (outp[0] - in[0]);
      outp[1] = in[1] + t * (outp[1] - in[1]);
      outp[2] = NEAR;
    }
    Path2D.Double path = new Path2D.Double();
    path.moveTo(f * a[0] / a[2] + width / 2.0, f * a[1] / a[2] + height / 2.0);
    path.lineTo(f * b[0] / b[2] + width / 2.0, f * b[1] / b[2] + height / 2.0);
    double depth = (a[2] + b[2]) / 2;
    float stroke = (float) Math.max(1, 2 * radius * f / depth);
    prims.add(new Primitive(depth, path, new Color(175, 178, 185), stroke));
  }
}

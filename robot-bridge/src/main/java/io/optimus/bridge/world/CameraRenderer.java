package io.optimus.bridge.world;

import com.google.protobuf.UnsafeByteOperations;
import io.optimus.motion.geometry.Rotations;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.geometry.proto.Pose3Proto;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.Geometry;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Shape;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.CameraIntrinsics;
import io.optimus.proto.v1.ImageEncoding;
import io.optimus.proto.v1.Timestamp;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One camera of the robot ({@link RobotRig#cameras()}: the head's, a wrist's), rendered in software
 * (Java2D, painter's algorithm) through a pinhole at its optical frame (x right, y down, z forward):
 * floor, table, target area, objects, and the robot's own arms and hands from their collision shapes
 * (capsules as tapered outlines with round ends, boxes as boxes). Everything is clipped at a near
 * plane 1 cm in front of the lens before it is projected, so a finger passing beside or behind a
 * wrist camera is drawn as the part of it in front. Primitives live in arrays reused from frame to
 * frame; a frame allocates its pixel array and the message (and what Java2D allocates inside).
 * A video renderer ({@link #forVideo}) allocates no pixel array: {@link #renderImage} draws into one
 * image reused from frame to frame, its bytes in R, G, B order as the JPEG encoder reads them fastest.
 * Not thread-safe: one renderer per thread.
 */
public final class CameraRenderer {
  static final double NEAR = 0.01;
  private static final int MAX_VERTICES = 8; // a quad clipped by one plane has at most 5
  private static final Color WALLS = new Color(200, 205, 215);
  private static final int FLOOR = rgb(120, 110, 100);
  private static final int TABLE = rgb(150, 105, 60);
  private static final int TARGET = rgb(40, 170, 60);
  private static final int ARM = rgb(175, 178, 185);
  private static final int FINGER = rgb(92, 97, 110); // darker than the palm: fingers stand out against it
  /** Box faces in the order of {@link #FACES}: bottom, top, then the sides. */
  private static final double[] SHADE = {0.55, 1.0, 0.75, 0.7, 0.65, 0.85};
  private static final int[][] FACES = {{0, 1, 3, 2}, {4, 5, 7, 6}, {0, 1, 5, 4}, {2, 3, 7, 6}, {0, 2, 6, 4},
      {1, 3, 7, 5}};

  private final RobotRig.Camera camera;
  private final String robotId;
  private final int width;
  private final int height;
  private final double f;
  private final double eyeOffset; // along the optical x axis (right), m: one eye of a stereo pair
  private final BufferedImage image;
  /** Video: colours are drawn with red and blue swapped, so that the BGR image's bytes are in R, G, B order. */
  private final boolean swapRedBlue;
  private final Color walls;
  private final Graphics2D g;
  private final Path2D.Double path = new Path2D.Double(Path2D.WIND_NON_ZERO, 16);
  private final Ellipse2D.Double disc = new Ellipse2D.Double();
  // the robot's drawn parts, from the model: capsules (link, two ends and radius in the link frame) and boxes
  private final int[] capsuleLink;
  private final double[] capsuleEnds; // 6 per capsule
  private final double[] capsuleRadius;
  private final int[] capsuleColour;
  private final int[] boxLink;
  private final double[] boxCentre; // 3 per box, link frame
  private final double[] boxRotation; // 9 per box, row-major, link frame
  private final double[] boxSize; // 3 per box
  private final int[] boxColour;
  // camera pose of the frame being rendered
  private final double[] r = new double[9];
  private final double[] p = new double[3];
  // primitives of the frame being rendered: polygons (vertices in pixels) and discs (centre and radius)
  private int count;
  private double[] px = new double[64 * MAX_VERTICES];
  private double[] py = new double[64 * MAX_VERTICES];
  private int[] vertices = new int[64]; // 0 = a disc
  private int[] colour = new int[64];
  private long[] order = new long[64];
  // scratch
  private final double[][] corners = new double[8][3];
  private final double[] tmp = new double[3];
  private final double[] a = new double[3];
  private final double[] b = new double[3];
  private final double[] quat = new double[4];
  private final double[] inX = new double[MAX_VERTICES];
  private final double[] inY = new double[MAX_VERTICES];
  private final double[] inZ = new double[MAX_VERTICES];
  private final double[] outX = new double[MAX_VERTICES];
  private final double[] outY = new double[MAX_VERTICES];
  private final double[] outZ = new double[MAX_VERTICES];
  private final int[] colourKey = new int[64];
  // labels: what each primitive shows (KIND_*, or an object's index) and its plane in camera coordinates
  private static final int KIND_BACKGROUND = -1;
  private static final int KIND_HAND = -2;
  private int currentKind = KIND_BACKGROUND;
  private int[] kind = new int[64];
  private double[] plane = new double[64 * 4]; // n.x, n.y, n.z, c with n . X = c; NaN n.x: a capsule part
  private TaskWorld lastWorld;
  private BufferedImage labelImage;
  private Graphics2D labelGraphics;
  private final Color[] colourValue = new Color[64];

  /** The rig's camera named {@code cameraName} ("head", "left_wrist", "right_wrist"). */
  public CameraRenderer(RobotRig rig, String cameraName, String robotId) {
    this(rig, rig.cameras().stream().filter(c -> c.name().equals(cameraName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("model " + rig.model().name() + " has no " + cameraName
            + " camera (cameras: " + rig.cameras().stream().map(RobotRig.Camera::name).toList() + ")")), robotId);
  }

  public CameraRenderer(RobotRig rig, RobotRig.Camera camera, String robotId) {
    this(rig, camera, robotId, 0);
  }

  /**
   * A camera at {@code camera}'s optical frame moved {@code eyeOffsetM} along its x axis (right): one eye of
   * a stereo pair (-IPD/2 for the left eye, +IPD/2 for the right), with the camera's own size and focal length.
   */
  public CameraRenderer(RobotRig rig, RobotRig.Camera camera, String robotId, double eyeOffsetM) {
    this(rig, camera, robotId, eyeOffsetM, BufferedImage.TYPE_INT_RGB);
  }

  /**
   * For video: like {@link #CameraRenderer(RobotRig, RobotRig.Camera, String, double)}, drawing into a
   * 3-byte BGR image (Java2D's fast byte layout) with red and blue swapped, so that its bytes are in
   * R, G, B order: the order the JDK's JPEG writer copies whole scanlines from without allocating
   * ({@link io.optimus.bridge.video.JpegEncoder#rgbView}).
   */
  public static CameraRenderer forVideo(RobotRig rig, RobotRig.Camera camera, String robotId, double eyeOffsetM) {
    return new CameraRenderer(rig, camera, robotId, eyeOffsetM, BufferedImage.TYPE_3BYTE_BGR);
  }

  private CameraRenderer(RobotRig rig, RobotRig.Camera camera, String robotId, double eyeOffsetM, int imageType) {
    if (!Double.isFinite(eyeOffsetM) || Math.abs(eyeOffsetM) > 0.5) {
      throw new IllegalArgumentException("eye offset " + eyeOffsetM + " m is out of range -0.5..0.5");
    }
    this.eyeOffset = eyeOffsetM;
    this.camera = camera;
    this.robotId = robotId;
    this.width = camera.width();
    this.height = camera.height();
    this.f = camera.focal();
    this.image = new BufferedImage(width, height, imageType);
    this.swapRedBlue = imageType == BufferedImage.TYPE_3BYTE_BGR;
    this.walls = swapRedBlue ? new Color(swap(WALLS.getRGB())) : WALLS;
    this.g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    Arrays.fill(colourKey, -1);
    // Arms and hands (not legs, torso or head: the head camera looked at the table without them so far).
    RobotModel m = rig.model();
    List<double[]> caps = new ArrayList<>();
    List<double[]> boxes = new ArrayList<>();
    for (int j = 0; j < m.joints().size(); j++) {
      int link = j + 1;
      String child = m.links().get(link).name();
      boolean arm = child.contains("arm") || child.contains("wrist") || child.contains("elbow")
          || child.contains("shoulder");
      boolean finger = child.contains("_tip") || child.contains("proximal") || child.contains("middle")
          || child.contains("distal") || child.contains("metacarpal");
      boolean hand = finger || child.endsWith("_hand");
      if (!(arm || hand) || child.contains("palm") || child.contains("camera")) {
        continue;
      }
      int col = finger ? FINGER : ARM;
      boolean drawn = false;
      for (Shape s : m.links().get(link).collisions()) {
        drawn |= addShape(s, link, col, caps, boxes);
      }
      if (!drawn && !child.contains("_tip")) {
        // no usable collision shape (a URDF with meshes only): the bone from the parent link's origin to
        // this one's, in the parent's frame (exact for revolute joints, which turn about the child's origin)
        Vec3 t = m.joints().get(j).origin().translation();
        caps.add(new double[] {m.parentLinkOf(j), 0, 0, 0, t.x(), t.y(), t.z(), finger ? 0.009 : 0.035, col});
      }
    }
    capsuleLink = new int[caps.size()];
    capsuleEnds = new double[6 * caps.size()];
    capsuleRadius = new double[caps.size()];
    capsuleColour = new int[caps.size()];
    for (int i = 0; i < caps.size(); i++) {
      double[] c = caps.get(i);
      capsuleLink[i] = (int) c[0];
      System.arraycopy(c, 1, capsuleEnds, 6 * i, 6);
      capsuleRadius[i] = c[7];
      capsuleColour[i] = (int) c[8];
    }
    boxLink = new int[boxes.size()];
    boxCentre = new double[3 * boxes.size()];
    boxRotation = new double[9 * boxes.size()];
    boxSize = new double[3 * boxes.size()];
    boxColour = new int[boxes.size()];
    for (int i = 0; i < boxes.size(); i++) {
      double[] x = boxes.get(i);
      boxLink[i] = (int) x[0];
      System.arraycopy(x, 1, boxCentre, 3 * i, 3);
      System.arraycopy(x, 4, boxRotation, 9 * i, 9);
      System.arraycopy(x, 13, boxSize, 3 * i, 3);
      boxColour[i] = (int) x[16];
    }
  }

  /** A collision shape as a capsule or box of {@code link}; false for shapes not drawn (meshes). */
  private static boolean addShape(Shape s, int link, int col, List<double[]> caps, List<double[]> boxes) {
    Vec3 o = s.origin().translation();
    switch (s.geometry()) {
      case Geometry.Capsule c -> {
        Vec3 half = s.origin().rotation().rotate(new Vec3(0, 0, c.length() / 2));
        caps.add(new double[] {link, o.x() - half.x(), o.y() - half.y(), o.z() - half.z(), o.x() + half.x(),
            o.y() + half.y(), o.z() + half.z(), c.radius(), col});
        return true;
      }
      case Geometry.Cylinder c -> {
        Vec3 half = s.origin().rotation().rotate(new Vec3(0, 0, Math.max(0, c.length() / 2 - c.radius())));
        caps.add(new double[] {link, o.x() - half.x(), o.y() - half.y(), o.z() - half.z(), o.x() + half.x(),
            o.y() + half.y(), o.z() + half.z(), c.radius(), col});
        return true;
      }
      case Geometry.Sphere sp -> {
        caps.add(new double[] {link, o.x(), o.y(), o.z(), o.x(), o.y(), o.z(), sp.radius(), col});
        return true;
      }
      case Geometry.Box bx -> {
        double[] x = new double[17];
        x[0] = link;
        x[1] = o.x();
        x[2] = o.y();
        x[3] = o.z();
        s.origin().rotation().toMatrix(x, 4);
        x[13] = bx.size().x();
        x[14] = bx.size().y();
        x[15] = bx.size().z();
        x[16] = col;
        boxes.add(x);
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  public String name() {
    return camera.name();
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The camera (name, link, size, focal length) this renders. */
  public RobotRig.Camera camera() {
    return camera;
  }

  /** Focal length in pixels. */
  public double focal() {
    return f;
  }

  /** Position of the lens in the world at the last render (x, y, z; the eye's for a stereo eye), into {@code out}. */
  public void lensPosition(double[] out) {
    System.arraycopy(p, 0, out, 0, 3);
  }

  /**
   * Renders the view from {@code d} (forward kinematics done, base placed) into a CameraFrame.
   */
  public CameraFrame render(KinematicsData d, TaskWorld world, long sequence, Timestamp stamp) {
    renderImage(d, world);
    byte[] rgb = new byte[width * height * 3];
    if (swapRedBlue) {
      byte[] swapped = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
      System.arraycopy(swapped, 0, rgb, 0, rgb.length); // already R, G, B
    } else {
      int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
      for (int i = 0, o = 0; i < pixels.length; i++) {
        int c = pixels[i];
        rgb[o++] = (byte) (c >> 16);
        rgb[o++] = (byte) (c >> 8);
        rgb[o++] = (byte) c;
      }
    }
    d.linkQuat(camera.link(), quat, 0);
    return CameraFrame.newBuilder()
        .setSchemaVersion(1)
        .setRobotId(robotId)
        .setCameraName(camera.name())
        .setSequence(sequence)
        .setStamp(stamp)
        .setEncoding(ImageEncoding.IMAGE_ENCODING_RGB8)
        .setWidth(width)
        .setHeight(height)
        .setStep(width * 3)
        .setData(UnsafeByteOperations.unsafeWrap(rgb)) // ours alone from here: no copy needed
        .setIntrinsics(CameraIntrinsics.newBuilder().setFx(f).setFy(f).setCx(width / 2.0).setCy(height / 2.0)
            .setDistortionModel("none"))
        .setCameraPose(Pose3Proto.toProto(p, 0, quat, 0))
        .build();
  }

  /**
   * Renders into the internal image and returns it (valid until the next call). A video renderer's is
   * drawn with red and blue swapped: read it as R, G, B ({@link io.optimus.bridge.video.JpegEncoder#rgbView}).
   */
  public BufferedImage renderImage(KinematicsData d, TaskWorld world) {
    int c = camera.link();
    System.arraycopy(d.linkRotation, 9 * c, r, 0, 9);
    System.arraycopy(d.linkPosition, 3 * c, p, 0, 3);
    // the optical x axis in the world is the rotation's first column (toCamera multiplies by the transpose)
    p[0] += eyeOffset * r[0];
    p[1] += eyeOffset * r[3];
    p[2] += eyeOffset * r[6];
    count = 0;
    lastWorld = world;
    currentKind = KIND_BACKGROUND;
    // floor: a large square around the robot
    quad(-3, -3, 0, 4, -3, 0, 4, 3, 0, -3, 3, 0, FLOOR, true);
    if (world != null) {
      // the floor and the table sort by their farthest point: what stands on them is painted after them
      farthest = true;
      box((world.tableMinX + world.tableMaxX) / 2, (world.tableMinY + world.tableMaxY) / 2, world.tableTop / 2,
          null, 0, world.tableMaxX - world.tableMinX, world.tableMaxY - world.tableMinY, world.tableTop, TABLE);
      farthest = false;
      double[] t = world.targetCentre();
      double[] ts = world.targetSize();
      double z = world.tableTop + 0.001;
      double x0 = t[0] - ts[0] / 2;
      double x1 = t[0] + ts[0] / 2;
      double y0 = t[1] - ts[1] / 2;
      double y1 = t[1] + ts[1] / 2;
      quad(x0, y0, z, x1, y0, z, x1, y1, z, x0, y1, z, TARGET, true); // a decal inside the top: after it
      WorldObject[] objects = world.objects();
      for (int k = 0; k < objects.length; k++) {
        WorldObject o = objects[k];
        currentKind = k;
        Rotations.quatToMatrix(o.orientation, 0, tmp9, 0);
        box(o.position[0], o.position[1], o.position[2], tmp9, 0, o.size[0], o.size[1], o.size[2],
            rgb(Math.round(o.rgb[0] * 255), Math.round(o.rgb[1] * 255), Math.round(o.rgb[2] * 255)));
      }
    }
    currentKind = KIND_HAND;
    for (int i = 0; i < boxLink.length; i++) {
      int l = boxLink[i];
      localToWorld(d, l, boxCentre[3 * i], boxCentre[3 * i + 1], boxCentre[3 * i + 2], tmp);
      Rotations.matrixMultiply(d.linkRotation, 9 * l, boxRotation, 9 * i, tmp9, 0);
      box(tmp[0], tmp[1], tmp[2], tmp9, 0, boxSize[3 * i], boxSize[3 * i + 1], boxSize[3 * i + 2], boxColour[i]);
    }
    for (int i = 0; i < capsuleLink.length; i++) {
      int l = capsuleLink[i];
      int e = 6 * i;
      localToWorld(d, l, capsuleEnds[e], capsuleEnds[e + 1], capsuleEnds[e + 2], a);
      localToWorld(d, l, capsuleEnds[e + 3], capsuleEnds[e + 4], capsuleEnds[e + 5], b);
      capsule(a, b, capsuleRadius[i], capsuleColour[i]);
    }
    draw();
    return image;
  }

  private final double[] tmp9 = new double[9];
  private boolean farthest;

  /** Plane of the clipped polygon in outX/outY/outZ (Newell's normal, robust for any convex outline). */
  private void setPlane(int s, int m) {
    double nx = 0;
    double ny = 0;
    double nz = 0;
    double cx = 0;
    double cy = 0;
    double cz = 0;
    for (int i = 0; i < m; i++) {
      int j = (i + 1) % m;
      nx += (outY[i] - outY[j]) * (outZ[i] + outZ[j]);
      ny += (outZ[i] - outZ[j]) * (outX[i] + outX[j]);
      nz += (outX[i] - outX[j]) * (outY[i] + outY[j]);
      cx += outX[i] / m;
      cy += outY[i] / m;
      cz += outZ[i] / m;
    }
    plane[4 * s] = nx;
    plane[4 * s + 1] = ny;
    plane[4 * s + 2] = nz;
    plane[4 * s + 3] = nx * cx + ny * cy + nz * cz;
  }

  /**
   * Labels of the frame last rendered ({@link #render} or {@link #renderImage}): the same primitives
   * painted in the same order, each in a colour naming it, without antialiasing; then per pixel its class,
   * object and depth (the ray through the pixel centre met with the primitive's plane). Allocates the
   * label arrays; call it only where labels are wanted (training data), never in the control loop.
   */
  public CameraLabels lastLabels() {
    if (labelImage == null) {
      labelImage = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      labelGraphics = labelImage.createGraphics();
      labelGraphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
      // exact geometry: a pixel is a primitive's when its centre is inside it (no half-pixel normalisation)
      labelGraphics.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    }
    Graphics2D lg = labelGraphics;
    lg.setColor(Color.BLACK);
    lg.fillRect(0, 0, width, height);
    for (int k = count - 1; k >= 0; k--) {
      int i = (int) order[k];
      lg.setColor(new Color(i + 1)); // 0 stays the backdrop
      int n = vertices[i];
      int o = i * MAX_VERTICES;
      if (n == 0) {
        double rad = py[o + 1];
        disc.setFrame(px[o] - rad, py[o] - rad, 2 * rad, 2 * rad);
        lg.fill(disc);
      } else {
        path.reset();
        path.moveTo(px[o], py[o]);
        for (int v = 1; v < n; v++) {
          path.lineTo(px[o + v], py[o + v]);
        }
        path.closePath();
        lg.fill(path);
      }
    }
    int[] ids = ((DataBufferInt) labelImage.getRaster().getDataBuffer()).getData();
    byte[] seg = new byte[width * height];
    byte[] inst = new byte[width * height];
    float[] z = new float[width * height];
    WorldObject[] objects = lastWorld == null ? new WorldObject[0] : lastWorld.objects();
    int[] seen = new int[objects.length];
    for (int v = 0; v < height; v++) {
      double ry = (v + 0.5 - height / 2.0) / f;
      for (int u = 0; u < width; u++) {
        int pix = v * width + u;
        int i = (ids[pix] & 0xffffff) - 1;
        if (i < 0) {
          continue; // the backdrop: background, no depth
        }
        int what = kind[i];
        if (what == KIND_HAND) {
          seg[pix] = CameraLabels.HAND;
        } else if (what >= 0) {
          seg[pix] = CameraLabels.OBJECT;
          inst[pix] = (byte) (what + 1);
          seen[what]++;
        }
        double rx = (u + 0.5 - width / 2.0) / f;
        double nx = plane[4 * i];
        double along = nx * rx + plane[4 * i + 1] * ry + plane[4 * i + 2];
        double zi = Double.isNaN(nx) ? depth[i] : plane[4 * i + 3] / along;
        // a plane seen edge-on (or a pixel just beyond its outline): fall back to the primitive's depth
        z[pix] = (float) (Double.isFinite(zi) && zi >= NEAR ? zi : depth[i]);
      }
    }
    List<CameraLabels.ObjectCentre> centres = new ArrayList<>(objects.length);
    for (int k = 0; k < objects.length; k++) {
      WorldObject o = objects[k];
      toCamera(o.position[0], o.position[1], o.position[2], tmp);
      double u = tmp[2] > NEAR ? f * tmp[0] / tmp[2] + width / 2.0 : Double.NaN;
      double v = tmp[2] > NEAR ? f * tmp[1] / tmp[2] + height / 2.0 : Double.NaN;
      centres.add(new CameraLabels.ObjectCentre(o.name, u, v, tmp[2], seen[k]));
    }
    return new CameraLabels(width, height, seg, inst, z, List.copyOf(centres));
  }

  /** Paints the primitives far to near. */
  private void draw() {
    for (int i = 0; i < count; i++) {
      // depths are positive: their IEEE bits order like the values; far first = descending
      order[i] = ((long) Float.floatToIntBits((float) depthOf(i)) << 32) | i;
    }
    Arrays.sort(order, 0, count);
    g.setColor(walls);
    g.fillRect(0, 0, width, height);
    for (int k = count - 1; k >= 0; k--) {
      int i = (int) order[k];
      g.setColor(colour(colour[i]));
      int n = vertices[i];
      int o = i * MAX_VERTICES;
      if (n == 0) {
        double rad = py[o + 1];
        disc.setFrame(px[o] - rad, py[o] - rad, 2 * rad, 2 * rad);
        g.fill(disc);
      } else {
        path.reset();
        path.moveTo(px[o], py[o]);
        for (int v = 1; v < n; v++) {
          path.lineTo(px[o + v], py[o + v]);
        }
        path.closePath();
        g.fill(path);
      }
    }
  }

  // depth of each primitive, kept beside the vertices
  private double[] depth = new double[64];

  private double depthOf(int i) {
    return depth[i];
  }

  /** A new primitive slot (growing the arrays when a model has more parts than seen so far). */
  private int slot(int vertexCount, double z, int rgb) {
    if (count == vertices.length) {
      int n = 2 * count;
      px = Arrays.copyOf(px, n * MAX_VERTICES);
      py = Arrays.copyOf(py, n * MAX_VERTICES);
      vertices = Arrays.copyOf(vertices, n);
      colour = Arrays.copyOf(colour, n);
      depth = Arrays.copyOf(depth, n);
      order = Arrays.copyOf(order, n);
      kind = Arrays.copyOf(kind, n);
      plane = Arrays.copyOf(plane, 4 * n);
    }
    int i = count++;
    vertices[i] = vertexCount;
    depth[i] = z;
    colour[i] = rgb;
    kind[i] = currentKind;
    plane[4 * i] = Double.NaN;
    return i;
  }

  private static void localToWorld(KinematicsData d, int link, double x, double y, double z, double[] out) {
    double[] m = d.linkRotation;
    int o = 9 * link;
    out[0] = d.linkPosition[3 * link] + m[o] * x + m[o + 1] * y + m[o + 2] * z;
    out[1] = d.linkPosition[3 * link + 1] + m[o + 3] * x + m[o + 4] * y + m[o + 5] * z;
    out[2] = d.linkPosition[3 * link + 2] + m[o + 6] * x + m[o + 7] * y + m[o + 8] * z;
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

  private void quad(double x0, double y0, double z0, double x1, double y1, double z1, double x2, double y2, double z2,
      double x3, double y3, double z3, int rgb, boolean byFarthest) {
    toCamera(x0, y0, z0, tmp);
    inX[0] = tmp[0];
    inY[0] = tmp[1];
    inZ[0] = tmp[2];
    toCamera(x1, y1, z1, tmp);
    inX[1] = tmp[0];
    inY[1] = tmp[1];
    inZ[1] = tmp[2];
    toCamera(x2, y2, z2, tmp);
    inX[2] = tmp[0];
    inY[2] = tmp[1];
    inZ[2] = tmp[2];
    toCamera(x3, y3, z3, tmp);
    inX[3] = tmp[0];
    inY[3] = tmp[1];
    inZ[3] = tmp[2];
    boolean was = farthest;
    farthest = byFarthest;
    polygon(4, rgb);
    farthest = was;
  }

  /**
   * The convex polygon in inX/inY/inZ (camera coordinates), clipped at the near plane and projected;
   * its depth is its vertices' mean, or their maximum while {@link #farthest} is set.
   */
  private void polygon(int n, int rgb) {
    int m = 0;
    double depthSum = 0;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      boolean ain = inZ[i] >= NEAR;
      boolean bin = inZ[j] >= NEAR;
      if (ain) {
        outX[m] = inX[i];
        outY[m] = inY[i];
        outZ[m++] = inZ[i];
      }
      if (ain != bin) {
        double t = (NEAR - inZ[i]) / (inZ[j] - inZ[i]);
        outX[m] = inX[i] + t * (inX[j] - inX[i]);
        outY[m] = inY[i] + t * (inY[j] - inY[i]);
        outZ[m++] = NEAR;
      }
    }
    if (m < 3) {
      return;
    }
    double max = 0;
    for (int i = 0; i < m; i++) {
      depthSum += outZ[i];
      max = Math.max(max, outZ[i]);
    }
    int s = slot(m, farthest ? max : depthSum / m, rgb);
    setPlane(s, m);
    int o = s * MAX_VERTICES;
    for (int i = 0; i < m; i++) {
      px[o + i] = f * outX[i] / outZ[i] + width / 2.0;
      py[o + i] = f * outY[i] / outZ[i] + height / 2.0;
    }
  }

  /**
   * A box centred at (x, y, z) with the given size and orientation (row-major rotation at {@code rot[off]},
   * null = axis-aligned); faces turned away from the camera are left out.
   */
  private void box(double x, double y, double z, double[] rot, int off, double sx, double sy, double sz, int rgb) {
    for (int i = 0; i < 8; i++) {
      double lx = ((i & 1) == 0 ? -0.5 : 0.5) * sx;
      double ly = ((i & 2) == 0 ? -0.5 : 0.5) * sy;
      double lz = ((i & 4) == 0 ? -0.5 : 0.5) * sz;
      double wx = lx;
      double wy = ly;
      double wz = lz;
      if (rot != null) {
        wx = rot[off] * lx + rot[off + 1] * ly + rot[off + 2] * lz;
        wy = rot[off + 3] * lx + rot[off + 4] * ly + rot[off + 5] * lz;
        wz = rot[off + 6] * lx + rot[off + 7] * ly + rot[off + 8] * lz;
      }
      toCamera(x + wx, y + wy, z + wz, corners[i]);
    }
    toCamera(x, y, z, tmp);
    double cx = tmp[0];
    double cy = tmp[1];
    double cz = tmp[2];
    for (int k = 0; k < 6; k++) {
      int[] fc = FACES[k];
      double fx = 0;
      double fy = 0;
      double fz = 0;
      for (int v = 0; v < 4; v++) {
        double[] c = corners[fc[v]];
        inX[v] = c[0];
        inY[v] = c[1];
        inZ[v] = c[2];
        fx += c[0] / 4;
        fy += c[1] / 4;
        fz += c[2] / 4;
      }
      // back face: its outward normal (centre to face centre) points away from the lens
      if ((fx - cx) * fx + (fy - cy) * fy + (fz - cz) * fz > 0) {
        continue;
      }
      polygon(4, shade(rgb, SHADE[k]));
    }
  }

  /**
   * A capsule between world points {@code wa} and {@code wb}: its axis clipped at the near plane, then
   * a tapered outline between the projected ends (each as wide as the radius is there) and a disc at
   * each end. Its depth is its nearest point's, so a finger in front of a cube is painted over it.
   */
  private void capsule(double[] wa, double[] wb, double radius, int rgb) {
    toCamera(wa[0], wa[1], wa[2], ca);
    toCamera(wb[0], wb[1], wb[2], cb);
    if (ca[2] < NEAR && cb[2] < NEAR) {
      return;
    }
    if (ca[2] < NEAR || cb[2] < NEAR) {
      double[] in = ca[2] >= NEAR ? ca : cb;
      double[] out = ca[2] >= NEAR ? cb : ca;
      double t = (NEAR - in[2]) / (out[2] - in[2]);
      out[0] = in[0] + t * (out[0] - in[0]);
      out[1] = in[1] + t * (out[1] - in[1]);
      out[2] = NEAR;
    }
    double ua = f * ca[0] / ca[2] + width / 2.0;
    double va = f * ca[1] / ca[2] + height / 2.0;
    double ub = f * cb[0] / cb[2] + width / 2.0;
    double vb = f * cb[1] / cb[2] + height / 2.0;
    double ra = f * radius / ca[2];
    double rb = f * radius / cb[2];
    double near = Math.min(ca[2], cb[2]);
    double du = ub - ua;
    double dv = vb - va;
    double len = Math.sqrt(du * du + dv * dv);
    if (len > 1e-9) {
      double nu = -dv / len;
      double nv = du / len;
      int s = slot(4, near, rgb);
      int o = s * MAX_VERTICES;
      px[o] = ua + nu * ra;
      py[o] = va + nv * ra;
      px[o + 1] = ub + nu * rb;
      py[o + 1] = vb + nv * rb;
      px[o + 2] = ub - nu * rb;
      py[o + 2] = vb - nv * rb;
      px[o + 3] = ua - nu * ra;
      py[o + 3] = va - nv * ra;
    }
    int s = slot(0, near, rgb);
    px[s * MAX_VERTICES] = ua;
    py[s * MAX_VERTICES] = va;
    py[s * MAX_VERTICES + 1] = ra;
    if (len > 1e-9 || rb != ra) {
      s = slot(0, near, rgb);
      px[s * MAX_VERTICES] = ub;
      py[s * MAX_VERTICES] = vb;
      py[s * MAX_VERTICES + 1] = rb;
    }
  }

  private final double[] ca = new double[3];
  private final double[] cb = new double[3];

  private static int rgb(int r, int g, int b) {
    return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
  }

  private static int swap(int rgb) {
    return ((rgb & 0xff) << 16) | (rgb & 0xff00) | ((rgb >> 16) & 0xff);
  }

  private static int clamp(int v) {
    return v < 0 ? 0 : Math.min(v, 255);
  }

  private static int shade(int rgb, double s) {
    return rgb((int) (((rgb >> 16) & 0xff) * s), (int) (((rgb >> 8) & 0xff) * s), (int) ((rgb & 0xff) * s));
  }

  /** A Color per RGB value, cached (direct-mapped) so that a frame does not allocate one per primitive. */
  private Color colour(int rgb) {
    int h = (rgb * 0x9E3779B1) >>> 26; // 64 slots
    if (colourKey[h] != rgb) {
      colourKey[h] = rgb;
      colourValue[h] = new Color(swapRedBlue ? swap(rgb) : rgb);
    }
    return colourValue[h];
  }
}

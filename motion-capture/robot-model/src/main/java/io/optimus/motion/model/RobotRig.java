package io.optimus.motion.model;

import io.optimus.motion.geometry.proto.Pose3Proto;
import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.proto.v1.CameraInfo;
import io.optimus.proto.v1.CameraIntrinsics;
import io.optimus.proto.v1.RobotDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * What the bridge needs to know about a robot model, compiled once: kinematics, the home (= safe)
 * pose, where the base stands (feet on the floor), the palm, fingertip and camera frames (the head
 * camera and, on models that have the frames, one camera on each wrist), and the description the
 * bridge publishes. Immutable; per-tick state lives in {@link KinematicsData}.
 */
public final class RobotRig {
  public static final String HEAD_CAMERA = "head_camera";
  public static final String LEFT_WRIST_CAMERA = "left_wrist_camera";
  public static final String RIGHT_WRIST_CAMERA = "right_wrist_camera";
  /** Head camera: 96x96 (the size policies train on), 80 degrees vertical field of view. */
  public static final CameraSize DEFAULT_HEAD_CAMERA = new CameraSize(96, 96, Math.toRadians(80));
  /** Wrist cameras: 96x96, 90 degrees (wide, as the close-up of fingers and object needs). */
  public static final CameraSize DEFAULT_WRIST_CAMERA = new CameraSize(96, 96, Math.toRadians(90));
  private static final String[] FINGERS = {"thumb", "index", "middle", "ring", "little"};

  private final RobotModel model;
  private final Kinematics kinematics;
  private final double[] home;
  private final double baseHeight;
  private final int leftFoot;
  private final int rightFoot;
  private final Hand left;
  private final Hand right;
  private final int cameraLink;
  /** Pelvis position of the home pose standing (feet on the floor, centred): where a stand holds it. */
  private final double[] standBase;
  private final int cameraWidth;
  private final int cameraHeight;
  private final double cameraFovY;
  private final CameraSize wristCamera;
  private final List<Camera> cameras;

  /**
   * A camera at an optical frame of the model (x right, y down, z forward).
   *
   * @param name the name on the wire ("head", "left_wrist", "right_wrist"): topic, episode channel
   * @param link the optical frame's link index
   * @param focal focal length in pixels (square pixels, principal point at the image centre)
   */
  public record Camera(String name, int link, int width, int height, double focal, double verticalFovRad) {}

  /** A hand: palm link, fingertip links, the finger joints, and fingertip-to-palm distances open and closed. */
  public record Hand(String side, int palmLink, int[] tipLinks, int[] fingerQ, double[] openDistance,
      double[] closedDistance) {
    public boolean present() {
      return palmLink >= 0;
    }
  }

  public RobotRig(RobotModel model) {
    this(model, DEFAULT_HEAD_CAMERA, DEFAULT_WRIST_CAMERA);
  }

  public RobotRig(RobotModel model, int cameraWidth, int cameraHeight, double cameraFovY) {
    this(model, new CameraSize(cameraWidth, cameraHeight, cameraFovY), DEFAULT_WRIST_CAMERA);
  }

  /**
   * @param head the head camera's size
   * @param wrist the wrist cameras' size, or null for none (models without wrist-camera frames have none anyway)
   */
  public RobotRig(RobotModel model, CameraSize head, CameraSize wrist) {
    this.model = model;
    this.kinematics = new Kinematics(model);
    this.cameraWidth = head.width();
    this.cameraHeight = head.height();
    this.cameraFovY = head.verticalFovRad();
    this.wristCamera = wrist;
    this.home = homePose(model);
    this.cameraLink = model.linkIndex(HEAD_CAMERA);
    List<Camera> cams = new ArrayList<>();
    if (cameraLink > 0) {
      cams.add(new Camera("head", cameraLink, head.width(), head.height(), head.focal(), head.verticalFovRad()));
    }
    for (String frame : new String[] {LEFT_WRIST_CAMERA, RIGHT_WRIST_CAMERA}) {
      int l = model.linkIndex(frame);
      if (l > 0 && wrist != null) {
        cams.add(new Camera(frame.substring(0, frame.length() - "_camera".length()), l, wrist.width(), wrist.height(),
            wrist.focal(), wrist.verticalFovRad()));
      }
    }
    this.cameras = List.copyOf(cams);
    this.leftFoot = model.linkIndex("left_foot");
    this.rightFoot = model.linkIndex("right_foot");
    KinematicsData d = kinematics.newData();
    System.arraycopy(home, 0, d.q, 0, home.length);
    kinematics.forward(d);
    double lowest = 0;
    boolean found = false;
    for (int l = 0; l < model.links().size(); l++) {
      String n = model.links().get(l).name();
      if (n.endsWith("_foot") || n.endsWith("ankle_roll_link") || n.endsWith("_sole")) {
        double z = d.linkPosition[3 * l + 2];
        lowest = found ? Math.min(lowest, z) : z;
        found = true;
      }
    }
    // A model without feet (an arm on a stand) stands its root at 1 m.
    this.baseHeight = found ? -lowest : 1.0;
    this.left = hand("left");
    this.right = hand("right");
    KinematicsData standing = kinematics.newData();
    System.arraycopy(home, 0, standing.q, 0, home.length);
    forwardStanding(standing);
    this.standBase = standing.basePosition.clone();
  }

  /**
   * Standing, arms hanging with elbows slightly bent, fingers open, head tilted down to the table:
   * every joint at 0 clamped into its limits, elbows 0.3 rad into their range, neck pitch 0.7 rad.
   */
  static double[] homePose(RobotModel model) {
    double[] q = new double[model.dof()];
    for (Joint j : model.dofJoints()) {
      int i = j.qIndex();
      double v = 0;
      if (j.name().contains("elbow") && j.limits().hasPositionLimits()) {
        v = Math.abs(j.limits().lower()) > Math.abs(j.limits().upper()) ? -0.3 : 0.3;
      } else if (j.name().contains("neck_pitch")) {
        v = 0.7; // look down at the table in front (positive pitch about y tips x down)
      }
      q[i] = j.limits().hasPositionLimits() ? j.limits().clamp(v) : v;
    }
    model.normalize(q);
    return q;
  }

  private Hand hand(String side) {
    int palm = model.linkIndex(side + "_palm");
    if (palm < 0) {
      return new Hand(side, -1, new int[0], new int[0], new double[0], new double[0]);
    }
    List<Integer> tips = new ArrayList<>();
    for (String f : FINGERS) {
      int t = model.linkIndex(side + "_" + f + "_tip");
      if (t >= 0) {
        tips.add(t);
      }
    }
    List<Integer> fingerQ = new ArrayList<>();
    for (Joint j : model.dofJoints()) {
      if (j.group().equals(side + "_hand")) {
        fingerQ.add(j.qIndex());
      }
    }
    int[] tipArr = tips.stream().mapToInt(Integer::intValue).toArray();
    int[] fq = fingerQ.stream().mapToInt(Integer::intValue).toArray();
    double[] open = tipDistances(palm, tipArr, fq, false);
    double[] closed = tipDistances(palm, tipArr, fq, true);
    return new Hand(side, palm, tipArr, fq, open, closed);
  }

  private double[] tipDistances(int palm, int[] tips, int[] fingerQ, boolean closed) {
    KinematicsData d = kinematics.newData();
    System.arraycopy(home, 0, d.q, 0, home.length);
    for (int i : fingerQ) {
      Joint j = model.dofJoints().get(i);
      if (j.limits().hasPositionLimits()) {
        // "closed" is the end of the range farther from zero (fingers curl away from 0)
        double lo = j.limits().lower();
        double hi = j.limits().upper();
        d.q[i] = closed ? (Math.abs(hi) >= Math.abs(lo) ? hi : lo) : (Math.abs(hi) >= Math.abs(lo) ? lo : hi);
      }
    }
    kinematics.forward(d);
    double[] out = new double[tips.length];
    for (int k = 0; k < tips.length; k++) {
      out[k] = distance(d, palm, tips[k]);
    }
    return out;
  }

  static double distance(KinematicsData d, int a, int b) {
    double dx = d.linkPosition[3 * a] - d.linkPosition[3 * b];
    double dy = d.linkPosition[3 * a + 1] - d.linkPosition[3 * b + 1];
    double dz = d.linkPosition[3 * a + 2] - d.linkPosition[3 * b + 2];
    return Math.sqrt(dx * dx + dy * dy + dz * dz);
  }

  /**
   * Finger closure 0 (open) .. 1 (fist) from forward kinematics: how far each fingertip has moved
   * from its open distance to the palm towards its closed distance, averaged. Needs {@code forward}.
   */
  public double closure(KinematicsData d, Hand h) {
    if (!h.present() || h.tipLinks().length == 0) {
      return 0;
    }
    double sum = 0;
    for (int k = 0; k < h.tipLinks().length; k++) {
      double span = h.openDistance()[k] - h.closedDistance()[k];
      double c = span > 1e-6 ? (h.openDistance()[k] - distance(d, h.palmLink(), h.tipLinks()[k])) / span : 0;
      sum += c < 0 ? 0 : (c > 1 ? 1 : c);
    }
    return sum / h.tipLinks().length;
  }

  /**
   * Forward kinematics of {@code d.q} with the pelvis fixed on a stand where it stands at home (the
   * physics world's tabletop setup): unlike {@link #forwardStanding}, bent legs do not move the pelvis.
   * Allocation-free.
   */
  public void forwardOnStand(KinematicsData d) {
    placeBase(d);
    System.arraycopy(standBase, 0, d.basePosition, 0, 3);
    kinematics.forward(d);
  }

  /** The pelvis position on the stand (x, y, z), a copy: where {@link #forwardStanding} puts it at home. */
  public double[] standBase() {
    return standBase.clone();
  }

  /** Puts the floating base where the robot stands at home (feet on the floor at the origin). */
  public void placeBase(KinematicsData d) {
    d.basePosition[0] = 0;
    d.basePosition[1] = 0;
    d.basePosition[2] = baseHeight;
    for (int i = 0; i < 9; i++) {
      d.baseRotation[i] = (i % 4 == 0) ? 1 : 0;
    }
  }

  /**
   * Forward kinematics of {@code d.q} with the robot standing: pelvis upright, lowest foot on the
   * floor, feet centred on the origin (a bent knee lowers the pelvis). Models without feet keep the
   * base of {@link #placeBase}. Allocation-free.
   */
  public void forwardStanding(KinematicsData d) {
    placeBase(d);
    kinematics.forward(d);
    if (leftFoot < 0 || rightFoot < 0) {
      return;
    }
    double[] p = d.linkPosition;
    double dx = -(p[3 * leftFoot] + p[3 * rightFoot]) / 2;
    double dy = -(p[3 * leftFoot + 1] + p[3 * rightFoot + 1]) / 2;
    double dz = -Math.min(p[3 * leftFoot + 2], p[3 * rightFoot + 2]);
    for (int i = 0; i < p.length; i += 3) {
      p[i] += dx;
      p[i + 1] += dy;
      p[i + 2] += dz;
    }
    double[] j = d.jointPosition;
    for (int i = 0; i < j.length; i += 3) {
      j[i] += dx;
      j[i + 1] += dy;
      j[i + 2] += dz;
    }
    d.basePosition[0] += dx;
    d.basePosition[1] += dy;
    d.basePosition[2] += dz;
  }

  /** The description this bridge publishes: the model's, with our robot id, rate and cameras. */
  public RobotDescription describe(String robotId, double controlRateHz, double cameraRateHz) {
    RobotDescription base = model.toDescription(robotId);
    RobotDescription.Builder b = base.toBuilder().setControlRateHz(controlRateHz).clearCameras();
    if (cameraRateHz > 0) {
      for (Camera c : cameras) {
        Joint mount = model.joints().get(c.link() - 1);
        b.addCameras(CameraInfo.newBuilder()
            .setName(c.name())
            .setParentLink(mount.parent())
            .setPoseInParent(Pose3Proto.toProto(mount.origin()))
            .setWidth(c.width())
            .setHeight(c.height())
            .setIntrinsics(CameraIntrinsics.newBuilder().setFx(c.focal()).setFy(c.focal())
                .setCx(c.width() / 2.0).setCy(c.height() / 2.0).setDistortionModel("none"))
            .setRateHz(cameraRateHz));
      }
    }
    return b.build();
  }

  /** This rig with the wrist cameras at {@code size} (null: none); the head camera unchanged. */
  public RobotRig withWristCamera(CameraSize size) {
    return new RobotRig(model, new CameraSize(cameraWidth, cameraHeight, cameraFovY), size);
  }

  /** The cameras this rig renders: the head's first, then the wrists' (those the model has frames for). */
  public List<Camera> cameras() {
    return cameras;
  }

  /** The wrist cameras' size, null when they are off. */
  public CameraSize wristCamera() {
    return wristCamera;
  }

  public RobotModel model() {
    return model;
  }

  public Kinematics kinematics() {
    return kinematics;
  }

  public int dof() {
    return model.dof();
  }

  /** The home pose (also the safe pose), a copy. */
  public double[] home() {
    return home.clone();
  }

  public double baseHeight() {
    return baseHeight;
  }

  public Hand left() {
    return left;
  }

  public Hand right() {
    return right;
  }

  /** Link index of the head camera's optical frame, -1 if the model has none. */
  public int cameraLink() {
    return cameraLink;
  }

  public int cameraWidth() {
    return cameraWidth;
  }

  public int cameraHeight() {
    return cameraHeight;
  }

  /** Focal length in pixels. */
  public double cameraFocal() {
    return cameraHeight / 2.0 / Math.tan(cameraFovY / 2);
  }
}

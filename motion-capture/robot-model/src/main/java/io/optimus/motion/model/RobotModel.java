package io.optimus.motion.model;

import io.optimus.common.BuildInfo;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.geometry.proto.Pose3Proto;
import io.optimus.motion.geometry.proto.Vec3Proto;
import io.optimus.proto.v1.CameraInfo;
import io.optimus.proto.v1.CameraIntrinsics;
import io.optimus.proto.v1.JointInfo;
import io.optimus.proto.v1.RobotDescription;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable robot: a tree of links joined by joints (the per-tick state lives in
 * io.optimus.motion.kinematics.KinematicsData, like MuJoCo's mjModel/mjData).
 *
 * <p>Order: {@code links} is depth-first from the root; {@code joints.get(i)} is the parent joint of
 * {@code links.get(i + 1)}. q is indexed by the non-fixed joints in that order (mimic joints included),
 * which is also the order of {@link #toDescription} and so of every joint array in the system.
 */
public final class RobotModel {
  private final String name;
  private final List<Link> links;
  private final List<Joint> joints;
  private final List<Joint> dofJoints;
  private final boolean floatingRoot;
  private final String urdf;
  private final Map<String, Integer> linkIndex = new LinkedHashMap<>();
  private final Map<String, Integer> jointIndex = new LinkedHashMap<>();
  private final int[] jointParentLink;
  private final String hash;
  private volatile String displayUrdf;

  RobotModel(String name, List<Link> links, List<Joint> joints, boolean floatingRoot, String urdf) {
    this.name = name;
    this.links = List.copyOf(links);
    this.joints = List.copyOf(joints);
    this.floatingRoot = floatingRoot;
    this.urdf = urdf;
    for (int i = 0; i < links.size(); i++) {
      linkIndex.put(links.get(i).name(), i);
    }
    List<Joint> dofs = new ArrayList<>();
    jointParentLink = new int[joints.size()];
    for (int j = 0; j < joints.size(); j++) {
      Joint joint = joints.get(j);
      jointIndex.put(joint.name(), j);
      jointParentLink[j] = linkIndex.get(joint.parent());
      if (!joint.child().equals(links.get(j + 1).name())) {
        throw new IllegalArgumentException("joint " + j + " must be the parent of link " + (j + 1));
      }
      if (joint.type().moves()) {
        if (joint.qIndex() != dofs.size()) {
          throw new IllegalArgumentException("joint " + joint.name() + " has q index " + joint.qIndex());
        }
        dofs.add(joint);
      }
    }
    this.dofJoints = Collections.unmodifiableList(dofs);
    this.hash = computeHash();
  }

  public String name() {
    return name;
  }

  /** The root link (the floating base when {@link #hasFloatingRoot()}). */
  public Link root() {
    return links.get(0);
  }

  /** True when the URDF attached the root to the world through a floating joint. */
  public boolean hasFloatingRoot() {
    return floatingRoot;
  }

  public List<Link> links() {
    return links;
  }

  /** Every joint, fixed ones included; joint i is the parent joint of link i + 1. */
  public List<Joint> joints() {
    return joints;
  }

  /** The non-fixed joints in q order. */
  public List<Joint> dofJoints() {
    return dofJoints;
  }

  /** Length of q: number of non-fixed joints, mimic joints included. */
  public int dof() {
    return dofJoints.size();
  }

  /** Number of joints that move on their own (non-fixed, not mimic). */
  public int independentDof() {
    int n = 0;
    for (Joint j : dofJoints) {
      if (!j.isMimic()) {
        n++;
      }
    }
    return n;
  }

  public Optional<Link> link(String linkName) {
    Integer i = linkIndex.get(linkName);
    return i == null ? Optional.empty() : Optional.of(links.get(i));
  }

  /** Index of the link in {@link #links()}; -1 if absent. */
  public int linkIndex(String linkName) {
    Integer i = linkIndex.get(linkName);
    return i == null ? -1 : i;
  }

  /** Index of the joint in {@link #joints()}; -1 if absent. */
  public int jointIndex(String jointName) {
    Integer i = jointIndex.get(jointName);
    return i == null ? -1 : i;
  }

  /** Index of the joint in q; -1 if absent or fixed. */
  public int qIndex(String jointName) {
    Integer i = jointIndex.get(jointName);
    return i == null ? -1 : joints.get(i).qIndex();
  }

  /** {@link #qIndex} of each named joint, in the names' order (another joint list mapped onto this q). */
  public int[] qIndices(java.util.List<String> jointNames) {
    int[] index = new int[jointNames.size()];
    for (int i = 0; i < index.length; i++) {
      index[i] = qIndex(jointNames.get(i));
    }
    return index;
  }

  public Optional<Joint> joint(String jointName) {
    Integer i = jointIndex.get(jointName);
    return i == null ? Optional.empty() : Optional.of(joints.get(i));
  }

  /** Index in {@link #links()} of the parent link of joint {@code j}. */
  public int parentLinkOf(int j) {
    return jointParentLink[j];
  }

  public double totalMass() {
    double m = 0;
    for (Link l : links) {
      m += l.inertial().mass();
    }
    return m;
  }

  /** The URDF text the model was read from (empty if built otherwise). */
  public String urdf() {
    return urdf;
  }

  /** Clamps q into position limits and makes mimic joints follow their sources, in place. */
  public void normalize(double[] q) {
    for (Joint j : dofJoints) {
      int i = j.qIndex();
      if (j.isMimic()) {
        q[i] = j.mimic().multiplier() * q[qIndex(j.mimic().joint())] + j.mimic().offset();
      }
      if (j.limits().hasPositionLimits()) {
        q[i] = j.limits().clamp(q[i]);
      }
    }
  }

  /** The model as a URDF of standard elements only, for viewers ({@link DisplayUrdf}; made once). */
  public String displayUrdf() {
    String d = displayUrdf;
    if (d == null) {
      d = DisplayUrdf.of(this);
      displayUrdf = d;
    }
    return d;
  }

  /** SHA-256 (hex) of the canonical model: names, tree, origins, axes, limits, mimic, inertials, collisions. */
  public String modelHash() {
    return hash;
  }

  /**
   * The wire description of the body alone: joints = {@link #dofJoints()} in q order, root, mass,
   * hash and URDF. The control rate and the cameras (resolution, intrinsics, rate) belong to the
   * runtime that drives the body, not to the model, so they are left unset here (rate 0, no
   * cameras); a runtime states them with {@link #toDescription(String, double, List)}, e.g. with
   * {@link #headCamera}.
   */
  public RobotDescription toDescription(String robotId) {
    return toDescription(robotId, 0, List.of());
  }

  /** The wire description of the body as driven at {@code controlRateHz} with these cameras. */
  public RobotDescription toDescription(String robotId, double controlRateHz, List<CameraInfo> cameras) {
    if (!(controlRateHz >= 0) || Double.isInfinite(controlRateHz)) {
      throw new IllegalArgumentException("control rate " + controlRateHz + " Hz: must be finite and >= 0");
    }
    RobotDescription.Builder b = RobotDescription.newBuilder()
        .setSchemaVersion(1)
        .setRobotId(robotId)
        .setModelName(name)
        .setModelHash(hash)
        .setRootLink(root().name())
        .setTotalMass(totalMass())
        .setSoftwareVersion(BuildInfo.version())
        .setUrdf(urdf)
        .setDisplayUrdf(displayUrdf())
        .setControlRateHz(controlRateHz)
        .addAllCameras(cameras);
    for (Joint j : dofJoints) {
      JointInfo.Builder jb = JointInfo.newBuilder()
          .setName(j.name())
          .setType(j.type().toProto())
          .setLimits(j.limits().toProto())
          .setParentLink(j.parent())
          .setChildLink(j.child())
          .setAxis(Vec3Proto.toProto(j.axis()))
          .setGroup(j.group());
      if (j.isMimic()) {
        jb.setMimicOf(j.mimic().joint()).setMimicMultiplier(j.mimic().multiplier()).setMimicOffset(j.mimic().offset());
      }
      b.addJoints(jb);
    }
    return b.build();
  }

  /**
   * A distortion-free pinhole camera mounted at the fixed {@code head_camera} frame (optical axes x
   * right, y down, z forward), square pixels, principal point at the image centre; empty when the
   * model has no such frame. The mount is the model's; resolution, field of view and rate are the
   * runtime's.
   */
  public Optional<CameraInfo> headCamera(String cameraName, int width, int height, double verticalFovRad, double rateHz) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("camera resolution " + width + "x" + height + ": must be positive");
    }
    if (!(verticalFovRad > 0 && verticalFovRad < Math.PI)) {
      throw new IllegalArgumentException("camera vertical field of view " + verticalFovRad + " rad: must be in (0, pi)");
    }
    if (!(rateHz >= 0) || Double.isInfinite(rateHz)) {
      throw new IllegalArgumentException("camera rate " + rateHz + " Hz: must be finite and >= 0");
    }
    int cam = linkIndex("head_camera");
    if (cam <= 0) {
      return Optional.empty();
    }
    Joint mount = joints.get(cam - 1);
    double f = height / 2.0 / Math.tan(verticalFovRad / 2);
    return Optional.of(CameraInfo.newBuilder()
        .setName(cameraName)
        .setParentLink(mount.parent())
        .setPoseInParent(Pose3Proto.toProto(mount.origin()))
        .setWidth(width)
        .setHeight(height)
        .setIntrinsics(CameraIntrinsics.newBuilder()
            .setFx(f).setFy(f).setCx(width / 2.0).setCy(height / 2.0).setDistortionModel("none"))
        .setRateHz(rateHz)
        .build());
  }

  private String computeHash() {
    StringBuilder s = new StringBuilder("optimus-robot-model/1\n").append(name).append('\n');
    s.append("root ").append(root().name()).append(floatingRoot ? " floating" : " fixed").append('\n');
    for (Link l : links) {
      Inertial in = l.inertial();
      s.append("link ").append(l.name()).append(' ').append(num(in.mass())).append(' ').append(pose(in.origin()));
      for (double v : new double[] {in.ixx(), in.ixy(), in.ixz(), in.iyy(), in.iyz(), in.izz()}) {
        s.append(' ').append(num(v));
      }
      s.append('\n');
      for (Shape c : l.collisions()) {
        s.append("  collision ").append(pose(c.origin())).append(' ').append(c.geometry()).append('\n');
      }
    }
    for (Joint j : joints) {
      s.append("joint ").append(j.name()).append(' ').append(j.type().urdfName()).append(' ')
          .append(j.parent()).append(' ').append(j.child()).append(' ').append(pose(j.origin()))
          .append(" axis ").append(vec(j.axis()));
      JointLimits lim = j.limits();
      s.append(" limits ").append(lim.hasPositionLimits()).append(' ').append(num(lim.lower())).append(' ')
          .append(num(lim.upper())).append(' ').append(num(lim.velocity())).append(' ').append(num(lim.effort()));
      if (j.isMimic()) {
        s.append(" mimic ").append(j.mimic().joint()).append(' ').append(num(j.mimic().multiplier())).append(' ')
            .append(num(j.mimic().offset()));
      }
      s.append('\n');
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.9g", v);
  }

  private static String vec(Vec3 v) {
    return num(v.x()) + "," + num(v.y()) + "," + num(v.z());
  }

  private static String pose(Pose3 p) {
    Quat q = p.rotation().w() < 0 ? p.rotation().negate() : p.rotation();
    return vec(p.translation()) + "|" + num(q.w()) + "," + num(q.x()) + "," + num(q.y()) + "," + num(q.z());
  }

  @Override
  public String toString() {
    return "RobotModel[" + name + ", " + links.size() + " links, " + dof() + " dof]";
  }
}

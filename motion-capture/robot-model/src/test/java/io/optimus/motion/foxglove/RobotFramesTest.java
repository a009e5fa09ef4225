package io.optimus.motion.foxglove;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import io.optimus.motion.model.UrdfLoader;
import io.optimus.proto.foxglove.FrameTransform;
import io.optimus.proto.foxglove.FrameTransforms;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.Pose;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RobotFramesTest {
  private static final Timestamp T = Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(5).build();
  private static final RobotModel OPTIMUS = Robots.load("optimus");

  /** A small arm with what optimus lacks: rotated joint origins, a prismatic joint, a mimic joint. */
  private static final String SLIDER = """
      <robot name="slider">
        <link name="base"/>
        <joint name="yaw" type="revolute"><origin xyz="0.1 0.2 0.3" rpy="0.3 -0.2 0.5"/><parent link="base"/>
          <child link="upper"/><axis xyz="0 0 1"/><limit lower="-3" upper="3" velocity="1" effort="1"/></joint>
        <link name="upper"/>
        <joint name="slide" type="prismatic"><origin xyz="0 0 0.4" rpy="0 1.1 0"/><parent link="upper"/>
          <child link="carriage"/><axis xyz="1 0 0"/><limit lower="-1" upper="1" velocity="1" effort="1"/></joint>
        <link name="carriage"/>
        <joint name="finger" type="revolute"><origin xyz="0.05 0 0" rpy="0 0 0.7"/><parent link="carriage"/>
          <child link="tip"/><axis xyz="0 1 0"/><limit lower="-3" upper="3" velocity="1" effort="1"/>
          <mimic joint="yaw" multiplier="-0.5" offset="0.1"/></joint>
        <link name="tip"/>
        <joint name="tool" type="fixed"><origin xyz="0 0 0.02" rpy="0.4 0 0"/><parent link="tip"/><child link="tool0"/></joint>
        <link name="tool0"/>
      </robot>
      """;

  @Test
  void aKnownKneeAngleGivesTheKnownShinPoseInTheThigh() {
    RobotFrames frames = new RobotFrames(OPTIMUS);
    double[] q = new double[OPTIMUS.dof()];
    q[OPTIMUS.qIndex("left_knee_joint")] = Math.PI / 2; // axis +y, origin (0, 0, -0.34) in left_thigh
    FrameTransform shin = byChild(frames.transforms(state(q, null), T)).get("left_shin");
    assertEquals("left_thigh", shin.getParentFrameId());
    assertEquals(0, shin.getTranslation().getX(), 1e-12);
    assertEquals(0, shin.getTranslation().getY(), 1e-12);
    assertEquals(-0.34, shin.getTranslation().getZ(), 1e-12);
    double h = Math.sqrt(0.5);
    assertEquals(h, shin.getRotation().getW(), 1e-12);
    assertEquals(0, shin.getRotation().getX(), 1e-12);
    assertEquals(h, shin.getRotation().getY(), 1e-12);
    assertEquals(0, shin.getRotation().getZ(), 1e-12);
    assertEquals(T, shin.getTimestamp());
  }

  @Test
  void theBasePoseHangsTheRootFromTheWorld() {
    RobotFrames frames = new RobotFrames(OPTIMUS);
    Pose base = Pose.newBuilder().setPosition(io.optimus.proto.v1.Vector3.newBuilder().setX(0.5).setY(-0.2).setZ(0.95))
        .setOrientation(io.optimus.proto.v1.Quaternion.newBuilder().setW(2).setZ(2)).build(); // unnormalized: 90 deg yaw
    FrameTransform root = byChild(frames.transforms(state(new double[OPTIMUS.dof()], base), T)).get("pelvis");
    assertEquals(RobotFrames.WORLD, root.getParentFrameId());
    assertEquals(0.95, root.getTranslation().getZ(), 1e-12);
    assertEquals(Math.sqrt(0.5), root.getRotation().getW(), 1e-12);
    assertEquals(Math.sqrt(0.5), root.getRotation().getZ(), 1e-12);
    FrameTransform noBase = byChild(frames.transforms(state(new double[OPTIMUS.dof()], null), T)).get("pelvis");
    assertEquals(1, noBase.getRotation().getW(), 0, "no base pose: identity, not a zero quaternion");
  }

  @Test
  void composingTheTreeGivesForwardKinematicsWorldPoses() {
    for (RobotModel model : new RobotModel[] {OPTIMUS, UrdfLoader.parse(SLIDER, "slider.urdf")}) {
      RobotFrames frames = new RobotFrames(model);
      Kinematics kin = new Kinematics(model);
      KinematicsData d = kin.newData();
      Random rnd = new Random(7);
      for (int trial = 0; trial < 20; trial++) {
        for (int i = 0; i < d.q.length; i++) {
          d.q[i] = rnd.nextDouble() * 2 - 1;
        }
        Pose3 base = new Pose3(new Vec3(rnd.nextDouble(), rnd.nextDouble(), 1),
            Quat.fromRpy(rnd.nextDouble(), rnd.nextDouble(), rnd.nextDouble()));
        Pose baseProto = Pose.newBuilder()
            .setPosition(io.optimus.proto.v1.Vector3.newBuilder().setX(base.translation().x())
                .setY(base.translation().y()).setZ(base.translation().z()))
            .setOrientation(io.optimus.proto.v1.Quaternion.newBuilder().setW(base.rotation().w())
                .setX(base.rotation().x()).setY(base.rotation().y()).setZ(base.rotation().z())).build();
        FrameTransforms tf = frames.transforms(state(d.q.clone(), baseProto), T);
        d.setBasePose(base);
        kin.forward(d);
        Map<String, FrameTransform> up = byChild(tf);
        for (int l = 0; l < model.links().size(); l++) {
          String name = model.links().get(l).name();
          Pose3 composed = worldPose(name, up);
          Pose3 fk = d.linkPose(l);
          assertTrue(composed.translation().distance(fk.translation()) < 1e-9, model.name() + " " + name + " position");
          assertTrue(composed.rotation().angleTo(fk.rotation()) < 1e-7, model.name() + " " + name + " rotation");
        }
      }
    }
  }

  @Test
  void theTransformsFormOneTreeRootedInTheWorld() {
    RobotFrames frames = new RobotFrames(OPTIMUS);
    FrameTransforms tf = frames.transforms(state(new double[OPTIMUS.dof()], null), T);
    Map<String, String> parentOf = new HashMap<>();
    for (FrameTransform t : tf.getTransformsList()) {
      assertNull(parentOf.put(t.getChildFrameId(), t.getParentFrameId()), t.getChildFrameId() + " has two parents");
    }
    assertEquals(OPTIMUS.links().size(), parentOf.size(), "one transform per link");
    assertEquals(new HashSet<>(frames.frameIds()), union(parentOf.keySet(), Set.of(RobotFrames.WORLD)));
    for (String frame : parentOf.keySet()) {
      Set<String> seen = new HashSet<>();
      String f = frame;
      while (parentOf.containsKey(f)) {
        assertTrue(seen.add(f), "cycle through " + f);
        f = parentOf.get(f);
      }
      assertEquals(RobotFrames.WORLD, f, frame + " is not below the world");
    }
  }

  @Test
  void aStateThatDoesNotFitOrHoldsNanGivesNoTransforms() {
    RobotFrames frames = new RobotFrames(OPTIMUS);
    assertNull(frames.transforms(state(new double[3], null), T), "wrong joint count");
    double[] q = new double[OPTIMUS.dof()];
    q[5] = Double.NaN;
    assertNull(frames.transforms(state(q, null), T), "NaN joint");
    Pose nanBase = Pose.newBuilder().setPosition(io.optimus.proto.v1.Vector3.newBuilder().setX(Double.POSITIVE_INFINITY))
        .build();
    assertNull(frames.transforms(state(new double[OPTIMUS.dof()], nanBase), T), "infinite base");
    Pose zeroRotation = Pose.newBuilder().setOrientation(io.optimus.proto.v1.Quaternion.newBuilder().setX(0)).build();
    assertNull(frames.transforms(state(new double[OPTIMUS.dof()], zeroRotation), T), "zero quaternion");
    assertNotNull(frames.transforms(state(new double[OPTIMUS.dof()], null), T), "and a good state still works after");
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new HashSet<>(a);
    out.addAll(b);
    return out;
  }

  private static Pose3 worldPose(String frame, Map<String, FrameTransform> up) {
    Pose3 p = Pose3.IDENTITY;
    for (String f = frame; up.containsKey(f); f = up.get(f).getParentFrameId()) {
      FrameTransform t = up.get(f);
      Pose3 local = new Pose3(new Vec3(t.getTranslation().getX(), t.getTranslation().getY(), t.getTranslation().getZ()),
          new Quat(t.getRotation().getW(), t.getRotation().getX(), t.getRotation().getY(), t.getRotation().getZ()));
      p = local.times(p);
    }
    return p;
  }

  static Map<String, FrameTransform> byChild(FrameTransforms tf) {
    Map<String, FrameTransform> out = new HashMap<>();
    tf.getTransformsList().forEach(t -> out.put(t.getChildFrameId(), t));
    return out;
  }

  static JointState state(double[] q, Pose base) {
    JointState.Builder b = JointState.newBuilder();
    for (double v : q) {
      b.addPosition(v);
    }
    if (base != null) {
      b.setBasePose(base);
    }
    return b.build();
  }
}

package io.optimus.bridge.foxglove;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.motion.record.EpisodeWriter;
import io.optimus.motion.record.mcap.NodeMcapReader;
import io.optimus.proto.foxglove.CameraCalibration;
import io.optimus.proto.foxglove.FrameTransform;
import io.optimus.proto.foxglove.FrameTransforms;
import io.optimus.proto.foxglove.PoseInFrame;
import io.optimus.proto.foxglove.PosesInFrame;
import io.optimus.proto.foxglove.SceneUpdate;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.CameraIntrinsics;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.HandJoint;
import io.optimus.proto.v1.HandSkeleton;
import io.optimus.proto.v1.ImageEncoding;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.ObjectState;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.StageLatency;
import io.optimus.proto.v1.StageTimestamps;
import io.optimus.proto.v1.TaskState;
import io.optimus.proto.v1.Timestamp;
import io.optimus.proto.v1.Vector3;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scene an episode derives, on real files: rates, stamps, what is skipped, the operator's poses. */
class FoxgloveSceneViewsTest {
  private static final RobotRig RIG = new RobotRig(Robots.load("optimus"));
  private static final long WALL0 = 1_760_000_000_000_000_000L;
  private static final long MONO0 = 5_000_000_000L;
  private static final FoxgloveSceneViews.Table TABLE = new FoxgloveSceneViews.Table(0.2, 0.75, -0.5, 0.5, 0.9);

  @TempDir
  Path dir;

  private EpisodeWriter start(String name, EpisodeHeader header) {
    return EpisodeWriter.start(dir.resolve(name + ".mcap"), header, EpisodeWriter.Options.defaults().withFsync(false),
        null, FoxgloveSceneViews.factory(() -> TABLE));
  }

  private static EpisodeHeader header() {
    return EpisodeHeader.newBuilder().setEpisodeId("scene").setRobot(RIG.describe("r1", 250, 20)).build();
  }

  private static JointState state(long tick, double elbow) {
    double[] q = RIG.home();
    q[RIG.model().qIndex("left_elbow_joint")] = elbow;
    JointState.Builder s = JointState.newBuilder().setSchemaVersion(1).setSequence(tick)
        .setStamp(Timestamp.newBuilder().setMonotonicNs(MONO0 + tick * 4_000_000L).setWallNs(WALL0 + tick * 4_000_000L))
        .setBasePose(Pose.newBuilder().setPosition(Vector3.newBuilder().setZ(1.0)).setOrientation(Quaternion.newBuilder().setW(1)))
        .setStages(StageTimestamps.newBuilder().setReceivedNs(MONO0 + tick * 4_000_000L - 3_000_000L)
            .setRetargetedNs(MONO0 + tick * 4_000_000L - 1_000_000L).setAppliedNs(MONO0 + tick * 4_000_000L - 500_000L)
            .setPublishedNs(MONO0 + tick * 4_000_000L));
    for (double v : q) {
      s.addPosition(v);
    }
    return s.build();
  }

  @Test
  void transformsFollowTheStatesAtFiftyHertzStampedWithTheirTime() throws Exception {
    EpisodeWriter w = start("rate", header());
    for (int tick = 0; tick < 250; tick++) { // one second of a 250 Hz loop
      assertTrue(w.writeState(state(tick, -0.004 * tick)));
    }
    assertTrue(w.finish().ok());
    try (EpisodeReader r = EpisodeReader.open(w.file())) {
      List<FrameTransforms> tf = all(r, EpisodeTopics.TF, FrameTransforms.class);
      assertEquals(50, tf.size(), "every fifth state of 250 Hz");
      assertEquals(50, r.messageCount(EpisodeTopics.LATENCY));
      for (int i = 0; i < tf.size(); i++) {
        FrameTransforms t = tf.get(i);
        long wall = WALL0 + i * 5 * 4_000_000L;
        assertEquals(wall / 1_000_000_000L, t.getTransforms(0).getTimestamp().getSeconds());
        assertEquals(wall % 1_000_000_000L, t.getTransforms(0).getTimestamp().getNanos());
        assertEquals(RIG.model().links().size() + 1, t.getTransformsCount(), "every link, and the operator's space");
      }
      String forearm = RIG.model().joint("left_elbow_joint").orElseThrow().child();
      FrameTransform first = child(tf.get(0), forearm), last = child(tf.get(49), forearm);
      assertEquals(1, first.getRotation().getW(), 1e-12, "elbow at 0");
      assertEquals(Math.cos(-0.004 * 245 / 2), last.getRotation().getW(), 1e-9, "the elbow's angle at tick 245");
      StageLatency l = all(r, EpisodeTopics.LATENCY, StageLatency.class).get(0);
      assertEquals(2.0, l.getRetargetMs(), 1e-9);
      assertEquals(0.5, l.getApplyMs(), 1e-9);
      assertEquals(0.5, l.getPublishMs(), 1e-9);
      assertEquals(3.0, l.getBridgeMs(), 1e-9);
      SceneUpdate robot = all(r, EpisodeTopics.SCENE_ROBOT, SceneUpdate.class).get(0);
      assertTrue(robot.getEntitiesCount() > 30, "links with shapes: " + robot.getEntitiesCount());
      assertEquals(5, all(r, EpisodeTopics.SCENE_WORLD, SceneUpdate.class).get(0).getEntities(0).getCubesCount(),
          "the table's top and four legs");
    }
    if (NodeMcapReader.foxgloveUnavailable().isEmpty()) {
      JsonNode out = NodeMcapReader.checkFoxglove(w.file());
      assertEquals("[]", out.get("problems").toString());
      assertEquals("[\"world\"]", out.get("roots").toString());
    }
  }

  @Test
  void statesTheSceneCannotShowAreSkippedAndTheRestGoesOn() throws Exception {
    EpisodeWriter w = start("bad", header());
    JointState good = state(0, 0);
    assertTrue(w.writeState(good.toBuilder().setPosition(3, Double.NaN).build()));
    assertTrue(w.writeState(state(5, 0).toBuilder().clearPosition().addPosition(0.1).build())); // wrong joint count
    assertTrue(w.writeState(state(10, 0).toBuilder().setBasePose(Pose.newBuilder()
        .setOrientation(Quaternion.newBuilder().setW(Double.NaN))).build()));
    assertTrue(w.writeState(state(15, 0)));
    assertTrue(w.finish().ok());
    try (EpisodeReader r = EpisodeReader.open(w.file())) {
      assertEquals(4, r.messageCount(EpisodeTopics.STATE), "every state is recorded as sent");
      List<FrameTransforms> tf = all(r, EpisodeTopics.TF, FrameTransforms.class);
      assertEquals(1, tf.size(), "only the good state has transforms");
      assertEquals(WALL0 + 15 * 4_000_000L, tf.get(0).getTransforms(0).getTimestamp().getSeconds() * 1_000_000_000L
          + tf.get(0).getTransforms(0).getTimestamp().getNanos());
    }
    if (NodeMcapReader.foxgloveUnavailable().isEmpty()) {
      assertEquals("[]", NodeMcapReader.checkFoxglove(w.file()).get("problems").toString(), "no NaN in the scene");
    }
  }

  @Test
  void operatorPosesObjectsAndCalibrationsDecodeWithFoxglovesSchemas() throws Exception {
    EpisodeWriter w = start("all", header());
    assertTrue(w.writeState(state(0, 0)));
    HandSkeleton.Builder hand = HandSkeleton.newBuilder().setActive(true);
    for (int j = 0; j < 26; j++) {
      hand.addJoints(HandJoint.newBuilder().setPositionValid(j != 3)
          .setPose(Pose.newBuilder().setPosition(Vector3.newBuilder().setX(0.3).setY(0.2 + 0.01 * j).setZ(1))
              .setOrientation(Quaternion.newBuilder().setW(1))));
    }
    OperatorFrame.Builder op = OperatorFrame.newBuilder().setSchemaVersion(1).setSequence(1)
        .setCaptureTime(Timestamp.newBuilder().setWallNs(WALL0))
        .setHead(pose(0, 0, 1.6)).setHeadValid(true)
        .setLeft(HandInput.newBuilder().setGripPose(pose(0.3, 0.2, 1.0)).setGripValid(true).setHand(hand))
        .setRight(HandInput.newBuilder().setGripPose(pose(0.3, -0.2, 1.0)).setGripValid(false));
    assertTrue(w.writeOperator(op.build()));
    assertTrue(w.writeOperator(op.setSequence(2).setCaptureTime(Timestamp.newBuilder().setWallNs(WALL0 + 1_000_000))
        .build()), "1 ms later: within the rate bound, no poses");
    assertTrue(w.writeOperator(op.setSequence(3).setCaptureTime(Timestamp.newBuilder().setWallNs(WALL0 + 30_000_000))
        .setHeadValid(false).build()));
    assertTrue(w.writeTask(TaskState.newBuilder().setSchemaVersion(1).setStamp(Timestamp.newBuilder().setWallNs(WALL0))
        .addObjects(ObjectState.newBuilder().setName("cube").setPose(pose(0.45, 0.1, 0.925))
            .setSize(Vector3.newBuilder().setX(0.05).setY(0.05).setZ(0.05)).setHeldBy("left_hand"))
        .addObjects(ObjectState.newBuilder().setName("broken").setPose(pose(Double.NaN, 0, 0)))
        .setTargetArea(pose(0.5, -0.2, 0.9)).setTargetSize(Vector3.newBuilder().setX(0.2).setY(0.2)).build()));
    byte[] px = new byte[96 * 96 * 3];
    CameraFrame.Builder f = CameraFrame.newBuilder().setSchemaVersion(1).setCameraName("head").setSequence(1)
        .setStamp(Timestamp.newBuilder().setWallNs(WALL0)).setEncoding(ImageEncoding.IMAGE_ENCODING_RGB8)
        .setWidth(96).setHeight(96).setData(ByteString.copyFrom(px));
    assertTrue(w.writeCamera(f.build()), "no intrinsics in the frame: the header's camera info");
    assertTrue(w.writeCamera(f.setSequence(2).setIntrinsics(CameraIntrinsics.newBuilder().setFx(70).setFy(70).setCx(48)
        .setCy(48)).build()));
    assertTrue(w.writeCamera(f.setCameraName("stranger").setIntrinsics(CameraIntrinsics.getDefaultInstance())
        .setCameraPose(pose(0.1, 0, 1.7)).build()),
        "a camera the header does not know, without intrinsics: no calibration, its frame from its pose");
    assertTrue(w.finish().ok());

    try (EpisodeReader r = EpisodeReader.open(w.file())) {
      List<PoseInFrame> head = all(r, EpisodeTopics.OPERATOR_HEAD, PoseInFrame.class);
      assertEquals(1, head.size(), "the second frame is within 20 ms, the third has no valid head");
      assertEquals(EpisodeTopics.OPERATOR_FRAME, head.get(0).getFrameId());
      assertEquals(1.6, head.get(0).getPose().getPosition().getZ(), 1e-12);
      assertEquals(2, r.messageCount(EpisodeTopics.OPERATOR_LEFT_HAND));
      assertEquals(0, r.messageCount(EpisodeTopics.OPERATOR_RIGHT_HAND), "the right grip was never valid");
      assertEquals(25, all(r, EpisodeTopics.OPERATOR_HAND_JOINTS, PosesInFrame.class).get(0).getPosesCount(),
          "the joints with a valid position");
      SceneUpdate objects = all(r, EpisodeTopics.SCENE_OBJECTS, SceneUpdate.class).get(0);
      assertEquals(List.of("object/cube", "target"), objects.getEntitiesList().stream().map(e -> e.getId()).toList(),
          "the NaN object is left out");
      assertTrue(objects.getEntities(0).getCubes(0).getColor().getG() > 0.5, "held: yellow");
      List<CameraCalibration> cal = all(r, EpisodeTopics.cameraCalibration("head"), CameraCalibration.class);
      assertEquals(2, cal.size());
      double headFocal = RIG.describe("r1", 250, 20).getCameras(0).getIntrinsics().getFx();
      assertEquals(headFocal, cal.get(0).getK(0), 1e-9);
      assertEquals(70, cal.get(1).getK(0), 1e-9);
      assertEquals(48, cal.get(1).getK(2), 1e-9);
      assertEquals(List.of(70.0, 0.0, 48.0, 0.0, 0.0, 70.0, 48.0, 0.0, 0.0, 0.0, 1.0, 0.0), cal.get(1).getPList());
      assertEquals("head_camera", cal.get(1).getFrameId());
      assertEquals(96, cal.get(1).getWidth());
      assertFalse(r.topics().contains(EpisodeTopics.cameraCalibration("stranger")));
      assertTrue(all(r, EpisodeTopics.TF, FrameTransforms.class).stream().flatMap(t -> t.getTransformsList().stream())
          .anyMatch(t -> t.getChildFrameId().equals("stranger_camera") && t.getParentFrameId().equals("world")
              && t.getTranslation().getZ() == 1.7));
    }
    var validation = io.optimus.motion.record.Dataset.open(dir).validate();
    assertTrue(validation.ok(), "dataset validate: " + validation);
    if (NodeMcapReader.foxgloveUnavailable().isEmpty()) {
      JsonNode out = NodeMcapReader.checkFoxglove(w.file());
      assertEquals("[]", out.get("problems").toString());
      for (String t : List.of(EpisodeTopics.OPERATOR_HEAD, EpisodeTopics.OPERATOR_HAND_JOINTS, EpisodeTopics.SCENE_OBJECTS,
          EpisodeTopics.cameraCalibration("head"), EpisodeTopics.cameraImage("head"))) {
        JsonNode topic = out.at("/topics/" + t.replace("~", "~0").replace("/", "~1"));
        assertEquals(topic.get("count").asLong(), topic.get("foxgloveChecked").asLong(), t);
      }
    }
  }

  @Test
  void aHeaderWhoseUrdfDoesNotParseCostsTheViewsNotTheRecording() throws Exception {
    EpisodeHeader h = header().toBuilder().setRobot(header().getRobot().toBuilder().setUrdf("<robot name=\"x\"><link")
        .setModelHash("broken")).build();
    EpisodeWriter w = start("garbage", h);
    for (int tick = 0; tick < 20; tick++) {
      assertTrue(w.writeState(state(tick, 0)));
    }
    assertTrue(w.finish().ok(), "the recording itself is fine");
    try (EpisodeReader r = EpisodeReader.open(w.file())) {
      assertEquals(20, r.messageCount(EpisodeTopics.STATE));
      assertFalse(r.topics().contains(EpisodeTopics.TF));
    }
  }

  private static FrameTransform child(FrameTransforms tf, String frame) {
    return tf.getTransformsList().stream().filter(t -> t.getChildFrameId().equals(frame)).findFirst().orElseThrow();
  }

  private static Pose pose(double x, double y, double z) {
    return Pose.newBuilder().setPosition(Vector3.newBuilder().setX(x).setY(y).setZ(z))
        .setOrientation(Quaternion.newBuilder().setW(1)).build();
  }

  private static <T extends com.google.protobuf.Message> List<T> all(EpisodeReader r, String topic, Class<T> type) {
    List<T> out = new ArrayList<>();
    Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(topic));
    while (it.hasNext()) {
      out.add(it.next().as(type));
    }
    return out;
  }
}

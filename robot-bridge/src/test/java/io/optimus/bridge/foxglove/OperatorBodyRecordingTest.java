package io.optimus.bridge.foxglove;

import static org.junit.jupiter.api.Assertions.*;

import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.motion.record.EpisodeWriter;
import io.optimus.proto.foxglove.PosesInFrame;
import io.optimus.proto.v1.BodyJoint;
import io.optimus.proto.v1.BodyJointId;
import io.optimus.proto.v1.BodySkeleton;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.Timestamp;
import io.optimus.proto.v1.Vector3;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Episodes record the whole OperatorFrame on {@code /operator}: a schema-2 frame's body comes back
 * joint for joint (so any episode can be re-scored against the operator's body later), and the
 * Foxglove scene shows the joints that have a confidence on {@code /operator/body_joints}.
 */
class OperatorBodyRecordingTest {
  private static final RobotRig RIG = new RobotRig(Robots.load("optimus"));
  private static final long WALL0 = 1_760_000_000_000_000_000L;

  @TempDir Path dir;

  static BodySkeleton body() {
    BodySkeleton.Builder b = BodySkeleton.newBuilder().setActive(true).setSource("XR_HTC_body_tracking");
    for (int i = 0; i < 16; i++) {
      boolean leg = i >= BodyJointId.BODY_JOINT_LEFT_HIP_VALUE;
      b.addJoints(BodyJoint.newBuilder().setConfidence(leg ? 0f : 0.5f + 0.01f * i).setOrientationValid(!leg)
          .setPose(Pose.newBuilder().setPosition(Vector3.newBuilder().setX(0.1 + 0.001 * i).setY(0.02 * i).setZ(1.5 - 0.05 * i))
              .setOrientation(Quaternion.newBuilder().setW(Math.sqrt(0.5)).setZ(Math.sqrt(0.5)))));
    }
    return b.build();
  }

  @Test
  void theOperatorsBodyIsRecordedAndShownAsPoses() throws Exception {
    EpisodeWriter w = EpisodeWriter.start(dir.resolve("body.mcap"),
        EpisodeHeader.newBuilder().setEpisodeId("body").setRobot(RIG.describe("r1", 250, 20)).build(),
        EpisodeWriter.Options.defaults().withFsync(false), null, FoxgloveSceneViews.factory(() -> null));
    OperatorFrame sent = OperatorFrame.newBuilder().setSchemaVersion(2).setOperatorId("alice").setSequence(1)
        .setCaptureTime(Timestamp.newBuilder().setWallNs(WALL0)).setBody(body()).build();
    assertTrue(w.writeOperator(sent));
    assertTrue(w.writeOperator(sent.toBuilder().setSequence(2).clearBody().setSchemaVersion(1)
        .setCaptureTime(Timestamp.newBuilder().setWallNs(WALL0 + 40_000_000)).build()), "a frame without a body");
    assertTrue(w.finish().ok());

    try (EpisodeReader r = EpisodeReader.open(w.file())) {
      List<OperatorFrame> frames = all(r, EpisodeTopics.OPERATOR, OperatorFrame.class);
      assertEquals(2, frames.size());
      assertEquals(sent, frames.get(0), "the body comes back exactly as sent");
      assertEquals(2, frames.get(0).getSchemaVersion());
      assertEquals(0.57f, frames.get(0).getBody().getJoints(BodyJointId.BODY_JOINT_RIGHT_SHOULDER_VALUE).getConfidence(), 1e-6);
      assertFalse(frames.get(1).hasBody());

      List<PosesInFrame> poses = all(r, EpisodeTopics.OPERATOR_BODY_JOINTS, PosesInFrame.class);
      assertEquals(1, poses.size(), "only the frame with a body");
      assertEquals(10, poses.get(0).getPosesCount(), "the 10 joints with a confidence (the legs have none)");
      assertEquals(EpisodeTopics.OPERATOR_FRAME, poses.get(0).getFrameId());
      assertEquals(1.5, poses.get(0).getPoses(0).getPosition().getZ(), 1e-12);
      assertTrue(Set.copyOf(r.topics()).contains(EpisodeTopics.OPERATOR_BODY_JOINTS));
    }
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

package io.optimus.motion.record;

import com.google.protobuf.ByteString;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.CameraInfo;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeSourceKind;
import io.optimus.proto.v1.ImageEncoding;
import io.optimus.proto.v1.JointInfo;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.JointType;
import io.optimus.proto.v1.RobotDescription;
import io.optimus.proto.v1.Timestamp;

/** Synthetic robots, joint states and camera frames: the recording benchmark and tests feed the writer with them. */
public final class SyntheticRecording {
  private SyntheticRecording() {}

  public static RobotDescription robot(int joints, int cameras, int cameraSize, double controlHz, double cameraHz) {
    RobotDescription.Builder r = RobotDescription.newBuilder().setSchemaVersion(1).setRobotId("sim-1")
        .setModelName("test-humanoid").setModelHash("ab".repeat(32)).setControlRateHz(controlHz).setRootLink("pelvis");
    for (int j = 0; j < joints; j++) {
      r.addJoints(JointInfo.newBuilder().setName("joint_" + j).setType(JointType.JOINT_TYPE_REVOLUTE));
    }
    for (int c = 0; c < cameras; c++) {
      r.addCameras(CameraInfo.newBuilder().setName(c == 0 ? "head" : "wrist" + c).setWidth(cameraSize)
          .setHeight(cameraSize).setRateHz(cameraHz));
    }
    return r.build();
  }

  public static EpisodeHeader header(String id, RobotDescription robot) {
    return EpisodeHeader.newBuilder().setEpisodeId(id).setRobotId(robot.getRobotId()).setRobot(robot)
        .setOperatorId("alice").setTask("pick-place").setSeed(42).setSourceKind(EpisodeSourceKind.EPISODE_SOURCE_KIND_TELEOP)
        .setSource("test").setControlRateHz(robot.getControlRateHz()).build();
  }

  public static Timestamp stamp(long monoNs, long wallNs) {
    return Timestamp.newBuilder().setMonotonicNs(monoNs).setWallNs(wallNs).build();
  }

  /** Tick {@code seq} of a smooth synthetic trajectory: every array indexed like the robot's joints. */
  public static JointState state(int joints, long seq, Timestamp stamp) {
    JointState.Builder s = JointState.newBuilder().setSchemaVersion(1).setRobotId("sim-1").setSequence(seq).setStamp(stamp);
    double t = seq * 0.002;
    for (int j = 0; j < joints; j++) {
      double q = 0.5 * Math.sin(t * (1 + 0.1 * j) + j);
      s.addPosition(q + 1e-4 * Math.sin(seq * 7.1 + j)).addVelocity(0.5 * Math.cos(t + j))
          .addEffort(2.0 * Math.sin(t * 3 + j)).addCommandedPosition(q);
    }
    return s.build();
  }

  /** A size x size RGB8 frame with a moving gradient and some noise (so it does not compress to nothing). */
  public static CameraFrame camera(String name, int size, long seq, Timestamp stamp) {
    byte[] px = new byte[size * size * 3];
    long noise = seq * 0x9E3779B97F4A7C15L;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        noise = noise * 6364136223846793005L + 1442695040888963407L;
        int i = (y * size + x) * 3;
        px[i] = (byte) (x * 2 + seq);
        px[i + 1] = (byte) (y * 2 + (noise >>> 60));
        px[i + 2] = (byte) ((x + y + seq) & 0xf0);
      }
    }
    return CameraFrame.newBuilder().setSchemaVersion(1).setRobotId("sim-1").setCameraName(name).setSequence(seq)
        .setStamp(stamp).setEncoding(ImageEncoding.IMAGE_ENCODING_RGB8).setWidth(size).setHeight(size).setStep(size * 3)
        .setData(ByteString.copyFrom(px)).build();
  }
}

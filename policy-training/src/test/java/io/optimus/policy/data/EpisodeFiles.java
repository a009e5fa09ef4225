package io.optimus.policy.data;

import com.google.protobuf.ByteString;
import io.optimus.motion.record.EpisodeSummary;
import io.optimus.motion.record.EpisodeWriter;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.ImageEncoding;
import io.optimus.proto.v1.JointInfo;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.JointType;
import io.optimus.proto.v1.RobotDescription;
import io.optimus.proto.v1.TaskState;
import io.optimus.proto.v1.Timestamp;
import java.nio.file.Path;

/** Writes synthetic reaching demonstrations as real episode recordings (MCAP, through EpisodeWriter). */
public final class EpisodeFiles {
  private EpisodeFiles() {}

  /** An RGB8 frame of camera {@code name}. */
  public static CameraFrame frame(String name, long sequence, Timestamp stamp, int size, byte[] rgb) {
    return CameraFrame.newBuilder().setRobotId("test-bot").setCameraName(name).setSequence(sequence)
        .setStamp(stamp).setEncoding(ImageEncoding.IMAGE_ENCODING_RGB8).setWidth(size).setHeight(size)
        .setStep(size * 3).setData(ByteString.copyFrom(rgb)).build();
  }

  /** The image with its channels rotated k times (a different view of the same scene). */
  public static byte[] turned(byte[] rgb, int k) {
    byte[] out = new byte[rgb.length];
    for (int p = 0; p < rgb.length; p += 3) {
      for (int c = 0; c < 3; c++) {
        out[p + c] = rgb[p + (c + k) % 3];
      }
    }
    return out;
  }

  public static RobotDescription robot(int joints) {
    RobotDescription.Builder b = RobotDescription.newBuilder().setRobotId("test-bot").setModelName("reacher")
        .setControlRateHz(SyntheticReaching.RATE_HZ);
    JointLayout l = SyntheticReaching.layout();
    for (int i = 0; i < joints; i++) {
      b.addJoints(JointInfo.newBuilder().setName(i < l.size() ? l.names().get(i) : "extra" + i)
          .setType(JointType.JOINT_TYPE_REVOLUTE).setGroup(i < l.size() ? l.groups().get(i) : "extra"));
    }
    return b.build();
  }

  /**
   * One episode of {@code world} for {@code inst}: a /state per tick (q lags the command by one tick),
   * a head-camera frame every {@code cameraEvery} ticks. {@code nanAt} >= 0 poisons that tick's q.
   */
  public static EpisodeSummary write(Path file, SyntheticReaching world, SyntheticReaching.Instance inst, int ticks,
      int imageSize, int cameraEvery, int joints, EpisodeOutcome outcome, int nanAt) {
    return write(file, world, inst, ticks, imageSize, cameraEvery, joints, outcome, nanAt, -1);
  }

  /** ... with a task state every tick whose missed-grasp count rises to 1 at tick {@code missAt} (>= 0). */
  public static EpisodeSummary write(Path file, SyntheticReaching world, SyntheticReaching.Instance inst, int ticks,
      int imageSize, int cameraEvery, int joints, EpisodeOutcome outcome, int nanAt, int missAt) {
    return write(file, world, inst, ticks, imageSize, cameraEvery, joints, outcome, nanAt, missAt,
        java.util.List.of("head"));
  }

  /**
   * ... with a frame of every camera in {@code cameras} each {@code cameraEvery} ticks: the head's is the
   * scene, camera k's the scene with its colours turned by k (so each camera's features differ).
   */
  public static EpisodeSummary write(Path file, SyntheticReaching world, SyntheticReaching.Instance inst, int ticks,
      int imageSize, int cameraEvery, int joints, EpisodeOutcome outcome, int nanAt, int missAt,
      java.util.List<String> cameras) {
    EpisodeHeader header = EpisodeHeader.newBuilder().setEpisodeId(file.getFileName().toString().replace(".mcap", ""))
        .setRobotId("test-bot").setRobot(robot(joints)).setTask("reach").setSource("synthetic")
        .setControlRateHz(SyntheticReaching.RATE_HZ).build();
    EpisodeWriter w = EpisodeWriter.start(file, header,
        EpisodeWriter.Options.defaults().withQueueCapacity(8192), null);
    byte[] image = world.render(inst);
    long t0 = 1_000_000_000L;
    for (int t = 0; t < ticks; t++) {
      Timestamp stamp = Timestamp.newBuilder().setMonotonicNs(t0 + t * 20_000_000L).setWallNs(t0 + t * 20_000_000L).build();
      if (t % cameraEvery == 0) {
        for (int k = 0; k < cameras.size(); k++) {
          w.writeCamera(frame(cameras.get(k), t / cameraEvery, stamp, imageSize, k == 0 ? image : turned(image, k)));
        }
      }
      float[] cmd = world.command(inst, t);
      float[] q = t == 0 ? inst.start() : world.command(inst, t - 1);
      JointState.Builder s = JointState.newBuilder().setRobotId("test-bot").setSequence(t).setStamp(stamp);
      for (int i = 0; i < joints; i++) {
        double qi = i < q.length ? q[i] : 0.1;
        s.addPosition(t == nanAt ? Double.NaN : qi).addVelocity(0).addEffort(0)
            .addCommandedPosition(i < cmd.length ? cmd[i] : 0.1);
      }
      w.writeState(s.build());
      if (missAt >= 0) {
        w.writeTask(TaskState.newBuilder().setRobotId("test-bot").setTask("reach").setStamp(stamp)
            .setGraspAttempts(t >= missAt ? 1 : 0).setMissedGrasps(t >= missAt ? 1 : 0).build());
      }
    }
    w.setTaskSuccess(true);
    return w.finish(outcome, "");
  }
}

package io.optimus.motion.bvh;

import io.optimus.common.InputException;
import io.optimus.common.Stamps;
import io.optimus.motion.record.EpisodeSummary;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.motion.record.EpisodeWriter;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.EpisodeSourceKind;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.Timestamp;
import io.optimus.proto.v1.Vector3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;

/**
 * Writes a retargeted clip as an episode in the teleop recording format (MCAP via
 * {@link EpisodeWriter}): header with source kind MOCAP, one {@code /state} JointState per tick at
 * the retarget rate (measured = commanded = the retargeted q, finite-difference velocity, floating
 * base pose), and the human's head and wrists as {@code /operator} frames at the same ticks, so mocap
 * and teleop demonstrations train the same way.
 *
 * <p>Stamps are synthetic: tick i is at start + i / rate on both clocks. The MCAP log time is the
 * writer's clock when each message was queued (the writer's contract), so it is compressed: readers
 * should use the message stamps for timing.
 */
public final class MocapEpisodes {
  public static final String ACTION_SOURCE = "mocap";

  private MocapEpisodes() {}

  /** Writes {@code out} (must not exist); returns the writer's summary, failing if it could not finish cleanly. */
  public static EpisodeSummary write(Path out, MocapRetarget r, KeypointMotion human, String robotId, String task) {
    return write(out, r, human, robotId, task, null);
  }

  /**
   * As {@link #write(Path, MocapRetarget, KeypointMotion, String, String)}, with {@code views} (may be null)
   * deriving further topics on the writer thread, e.g. the bridge's Foxglove 3D scene.
   */
  public static EpisodeSummary write(Path out, MocapRetarget r, KeypointMotion human, String robotId, String task,
      io.optimus.motion.record.EpisodeViews.Factory views) {
    if (Files.exists(out)) {
      throw new InputException(out + ": already exists (episodes are never overwritten)");
    }
    double dt = 1.0 / r.rateHz();
    Timestamp start = Stamps.now();
    EpisodeHeader header = EpisodeHeader.newBuilder()
        .setSchemaVersion(1)
        .setEpisodeId(UUID.randomUUID().toString())
        .setRobotId(robotId)
        .setRobot(r.model().toDescription(robotId).toBuilder().setControlRateHz(r.rateHz()))
        .setOperatorId("mocap")
        .setTask(task)
        .setStart(start)
        .setSourceKind(EpisodeSourceKind.EPISODE_SOURCE_KIND_MOCAP)
        .setSource(MocapOperatorSource.SOURCE_PREFIX + r.source())
        .setControlRateHz(r.rateHz())
        .putTags("time_scale", fmt(r.timeScale()))
        .putTags("body_scale", fmt(r.bodyScale()))
        .putTags("worst_velocity_ratio", fmt(r.worstVelocityRatio()))
        .putTags("foot_slip_m", fmt(r.footSlip()))
        .setNotes("retargeted from BVH " + r.source() + " at 1/" + fmt(r.timeScale()) + " speed")
        .build();
    int messages = 2 * r.ticks() + 16;
    EpisodeWriter.Options options = EpisodeWriter.Options.defaults()
        .withQueueCapacity(Math.max(1024, messages))
        .withFsync(false);
    EpisodeWriter writer = EpisodeWriter.start(out, header, options, null, views);
    MocapOperatorSource operator = new MocapOperatorSource(human, "mocap", r.rateHz(), false);
    double[] prev = r.q(0);
    for (int i = 0; i < r.ticks() && writer.isRecording(); i++) {
      long offset = Math.round(i * dt * 1e9);
      Timestamp stamp = Timestamp.newBuilder().setMonotonicNs(start.getMonotonicNs() + offset)
          .setWallNs(start.getWallNs() + offset).build();
      double[] q = r.q(i);
      double[] b = r.base(i);
      JointState.Builder s = JointState.newBuilder()
          .setSchemaVersion(1)
          .setRobotId(robotId)
          .setSequence(i)
          .setStamp(stamp)
          .setMode(ControlMode.CONTROL_MODE_ENGAGED)
          .setActionSource(ACTION_SOURCE)
          .setOperatorSequence(i + 1)
          .setBasePose(Pose.newBuilder()
              .setPosition(Vector3.newBuilder().setX(b[0]).setY(b[1]).setZ(b[2]))
              .setOrientation(Quaternion.newBuilder().setW(b[3]).setX(b[4]).setY(b[5]).setZ(b[6])));
      for (int j = 0; j < q.length; j++) {
        s.addPosition(q[j]).addVelocity(i == 0 ? 0 : (q[j] - prev[j]) / dt).addCommandedPosition(q[j]);
      }
      prev = q;
      OperatorFrame frame = operator.frameAt(i * dt / r.timeScale(), stamp, i + 1);
      offer(writer, EpisodeTopics.OPERATOR, frame);
      offer(writer, EpisodeTopics.STATE, s.build());
    }
    EpisodeSummary summary = writer.finish(EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, "mocap demonstration");
    if (!summary.ok() || summary.dropped() > 0) {
      throw new IllegalStateException("episode " + out + " not written cleanly: "
          + (summary.error() != null ? summary.error() : summary.dropped() + " messages dropped"));
    }
    return summary;
  }

  /** The queue holds the whole clip, so a refusal means the writer failed; finish() reports it. */
  private static void offer(EpisodeWriter writer, String topic, com.google.protobuf.Message m) {
    writer.offer(topic, m);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}

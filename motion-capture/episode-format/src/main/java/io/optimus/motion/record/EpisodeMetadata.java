package io.optimus.motion.record;

import io.optimus.proto.v1.CameraInfo;
import io.optimus.proto.v1.ChannelStats;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeOutcomeRecord;
import io.optimus.proto.v1.JointInfo;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The MCAP metadata records of an episode file ("episode" at the start, "outcome" at the end): plain strings any MCAP tool shows. */
final class EpisodeMetadata {
  private EpisodeMetadata() {}

  static Map<String, String> episode(EpisodeHeader h) {
    Map<String, String> m = new TreeMap<>();
    m.put("episode_id", h.getEpisodeId());
    m.put("robot_id", h.getRobotId());
    m.put("robot_model", h.getRobot().getModelName());
    m.put("robot_model_hash", h.getRobot().getModelHash());
    m.put("joint_names", h.getRobot().getJointsList().stream().map(JointInfo::getName).collect(Collectors.joining(",")));
    m.put("joint_count", Integer.toString(h.getRobot().getJointsCount()));
    m.put("cameras", h.getRobot().getCamerasList().stream().map(CameraInfo::getName).collect(Collectors.joining(",")));
    m.put("operator", h.getOperatorId());
    m.put("task", h.getTask());
    m.put("seed", Long.toUnsignedString(h.getSeed()));
    m.put("start_time", Instant.ofEpochSecond(0, h.getStart().getWallNs()).toString());
    m.put("start_wall_ns", Long.toString(h.getStart().getWallNs()));
    m.put("software_version", h.getSoftwareVersion());
    m.put("source_kind", h.getSourceKind().name());
    m.put("source", h.getSource());
    m.put("control_rate_hz", Double.toString(h.getControlRateHz()));
    m.put("schema_version", Integer.toString(h.getSchemaVersion()));
    m.put("quaternion_convention", "Hamilton, stored (w, x, y, z)");
    m.put("units", "SI: m, rad, s; frames right-handed, z up");
    return m;
  }

  static Map<String, String> outcome(EpisodeOutcomeRecord record, Instant end, long droppedTotal) {
    Map<String, String> m = new TreeMap<>();
    m.put("outcome", record.getOutcome().name());
    m.put("notes", record.getNotes());
    m.put("task_success", Boolean.toString(record.getTaskSuccess()));
    m.put("duration_s", Double.toString(record.getDurationS()));
    m.put("end_time", end.toString());
    m.put("dropped_total", Long.toString(droppedTotal));
    for (ChannelStats c : record.getChannelsList()) {
      m.put("dropped:" + c.getTopic(), Long.toString(c.getDropped()));
      m.put("gaps:" + c.getTopic(), Long.toString(c.getGaps()));
    }
    return m;
  }
}

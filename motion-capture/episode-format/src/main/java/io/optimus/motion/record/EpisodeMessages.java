package io.optimus.motion.record;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.optimus.proto.foxglove.CameraCalibration;
import io.optimus.proto.foxglove.CompressedImage;
import io.optimus.proto.foxglove.FrameTransforms;
import io.optimus.proto.foxglove.PoseInFrame;
import io.optimus.proto.foxglove.PosesInFrame;
import io.optimus.proto.foxglove.RawImage;
import io.optimus.proto.foxglove.SceneUpdate;
import io.optimus.proto.v1.Annotation;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeOutcomeRecord;
import io.optimus.proto.v1.JointCommand;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.RobotDescription;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyStatus;
import io.optimus.proto.v1.StageLatency;
import io.optimus.proto.v1.TaskState;
import io.optimus.proto.v1.Timestamp;
import java.util.HashMap;
import java.util.Map;

/** The proto messages an episode holds: their parsers by schema name and where each keeps its time stamp. */
final class EpisodeMessages {
  private static final Map<String, Parser<? extends Message>> PARSERS = new HashMap<>();

  static {
    for (Message m : new Message[] {JointState.getDefaultInstance(), JointCommand.getDefaultInstance(),
        OperatorFrame.getDefaultInstance(), CameraFrame.getDefaultInstance(), TaskState.getDefaultInstance(),
        SafetyEvent.getDefaultInstance(), SafetyStatus.getDefaultInstance(), Annotation.getDefaultInstance(),
        EpisodeHeader.getDefaultInstance(), EpisodeOutcomeRecord.getDefaultInstance(),
        RobotDescription.getDefaultInstance(), RawImage.getDefaultInstance(), CompressedImage.getDefaultInstance(),
        StageLatency.getDefaultInstance(), FrameTransforms.getDefaultInstance(), SceneUpdate.getDefaultInstance(),
        CameraCalibration.getDefaultInstance(), PoseInFrame.getDefaultInstance(), PosesInFrame.getDefaultInstance(),
        io.optimus.proto.v1.ShadowSample.getDefaultInstance()}) {
      PARSERS.put(m.getDescriptorForType().getFullName(), m.getParserForType());
    }
  }

  private EpisodeMessages() {}

  static Parser<? extends Message> parser(String schemaName) {
    return PARSERS.get(schemaName);
  }

  /** The message's own time stamp (capture/exposure/tick time), or null if it has none. */
  static Timestamp stamp(Message m) {
    if (m instanceof JointState s) {
      return s.getStamp();
    } else if (m instanceof CameraFrame c) {
      return c.getStamp();
    } else if (m instanceof OperatorFrame o) {
      return o.getCaptureTime();
    } else if (m instanceof JointCommand c) {
      return c.getStamp();
    } else if (m instanceof TaskState t) {
      return t.getStamp();
    } else if (m instanceof SafetyEvent e) {
      return e.getStamp();
    } else if (m instanceof SafetyStatus s) {
      return s.getStamp();
    } else if (m instanceof Annotation a) {
      return a.getStamp();
    } else if (m instanceof EpisodeHeader h) {
      return h.getStart();
    } else if (m instanceof EpisodeOutcomeRecord o) {
      return o.getStamp();
    } else if (m instanceof StageLatency l) {
      return l.getStamp();
    } else if (m instanceof io.optimus.proto.v1.ShadowSample s) {
      return s.getStamp(); // the tick's: plotted in line with /state
    }
    return null;
  }
}

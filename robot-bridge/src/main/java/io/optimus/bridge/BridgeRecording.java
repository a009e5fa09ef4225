package io.optimus.bridge;

import io.optimus.bridge.control.ActionSource;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.common.InputException;
import io.optimus.common.Stamps;
import io.optimus.motion.record.EpisodeRecorder;
import io.optimus.motion.record.EpisodeSummary;
import io.optimus.motion.record.EpisodeWriter;
import io.optimus.proto.v1.Annotation;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.EpisodeSourceKind;
import io.optimus.proto.v1.RobotDescription;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A bridge's episode recording: start (with the episode header), stop (with the task's success), marks. */
final class BridgeRecording {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeRecording.class);

  private final BridgeConfig config;
  private final EpisodeRecorder recorder;
  private final RobotDescription description;
  private final TaskWorld world;
  private final Supplier<ActionSource> source;
  private final Runnable changed;

  /**
   * @param recorder null when recording is off
   * @param world the task world (locked while read), or null
   * @param changed called after a recording starts or stops (the bridge republishes its presence)
   */
  BridgeRecording(BridgeConfig config, EpisodeRecorder recorder, RobotDescription description, TaskWorld world,
      Supplier<ActionSource> source, Runnable changed) {
    this.config = config;
    this.recorder = recorder;
    this.description = description;
    this.world = world;
    this.source = source;
    this.changed = changed;
  }

  Path start(String operator, String task, String notes) {
    if (recorder == null) {
      throw new InputException("recording is off: start the bridge with a record directory (--record DIR)");
    }
    ActionSource s = source.get();
    EpisodeHeader h = EpisodeHeader.newBuilder()
        .setSchemaVersion(1)
        .setRobotId(config.robotId())
        .setRobot(description)
        .setOperatorId(operator == null ? "" : operator)
        .setTask(task != null && !task.isEmpty() ? task : (config.task() == null ? "" : config.task()))
        .setSeed(world == null ? config.seed() : world.seed())
        .setSourceKind(s == null ? EpisodeSourceKind.EPISODE_SOURCE_KIND_UNSPECIFIED : s.kind())
        .setSource(s == null ? "" : s.name())
        .setControlRateHz(config.controlRateHz())
        .setNotes(notes == null ? "" : notes)
        .build();
    EpisodeWriter w = recorder.start(h);
    if (w.state() == EpisodeWriter.State.FAILED) {
      throw new InputException("cannot record to " + w.file() + ": " + w.error());
    }
    changed.run();
    LOG.info("recording {}", w.file());
    return w.file();
  }

  EpisodeSummary stop(EpisodeOutcome outcome, String notes) {
    if (recorder == null || !recorder.isRecording()) {
      throw new InputException("not recording");
    }
    if (world != null) {
      EpisodeWriter w = recorder.current();
      synchronized (world) {
        w.setTaskSuccess(world.success());
      }
    }
    EpisodeSummary s = outcome == null || outcome == EpisodeOutcome.EPISODE_OUTCOME_UNSPECIFIED
        ? recorder.stop() : recorder.stop(outcome, notes);
    changed.run();
    LOG.info("recorded {}: {} messages, {} dropped", s.file(), s.messages(), s.dropped());
    return s;
  }

  void mark(EpisodeOutcome o, String notes) {
    if (recorder != null && recorder.mark(o, notes)) {
      recorder.annotate(Annotation.newBuilder().setSchemaVersion(1).setStamp(Stamps.now()).setKind("mark")
          .setText(o.name() + (notes.isEmpty() ? "" : ": " + notes)).build());
    }
  }
}

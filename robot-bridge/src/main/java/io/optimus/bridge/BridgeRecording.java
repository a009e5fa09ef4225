package io.optimus.bridge;

import io.optimus.bridge.control.ActionSource;
import io.optimus.bridge.control.ControlLoop;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bridge's episode recording: start (with the episode header), stop (with the task's success), marks.
 *
 * <p>The control loop's reports reach their outputs later, on its reporter thread, each stamped with the
 * episode its tick belonged to ({@link ControlLoop#attributeTo}). So an episode holds exactly the ticks that
 * began while it was attributed: one starts with the first tick after {@link #start} made it, and {@link #stop}
 * first ends the attribution, then waits (bounded, on the requester's thread: never the control loop's, never
 * an e-stop's) until the reports and loop safety events of its last ticks are delivered, then finishes it.
 * Starts and stops run one at a time.
 */
final class BridgeRecording {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeRecording.class);
  /** How long a stop waits for the reporter: longer than the ring of reports a recorded tick may fill. */
  static final long DRAIN_NS = 10_000_000_000L;

  private final BridgeConfig config;
  private final EpisodeRecorder recorder;
  private final RobotDescription description;
  private final TaskWorld world;
  private final ControlLoop loop;
  private final BridgeOutputs outputs;
  private final BridgeEngine engine;
  private final Runnable changed;

  /**
   * @param recorder null when recording is off
   * @param world the task world (locked while read), or null
   * @param loop whose reports are recorded (its action source is the episode's)
   * @param outputs where the loop's safety events go out
   * @param engine the data engine, which judges each finished episode (a stop returns once it has)
   * @param changed called after a recording starts or stops (the bridge republishes its presence)
   */
  BridgeRecording(BridgeConfig config, EpisodeRecorder recorder, RobotDescription description, TaskWorld world,
      ControlLoop loop, BridgeOutputs outputs, BridgeEngine engine, Runnable changed) {
    this.config = config;
    this.recorder = recorder;
    this.description = description;
    this.world = world;
    this.loop = loop;
    this.outputs = outputs;
    this.engine = engine;
    this.changed = changed;
  }

  synchronized Path start(String operator, String task, String notes) {
    if (recorder == null) {
      throw new InputException("recording is off: start the bridge with a record directory (--record DIR)");
    }
    ActionSource s = loop.source();
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
    if (recorder.current() != null) {
      detach(recorder.current()); // recorder.start finishes it: its last ticks' reports go in first
    }
    EpisodeWriter w = recorder.start(h);
    if (w.state() == EpisodeWriter.State.FAILED) {
      throw new InputException("cannot record to " + w.file() + ": " + w.error());
    }
    loop.attributeTo(w); // from the next tick on
    changed.run();
    LOG.info("recording {}", w.file());
    return w.file();
  }

  synchronized EpisodeSummary stop(EpisodeOutcome outcome, String notes) {
    if (recorder == null || !recorder.isRecording()) {
      throw new InputException("not recording");
    }
    EpisodeWriter w = recorder.current();
    detach(w);
    if (world != null) {
      synchronized (world) {
        w.setTaskSuccess(world.success());
      }
    }
    EpisodeSummary s = outcome == null || outcome == EpisodeOutcome.EPISODE_OUTCOME_UNSPECIFIED
        ? recorder.stop() : recorder.stop(outcome, notes);
    if (s.ok() && !engine.awaitFinished(s.episodeId(), 5000)) {
      LOG.warn("recording {}: the data engine had not judged it 5 s after it finished", s.file());
    }
    changed.run();
    LOG.info("recorded {}: {} messages, {} dropped", s.file(), s.messages(), s.dropped());
    return s;
  }

  /**
   * Ends the loop's attribution to {@code w} and waits (bounded) until its ticks' reports and safety events are
   * in it. On time out (the reporter starved {@link #DRAIN_NS}) what is still queued is lost to it: logged.
   */
  private void detach(EpisodeWriter w) {
    loop.attributeTo(null);
    long deadline = System.nanoTime() + DRAIN_NS;
    if (!loop.awaitReportedBy(deadline) || !outputs.awaitLoopEvents(deadline)) {
      LOG.error("recording {}: the control loop's last reports did not arrive within {} s; the episode ends"
          + " without them", w.file(), DRAIN_NS / 1_000_000_000L);
    }
  }

  void mark(EpisodeOutcome o, String notes) {
    if (recorder != null && recorder.mark(o, notes)) {
      recorder.annotate(Annotation.newBuilder().setSchemaVersion(1).setStamp(Stamps.now()).setKind("mark")
          .setText(o.name() + (notes.isEmpty() ? "" : ": " + notes)).build());
    }
  }
}

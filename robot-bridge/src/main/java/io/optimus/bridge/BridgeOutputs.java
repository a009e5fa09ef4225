package io.optimus.bridge;

import io.optimus.bridge.control.ActionSource;
import io.optimus.bridge.control.ControlLoop;
import io.optimus.bridge.control.FrameDropCounter;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.common.Stamps;
import io.optimus.motion.record.EpisodeRecorder;
import io.optimus.motion.record.EpisodeWriter;
import io.optimus.proto.v1.BridgeStatus;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyStatus;
import io.optimus.proto.v1.TaskState;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a bridge's reports go: its topics (when it has a broker) and the current recording (when one
 * runs). The control loop's states, task and safety status, camera frames (one topic per camera), safety events, the
 * retained presence, and replies on {@code control/reply}. The loop's reports and the safety events its tick
 * raises are recorded in (and judged by the data engine for) the episode their tick belonged to, whenever they
 * are delivered ({@link ControlLoop#attributeTo}); other threads' messages in the episode recording when they come.
 */
final class BridgeOutputs implements ControlLoop.Output {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeOutputs.class);

  private final BridgeConfig config;
  private final MqttEndpoint mqtt;
  private final EpisodeRecorder recorder;
  private final FrameDropCounter frameDrops;
  private final Supplier<ActionSource> source;
  private volatile boolean closed;
  private volatile BridgeEngine engine;
  private volatile java.util.function.BooleanSupplier takenOver = () -> false;
  private final LiveStatus live = new LiveStatus();
  private volatile Supplier<String> operatorId = () -> "";
  /**
   * Publishes (and logs) the safety events the control loop's own tick raises, in order: the MQTT client's
   * locks, which its camera and retry threads also take, never hold up a tick (benchmarks/scripted-tasks.md,
   * session 36). Events raised elsewhere are published by their thread, as before.
   */
  private final java.util.concurrent.ExecutorService loopEvents;
  private volatile ControlLoop loop;
  // the loop reporter thread's republishing of the presence (about once a second, and soon after a change)
  private static final long STATUS_PERIOD_NS = 1_000_000_000L;
  private static final long STATUS_CHANGE_GAP_NS = 100_000_000L;
  private volatile long lastPresenceNs = Long.MIN_VALUE / 2;
  private boolean changePending;
  private String lastOperatorId = "";

  /** {@code mqtt} and {@code recorder} may be null (offline, not recording). */
  BridgeOutputs(BridgeConfig config, MqttEndpoint mqtt, EpisodeRecorder recorder, FrameDropCounter frameDrops,
      Supplier<ActionSource> source) {
    this.config = config;
    this.mqtt = mqtt;
    this.recorder = recorder;
    this.frameDrops = frameDrops;
    this.source = source;
    this.loopEvents = java.util.concurrent.Executors.newSingleThreadExecutor(
        r -> Thread.ofPlatform().daemon().name("safety-events-" + config.robotId()).unstarted(r));
  }

  /** The control loop whose thread's safety events are handed off, stamped with the episode of its tick. */
  void loop(ControlLoop l) {
    this.loop = l;
  }

  @Override
  public void state(JointState s, EpisodeWriter episode) {
    if (mqtt != null) {
      mqtt.publishStream(Topics.state(config.robotId()), s);
      livePresence(s);
    }
    if (episode != null) {
      episode.writeState(s);
    }
    BridgeEngine e = engine;
    if (e != null) {
      e.state(s, episode); // the shadow's sample of this tick, after the tick itself
    }
  }

  /**
   * Measures the state for the fleet view and republishes the presence about once a second, and within
   * {@value #STATUS_CHANGE_GAP_NS} ns of a change of safety mode or operator (the loop's reporter thread; allocates
   * nothing unless it publishes).
   */
  private void livePresence(JointState s) {
    String op = operatorId.get();
    if (live.sample(s) || !op.equals(lastOperatorId)) {
      lastOperatorId = op;
      changePending = true;
    }
    long now = System.nanoTime();
    long since = now - lastPresenceNs;
    if (since >= STATUS_PERIOD_NS || (changePending && since >= STATUS_CHANGE_GAP_NS)) {
      presence(true);
    }
  }

  /** Where the presence's operator id comes from (the operator channel, made after the outputs). */
  void operatorId(Supplier<String> id) {
    this.operatorId = id;
  }

  /** The data engine that sees every tick and adds to the presence. */
  void engine(BridgeEngine e, java.util.function.BooleanSupplier takeover) {
    this.engine = e;
    this.takenOver = takeover;
    if (mqtt != null) {
      e.liveShadow(summary -> mqtt.publishStream(Topics.shadowSample(config.robotId()), summary));
    }
  }

  @Override
  public void task(TaskState t, EpisodeWriter episode) {
    if (mqtt != null) {
      mqtt.publishStream(Topics.task(config.robotId()), t);
    }
    if (episode != null) {
      episode.writeTask(t);
    }
  }

  @Override
  public void safetyStatus(SafetyStatus s, EpisodeWriter episode) {
    if (mqtt != null) {
      mqtt.publish(Topics.safety(config.robotId()), s, MqttEndpoint.QOS_RELIABLE, true);
      if (frameDrops.reportDue(System.nanoTime(), 1_000_000_000L)) {
        presence(true); // BridgeStatus carries the refused-frame counts: at most once a second
      }
    }
    if (episode != null) {
      episode.writeSafetyStatus(s);
    }
  }

  /** A camera frame (camera thread): published on its camera's topic and recorded on its camera's channel. */
  void camera(CameraFrame f) {
    if (mqtt != null) {
      mqtt.publishStream(Topics.camera(config.robotId(), f.getCameraName()), f);
    }
    if (recorder != null) {
      recorder.writeCamera(f);
    }
  }

  /**
   * A safety event (the supervisor's listener, on the thread that raised it): published, recorded and judged by
   * the data engine's triggers. One the control loop's tick raised belongs to that tick's episode and goes out
   * on {@link #loopEvents}; one raised elsewhere (an e-stop request) to the episode recording now.
   */
  void safetyEvent(SafetyEvent e) {
    ControlLoop l = loop;
    if (l != null && l.onLoopThread()) {
      EpisodeWriter episode = l.tickEpisode();
      try {
        loopEvents.execute(() -> publishEvent(e, episode));
        return;
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        publishEvent(e, episode); // closing: published here
        return;
      }
    }
    publishEvent(e, recorder == null ? null : recorder.current());
  }

  private void publishEvent(SafetyEvent e, EpisodeWriter episode) {
    if (e.getSeverity().getNumber() >= 2) {
      LOG.warn("safety {}: {} {} {}", config.robotId(), e.getType(), e.getJoint(), e.getDetail());
    }
    if (mqtt != null) {
      mqtt.publish(Topics.safetyEvent(config.robotId()), e, MqttEndpoint.QOS_RELIABLE, false);
    }
    if (episode != null) {
      episode.writeSafetyEvent(e);
    }
    BridgeEngine en = engine;
    if (en != null) {
      en.safetyEvent(e, episode);
    }
  }

  /**
   * Waits (at most until {@code deadlineNs}, System.nanoTime) until the safety events the loop's ticks raised
   * so far are out; true when so. With {@link ControlLoop#awaitReportedBy}, the last of an episode's messages.
   */
  boolean awaitLoopEvents(long deadlineNs) {
    try {
      loopEvents.submit(() -> { }).get(Math.max(0, deadlineNs - System.nanoTime()),
          java.util.concurrent.TimeUnit.NANOSECONDS);
      return true;
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      return loopEvents.isTerminated();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The retained presence: online, action source, recording (and its error), task, refused frames, and
   * the live fleet view's engaged, operator, safety mode, loop rate and latency per stage ({@link LiveStatus}).
   */
  void presence(boolean online) {
    if (mqtt == null) {
      return;
    }
    ActionSource s = source.get();
    BridgeStatus.Builder b = BridgeStatus.newBuilder().setSchemaVersion(1).setRobotId(config.robotId()).setOnline(online)
        .setStamp(Stamps.now())
        .setActionSource(s == null ? "" : s.name())
        .setRecording(recorder != null && recorder.isRecording())
        .setRecordingError(recorder == null || recorder.isRecording() || recorder.last() == null
            || recorder.last().ok() ? "" : recorder.last().error())
        .setTask(config.task() == null ? "" : config.task())
        .putAllOperatorFramesDropped(frameDrops.snapshot())
        .setOperatorId(operatorId.get());
    live.describe(b);
    changePending = false; // a racing change is caught by the next second's status at worst
    lastPresenceNs = System.nanoTime();
    BridgeEngine e = engine;
    if (e != null) {
      e.describe(b, takenOver.getAsBoolean());
    }
    BridgeStatus st = b.build();
    mqtt.publish(Topics.status(config.robotId()), st, MqttEndpoint.QOS_RELIABLE, true);
  }

  /**
   * Replies go to this robot's {@code control/reply} only, with the request's correlation data. An
   * MQTT 5 response topic is not followed: the bridge publishes on its own topics, never where a
   * requester points it (under the ACL the broker would drop the bridge for it).
   */
  void reply(ControlReply reply, byte[] correlation) {
    if (mqtt != null) {
      mqtt.publishReply(Topics.controlReply(config.robotId()), reply, correlation);
    }
  }

  /** An operator's refused e-stop reset, answered where control replies go (the client's HUD watches it). */
  void refusedReset(long eventId, String why) {
    reply(ControlReply.newBuilder().setSchemaVersion(1)
        .setRequestId("operator-event-" + Long.toUnsignedString(eventId)).setStamp(Stamps.now()).setOk(false)
        .setMessage("e-stop reset refused: " + why).build(), null);
  }

  /**
   * A recording ended on its own (disk full): the retained status drops "recording" and carries the
   * error, and an unsolicited reply (no request id) on control/reply tells clients at once.
   */
  void recordingFailed(Path file, String error) {
    if (mqtt == null || closed) {
      return;
    }
    presence(true);
    mqtt.publish(Topics.controlReply(config.robotId()), ControlReply.newBuilder().setSchemaVersion(1).setOk(false)
        .setMessage("recording stopped: " + error).setEpisodePath(file.toString()).setStamp(Stamps.now()).build(),
        MqttEndpoint.QOS_RELIABLE, false);
  }

  /** The bridge is closing: a recording failing now is not announced. */
  void closing() {
    closed = true;
    loopEvents.shutdown(); // the loop has stopped: its last events go out before the recorder closes
    try {
      loopEvents.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

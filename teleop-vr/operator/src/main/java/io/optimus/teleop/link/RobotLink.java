package io.optimus.teleop.link;

import io.optimus.bridge.mqtt.LastWill;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.common.Stamps;
import io.optimus.proto.v1.BridgeStatus;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.OperatorStatus;
import io.optimus.proto.v1.ResetTaskRequest;
import io.optimus.proto.v1.SafetyStatus;
import io.optimus.proto.v1.TaskState;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operator client's connection to one robot over MQTT: publishes operator frames (QoS 0 with
 * expiry), announces the operator (retained OperatorStatus, with an offline Last Will), and keeps the
 * latest of what the robot publishes: task, joint state, safety, bridge status, head camera. Measures
 * the teleop latency from the robot's state (its StageTimestamps.captured echoes our capture time).
 */
public final class RobotLink implements AutoCloseable {
  public static final String HEAD_CAMERA = "head";

  private final MqttEndpoint mqtt;
  private final String robotId;
  private final String operatorId;
  private final AtomicReference<TaskState> task = new AtomicReference<>();
  private final AtomicReference<JointState> state = new AtomicReference<>();
  private final AtomicReference<SafetyStatus> safety = new AtomicReference<>();
  private final AtomicReference<BridgeStatus> bridge = new AtomicReference<>();
  private final AtomicReference<CameraFrame> camera = new AtomicReference<>();
  private final AtomicReference<ControlReply> lastReply = new AtomicReference<>();
  private final AtomicLong lastReplyAtNs = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong latencyNs = new AtomicLong(-1);
  private final AtomicLong sent = new AtomicLong();

  private RobotLink(MqttEndpoint mqtt, String robotId, String operatorId) {
    this.mqtt = mqtt;
    this.robotId = robotId;
    this.operatorId = operatorId;
  }

  /** Connects anonymously as {@code operatorId} (also the MQTT client id prefix) to drive {@code robotId}. */
  public static RobotLink connect(String brokerUrl, String robotId, String operatorId) {
    return connect(MqttSettings.of(brokerUrl, "op-" + Topics.checkId("operator", operatorId)), robotId, operatorId);
  }

  /**
   * Connects with {@code settings} (broker, credentials, TLS) as {@code operatorId} to drive
   * {@code robotId}; the client id becomes {@code USER-RANDOM} when logged in (brokers with
   * authentication bind client ids to user names), else {@code op-OPERATOR-RANDOM}, so two clients
   * of one operator do not take over each other's session.
   */
  public static RobotLink connect(MqttSettings settings, String robotId, String operatorId) {
    Topics.checkId("robot", robotId);
    Topics.checkId("operator", operatorId);
    String prefix = settings.username() != null ? settings.username() : "op-" + operatorId;
    String clientId = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    MqttEndpoint mqtt = MqttEndpoint.connect(settings.withClientId(clientId),
        LastWill.operatorOffline(operatorId, robotId));
    RobotLink link = new RobotLink(mqtt, robotId, operatorId);
    link.subscribe();
    link.announce(true);
    mqtt.onReconnect(() -> link.announce(true));
    return link;
  }

  private void subscribe() {
    mqtt.subscribe(Topics.task(robotId), MqttEndpoint.QOS_STREAM, TaskState.parser(), (t, m) -> task.set(m));
    mqtt.subscribe(Topics.state(robotId), MqttEndpoint.QOS_STREAM, JointState.parser(), (t, m) -> onState(m));
    mqtt.subscribe(Topics.safety(robotId), MqttEndpoint.QOS_RELIABLE, SafetyStatus.parser(), (t, m) -> safety.set(m));
    mqtt.subscribe(Topics.status(robotId), MqttEndpoint.QOS_RELIABLE, BridgeStatus.parser(), (t, m) -> bridge.set(m));
    mqtt.subscribe(Topics.camera(robotId, HEAD_CAMERA), MqttEndpoint.QOS_STREAM, CameraFrame.parser(),
        (t, m) -> camera.set(m));
    mqtt.subscribe(Topics.controlReply(robotId), MqttEndpoint.QOS_RELIABLE, ControlReply.parser(),
        (t, m) -> {
          lastReplyAtNs.set(System.nanoTime());
          lastReply.set(m);
        });
  }

  private void onState(JointState s) {
    state.set(s);
    if (s.hasStages() && s.getStages().hasCaptured() && s.getStages().getCaptured().getMonotonicNs() != 0) {
      // the robot echoes our capture stamp; compare on wall clocks (they may be different hosts)
      long wall = s.getStages().getCaptured().getWallNs();
      if (wall != 0) {
        latencyNs.set(Math.max(0, Stamps.wallNanos() - wall));
      }
    }
  }

  private void announce(boolean online) {
    OperatorStatus s = OperatorStatus.newBuilder().setSchemaVersion(1).setOperatorId(operatorId).setRobotId(robotId)
        .setOnline(online).setStamp(Stamps.now()).build();
    mqtt.publish(Topics.operatorStatus(operatorId), s, MqttEndpoint.QOS_RELIABLE, true);
  }

  /** Publishes one frame; false when the client could not take it (e.g. reconnecting). */
  public boolean publish(OperatorFrame frame) {
    boolean ok = mqtt.publishOperatorFrame(robotId, frame);
    if (ok) {
      sent.incrementAndGet();
    }
    return ok;
  }

  /** Asks the bridge for a new task layout (between scripted episodes). */
  public void requestTaskReset(long seed) {
    control(ControlRequest.newBuilder().setResetTask(ResetTaskRequest.newBuilder().setSeed(seed)));
  }

  /** Asks the bridge to start recording an episode (for sources without buttons). */
  public void startRecording(String task, String notes) {
    control(ControlRequest.newBuilder().setStartRecording(io.optimus.proto.v1.StartRecordingRequest.newBuilder()
        .setTask(task == null ? "" : task).setOperatorId(operatorId).setNotes(notes == null ? "" : notes)));
  }

  /** Asks the bridge to stop recording with {@code outcome}. */
  public void stopRecording(io.optimus.proto.v1.EpisodeOutcome outcome, String notes) {
    control(ControlRequest.newBuilder().setStopRecording(io.optimus.proto.v1.StopRecordingRequest.newBuilder()
        .setOutcome(outcome).setNotes(notes == null ? "" : notes)));
  }

  private void control(ControlRequest.Builder r) {
    r.setSchemaVersion(1).setRequestId(UUID.randomUUID().toString()).setRequester(operatorId).setStamp(Stamps.now());
    mqtt.publish(Topics.control(robotId), r.build(), MqttEndpoint.QOS_RELIABLE, false);
  }

  public TaskState task() {
    return task.get();
  }

  public JointState state() {
    return state.get();
  }

  public SafetyStatus safety() {
    return safety.get();
  }

  public BridgeStatus bridge() {
    return bridge.get();
  }

  public CameraFrame headCamera() {
    return camera.get();
  }

  public ControlReply lastReply() {
    return lastReply.get();
  }

  /** How long ago (ns, this host's clock) the last reply arrived; {@code Long.MAX_VALUE} before any. */
  public long lastReplyAgeNs() {
    long at = lastReplyAtNs.get();
    return at == Long.MIN_VALUE ? Long.MAX_VALUE : System.nanoTime() - at;
  }

  /** Last measured operator-capture-to-robot-state latency, ns, or -1 before the robot answered. */
  public long latencyNs() {
    return latencyNs.get();
  }

  /**
   * Whether the robot has taken one of our frames: its joint states echo one (what a scripted operator
   * waits for before it turns its head, since the bridge calibrates the body frame on a session's first frame).
   */
  public boolean robotTookAFrame() {
    return latencyNs.get() >= 0;
  }

  public boolean connected() {
    return mqtt.isConnected();
  }

  public long framesSent() {
    return sent.get();
  }

  public MqttEndpoint endpoint() {
    return mqtt;
  }

  /** Announces offline (retained) and disconnects cleanly; the Last Will covers the unclean case. */
  @Override
  public void close() {
    if (mqtt.isConnected()) {
      OperatorStatus s = OperatorStatus.newBuilder().setSchemaVersion(1).setOperatorId(operatorId).setRobotId(robotId)
          .setOnline(false).setStamp(Stamps.now()).build();
      try {
        mqtt.publishAndWait(Topics.operatorStatus(operatorId), s, MqttEndpoint.QOS_RELIABLE, true);
      } catch (RuntimeException e) {
        // the broker went away: its copy of our Last Will says the same
        org.slf4j.LoggerFactory.getLogger(RobotLink.class).warn("operator offline status not delivered: {}", e.getMessage());
      }
    }
    mqtt.close();
  }
}

package io.optimus.bridge;

import com.google.protobuf.InvalidProtocolBufferException;
import io.optimus.bridge.body.RobotBody;
import io.optimus.bridge.body.RobotRig;
import io.optimus.bridge.control.ActionSource;
import io.optimus.bridge.control.CommandActionSource;
import io.optimus.bridge.control.ControlLoop;
import io.optimus.bridge.control.FrameDrop;
import io.optimus.bridge.control.FrameDropCounter;
import io.optimus.bridge.control.OperatorEventGate;
import io.optimus.bridge.control.OperatorFrameValidator;
import io.optimus.bridge.control.OperatorInbox;
import io.optimus.bridge.control.Policy;
import io.optimus.bridge.control.PolicyActionSource;
import io.optimus.bridge.control.ReplayLibrary;
import io.optimus.bridge.control.ResetChordHold;
import io.optimus.bridge.control.Retargeter;
import io.optimus.bridge.control.TeleopActionSource;
import io.optimus.bridge.mqtt.LastWill;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.safety.ProblemThrottle;
import io.optimus.bridge.safety.SafetyConfig;
import io.optimus.bridge.safety.SafetySupervisor;
import io.optimus.bridge.sim.SimulatedRobot;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.common.InputException;
import io.optimus.common.Stamps;
import io.optimus.motion.record.EpisodeRecorder;
import io.optimus.motion.record.EpisodeSummary;
import io.optimus.motion.record.EpisodeWriter;
import io.optimus.proto.v1.Annotation;
import io.optimus.proto.v1.BridgeStatus;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.EpisodeSourceKind;
import io.optimus.proto.v1.JointCommand;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.OperatorEvent;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.OperatorStatus;
import io.optimus.proto.v1.RobotDescription;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyStatus;
import io.optimus.proto.v1.TaskState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One robot on MQTT: the control loop, safety supervisor, body, task world, head camera and
 * recording sessions, wired to the topics of {@link Topics}. Operator frames are validated and the
 * newest one drives teleoperation; control requests (e-stop, recording, action source, task reset)
 * are answered on {@code control/reply} (with the request's correlation data); safety events are
 * published and recorded as they happen; the description and presence are retained, and the bridge's
 * Last Will marks it offline.
 *
 * <p>Identity comes from topics, never from payloads: one operator session owns the robot
 * ({@link OperatorInbox}); an operator's status topic affects the robot only when that operator owns
 * it; an e-stop is reset only by the owning session's reset chord held 1 s (measured here) or the
 * bridge's console ({@link #resetEstopLocally}), never over the control topic, and never while a link
 * is lost; replays come by episode id from the configured directory only ({@link ReplayLibrary}).
 *
 * <p>E-stop path: a second MQTT connection ({@code bridge-<robotId>-estop}) subscribes to the
 * operator and control topics and does nothing but find e-stops (control request, the operator's
 * chord or e-stop event) and latch them on its own thread, so no backlog of other traffic in the
 * broker or in this process can hold one up; the main connection latches them too, first thing on
 * arrival. Its MQTT thread only does quick work: slow requests run in order on one
 * {@link RequestWorker} with a bounded queue, and inputs are bounded by {@link BridgeLimits}.
 */
public final class RobotBridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RobotBridge.class);
  private static final long INVALID_EVENT_PERIOD_NS = 1_000_000_000L;
  /** An OperatorStatus is a few dozen bytes; anything bigger is not one. */
  static final int MAX_OPERATOR_STATUS_BYTES = 1024;

  private final BridgeConfig config;
  private final RobotRig rig;
  private final RobotBody body;
  private final RobotDescription description;
  private final SafetySupervisor supervisor;
  private final OperatorInbox inbox;
  private final FrameDropCounter frameDrops;
  private final ResetChordHold resetHold;
  private boolean resetRequested;
  private long resetRequestedEventId;
  private long latchesAtHoldStart;
  private final ReplayLibrary replays;
  private final AtomicLong badOperatorStatuses = new AtomicLong();
  /** Counts set_action_source requests: a replay that finishes loading after a newer request is dropped. */
  private final AtomicLong sourceRequests = new AtomicLong();
  private final SimulatedRobot robot;
  private final TaskWorld world;
  private final ControlLoop loop;
  private final MqttEndpoint mqtt;
  private final MqttEndpoint estopMqtt;
  private final Retargeter retargeter;
  private final Map<String, Supplier<Policy>> policies;
  private final CommandActionSource commandSource;
  private final RequestWorker worker;
  private final OperatorEventGate eventGate = new OperatorEventGate(BridgeLimits.EVENTS_PER_FRAME);
  private final ProblemThrottle badCommands = new ProblemThrottle(10_000_000_000L);
  private final SeenOnce estopsSeen = new SeenOnce(256);
  private final EpisodeRecorder recorder;
  private final AtomicLong invalidFrames = new AtomicLong();
  private volatile long lastInvalidEventNs = Long.MIN_VALUE / 2;
  private volatile String operatorId = "";
  private volatile boolean closed;

  /** Builds a bridge; see {@link #builder}. */
  private RobotBridge(Builder b) {
    this.config = b.config;
    this.rig = b.rig;
    this.retargeter = b.retargeter;
    this.policies = Map.copyOf(b.policies);
    this.commandSource = new CommandActionSource(rig.dof());
    this.worker = new RequestWorker("bridge-worker-" + config.robotId(), BridgeLimits.WORKER_QUEUE);
    if (config.unattended() && b.body != null) {
      throw new InputException("unattended operation is allowed for simulated bodies only");
    }
    SafetyConfig sc = b.safetyConfig;
    this.robot = SimulatedRobot.builder(rig, config).body(b.body).safety(sc).selfCollision(b.selfCollision)
        .output(new LoopOutput()).camera((f, kin, view) -> onCameraFrame(f)).build();
    this.body = robot.body();
    this.description = robot.description();
    this.inbox = robot.inbox();
    this.supervisor = robot.supervisor();
    this.world = robot.objects();
    this.loop = robot.loop();
    this.frameDrops = new FrameDropCounter(config.robotId());
    this.resetHold = new ResetChordHold(sc.holdTimeoutNs());
    this.replays = b.replays != null ? b.replays : b.replayDir == null ? null : new ReplayLibrary(b.replayDir);
    this.recorder = config.recordDir() == null ? null : new EpisodeRecorder(config.recordDir(),
        EpisodeWriter.Options.defaults(), new EpisodeWriter.Listener() {
          @Override
          public void onFailure(Path file, String error) {
            LOG.error("recording {} failed: {}", file, error);
            onRecordingFailed(file, error);
          }
        });
    this.mqtt = b.mqtt == null ? null
        : MqttEndpoint.connect(b.mqtt.withClientId("bridge-" + config.robotId()), LastWill.bridgeOffline(config.robotId()),
            BridgeLimits.MAX_PACKET_BYTES);
    try {
      this.estopMqtt = b.mqtt == null || !b.estopConnection ? null
          : MqttEndpoint.connect(b.mqtt.withClientId("bridge-" + config.robotId() + "-estop"), null,
              BridgeLimits.MAX_PACKET_BYTES);
    } catch (RuntimeException e) {
      mqtt.close();
      throw e;
    }
    loop.setSyncToOperator(config.syncToOperator());
    supervisor.addListener(this::onSafetyEvent);
  }

  public static Builder builder(RobotRig rig, BridgeConfig config) {
    return new Builder(rig, config);
  }

  /** Options of a bridge beyond its config. */
  public static final class Builder {
    private final RobotRig rig;
    private final BridgeConfig config;
    private RobotBody body;
    private MqttSettings mqtt;
    private Retargeter retargeter;
    private final Map<String, Supplier<Policy>> policies = new ConcurrentHashMap<>();
    private SafetyConfig safetyConfig = SafetyConfig.DEFAULT;
    private boolean selfCollision = true;
    private Path replayDir;
    private ReplayLibrary replays;
    private boolean estopConnection = true;

    private Builder(RobotRig rig, BridgeConfig config) {
      this.rig = rig;
      this.config = config;
    }

    /** A body other than the default simulated one (real hardware). */
    public Builder body(RobotBody b) {
      this.body = b;
      return this;
    }

    /** Connects to this broker (client id {@code bridge-<robotId>}); without it the bridge runs offline. */
    public Builder mqtt(MqttSettings s) {
      this.mqtt = s;
      return this;
    }

    public Builder retargeter(Retargeter r) {
      this.retargeter = r;
      return this;
    }

    /** A policy selectable with {@code SetActionSource{source="policy:NAME"}}. */
    public Builder policy(String name, Supplier<Policy> p) {
      policies.put(name, p);
      return this;
    }

    public Builder safety(SafetyConfig c) {
      this.safetyConfig = c;
      return this;
    }

    public Builder selfCollision(boolean on) {
      this.selfCollision = on;
      return this;
    }

    /** The directory {@code replay:EPISODE_ID} sources come from; without it replays are refused. */
    public Builder replayDir(Path dir) {
      this.replayDir = dir;
      return this;
    }

    /** The replay library itself, in place of {@link #replayDir} (tests hold a load open with it). */
    public Builder replays(ReplayLibrary library) {
      this.replays = library;
      return this;
    }

    /**
     * Whether e-stops also get their own MQTT connection (client id {@code bridge-<robotId>-estop}, the
     * same login; default on). Turn it off only for a broker that allows one connection per user
     * (Mosquitto with {@code use_username_as_clientid}), where the second connection would take the
     * first one's place; the main connection still latches e-stops first on arrival.
     */
    public Builder estopConnection(boolean on) {
      this.estopConnection = on;
      return this;
    }

    /** Builds, connects and starts the bridge. */
    public RobotBridge start() {
      RobotBridge b = new RobotBridge(this);
      try {
        b.begin();
      } catch (RuntimeException e) {
        b.close();
        throw e;
      }
      return b;
    }
  }

  private void begin() {
    String id = config.robotId();
    ActionSource initial = source(config.initialSource());
    loop.setSource(initial);
    if (mqtt != null) {
      mqtt.publishAndWait(Topics.description(id), description, MqttEndpoint.QOS_RELIABLE, true);
      publishPresence(true);
      mqtt.onReconnect(() -> {
        mqtt.publish(Topics.description(id), description, MqttEndpoint.QOS_RELIABLE, true);
        publishPresence(true);
      });
      if (estopMqtt != null) {
        estopMqtt.subscribeRaw(Topics.operator(id), MqttEndpoint.QOS_STREAM, BridgeLimits.OPERATOR_FRAME_BYTES,
            (t, p) -> estopFrame(p));
        estopMqtt.subscribeRaw(Topics.control(id), MqttEndpoint.QOS_RELIABLE, BridgeLimits.CONTROL_BYTES,
            (t, p) -> estopRequest(p));
      }
      mqtt.subscribe(Topics.operator(id), MqttEndpoint.QOS_STREAM, BridgeLimits.OPERATOR_FRAME_BYTES,
          OperatorFrame.parser(), (t, f) -> onOperatorFrame(f));
      mqtt.subscribe(Topics.command(id), MqttEndpoint.QOS_STREAM, BridgeLimits.COMMAND_BYTES, JointCommand.parser(),
          (t, c) -> onCommand(c));
      mqtt.subscribeRequests(Topics.control(id), MqttEndpoint.QOS_RELIABLE, BridgeLimits.CONTROL_BYTES,
          ControlRequest.parser(), (t, r, responseTopic, correlation) -> onControl(r, responseTopic, correlation));
      mqtt.subscribeRaw(Topics.PREFIX + "/operators/+/status", MqttEndpoint.QOS_RELIABLE, BridgeLimits.STATUS_BYTES,
          this::onOperatorStatus);
    }
    robot.start();
    if (config.unattended()) {
      supervisor.engageUnattended(System.nanoTime(), "bridge started unattended with " + initial.name());
    }
    LOG.info("bridge {} running: {} ({} joints) at {} Hz, source {}, task {}", id, rig.model().name(), rig.dof(),
        config.controlRateHz(), initial.name(), config.task());
  }

  private void publishPresence(boolean online) {
    BridgeStatus s = BridgeStatus.newBuilder().setSchemaVersion(1).setRobotId(config.robotId()).setOnline(online)
        .setStamp(Stamps.now())
        .setActionSource(loop.source() == null ? "" : loop.source().name())
        .setRecording(recorder != null && recorder.isRecording())
        .setRecordingError(recorder == null || recorder.isRecording() || recorder.last() == null
            || recorder.last().ok() ? "" : recorder.last().error())
        .setTask(config.task() == null ? "" : config.task())
        .putAllOperatorFramesDropped(frameDrops.snapshot())
        .build();
    mqtt.publish(Topics.status(config.robotId()), s, MqttEndpoint.QOS_RELIABLE, true);
  }

  /**
   * A recording ended on its own (disk full): the retained status drops "recording" and carries the
   * error, and an unsolicited reply (no request id) on control/reply tells clients at once.
   */
  private void onRecordingFailed(Path file, String error) {
    if (mqtt == null || closed) {
      return;
    }
    publishPresence(true);
    mqtt.publish(Topics.controlReply(config.robotId()), ControlReply.newBuilder().setSchemaVersion(1).setOk(false)
        .setMessage("recording stopped: " + error).setEpisodePath(file.toString()).setStamp(Stamps.now()).build(),
        MqttEndpoint.QOS_RELIABLE, false);
  }

  /** Makes the named source: "teleop", "command", "replay:EPISODE_ID", "policy:NAME". */
  private ActionSource source(String spec) {
    if (spec == null || spec.equals("teleop")) {
      if (retargeter == null) {
        throw new InputException("action source 'teleop' needs a retargeter, and this bridge has none");
      }
      return new TeleopActionSource(retargeter, rig.dof());
    }
    if (spec.equals("command")) {
      return commandSource;
    }
    if (spec.startsWith("replay:")) {
      if (replays == null) {
        throw new InputException("replays are off: start the bridge with a replay directory (--replay-dir DIR)");
      }
      return replays.load(spec.substring(7), rig.dof());
    }
    if (spec.startsWith("policy:")) {
      Supplier<Policy> p = policies.get(spec.substring(7));
      if (p == null) {
        throw new InputException("no policy '" + spec.substring(7) + "' (known: " + policies.keySet() + ")");
      }
      return new PolicyActionSource(p.get(), rig.dof());
    }
    throw new InputException("action source '" + spec + "' is unknown: use teleop, command, replay:EPISODE_ID or policy:NAME");
  }

  private void onOperatorFrame(OperatorFrame f) {
    long now = System.nanoTime();
    latchIfEstop(f, now, supervisor.ticks());
    String problem = OperatorFrameValidator.problem(f);
    if (problem != null) {
      invalidFrames.incrementAndGet();
      dropFrame(FrameDrop.INVALID, f, problem, now);
      return;
    }
    problem = OperatorFrameValidator.stampProblem(f, Stamps.wallNanos());
    if (problem != null) {
      dropFrame(FrameDrop.TIMESTAMP, f, problem, now);
      return;
    }
    OperatorInbox.Admission a = inbox.admit(f, now);
    if (!a.accepted()) {
      dropFrame(a.drop(), f, a.detail(), now);
      return;
    }
    loop.operatorFrameArrived();
    operatorId = f.getOperatorId();
    if (recorder != null) {
      recorder.writeOperator(f);
    }
    long resetChordNs;
    synchronized (resetHold) {
      if (a.claimed()) {
        resetHold.clear();
        resetRequested = false;
      }
      resetChordNs = resetHold.update(f, now);
      if (resetChordNs == 0) {
        latchesAtHoldStart = supervisor.estopLatches();
      }
    }
    for (OperatorEvent e : eventGate.admit(a.events())) {
      onOperatorEvent(e, f, now);
    }
    resetWhenHeld(f, resetChordNs, now);
  }

  /**
   * Counts a refused frame; raises a (rate-limited) INVALID_INPUT event unless it was merely out of
   * order. Its e-stop (chord or event) still latches: stopping is always allowed, and never waits.
   */
  private void dropFrame(FrameDrop reason, OperatorFrame f, String detail, long now) {
    if (f.getCommands().getEstop() || f.getEventsList().stream()
        .anyMatch(e -> e.getType() == OperatorEventType.OPERATOR_EVENT_ESTOP)) {
      supervisor.estop(now, "e-stop in a refused operator frame (" + reason.label() + ") of session '"
          + f.getSessionId() + "' ('" + f.getOperatorId() + "')");
    }
    String what = "operator frame " + Long.toUnsignedString(f.getSequence()) + " refused (" + reason.label() + "): "
        + detail;
    frameDrops.count(reason, what, now);
    if (reason != FrameDrop.STALE && now - lastInvalidEventNs > INVALID_EVENT_PERIOD_NS) {
      lastInvalidEventNs = now;
      supervisor.invalidInput(now, what, f.getSequence());
    }
  }

  /** The e-stop connection's operator frames: e-stops only (the main connection counts garbage). */
  private void estopFrame(byte[] payload) {
    long arrivalNs = System.nanoTime();
    long arrivalTick = supervisor.ticks();
    try {
      latchIfEstop(OperatorFrame.parseFrom(payload), arrivalNs, arrivalTick);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      // garbage: counted and logged by the main connection
    }
  }

  /** The e-stop connection's control requests: e-stops only; the main connection executes and answers. */
  private void estopRequest(byte[] payload) {
    long arrivalNs = System.nanoTime();
    long arrivalTick = supervisor.ticks();
    try {
      latchIfEstop(ControlRequest.parseFrom(payload), arrivalNs, arrivalTick);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      // garbage: counted and logged by the main connection
    }
  }

  /** The e-stop fast path: latched on the arrival thread before the frame is validated or sequenced. */
  private void latchIfEstop(OperatorFrame f, long arrivalNs, long arrivalTick) {
    String why = OperatorEventGate.estopRequest(f);
    if (why != null && estopsSeen.first("frame " + f.getSessionId() + "/" + f.getSequence())) {
      supervisor.estop(arrivalNs, arrivalTick, why);
    }
  }

  /** Latches once per request: the copy arriving on the other connection must not undo a reset. */
  private void latchIfEstop(ControlRequest r, long arrivalNs, long arrivalTick) {
    if (r.hasEstop() && (r.getRequestId().isEmpty() || estopsSeen.first("request " + r.getRequestId()))) {
      supervisor.estop(arrivalNs, arrivalTick, "e-stop control request: " + r.getEstop().getReason());
    }
  }

  /** Runs a slow request on the worker, in order; false when its queue is full (the caller says so). */
  private boolean offload(String what, Runnable job) {
    return worker.submit(what + " on " + config.robotId(), job);
  }

  private void onOperatorEvent(OperatorEvent e, OperatorFrame f, long now) {
    LOG.debug("operator {} event {} ({})", f.getOperatorId(), e.getType(), e.getEventId());
    switch (e.getType()) {
      case OPERATOR_EVENT_ESTOP -> { } // latched on arrival, once (latchIfEstop)
      case OPERATOR_EVENT_ESTOP_RESET -> requestOperatorReset(e, f, now);
      case OPERATOR_EVENT_RECORD_START -> offload("record start", () -> startRecording(f.getOperatorId(), "", e.getText()));
      case OPERATOR_EVENT_RECORD_STOP -> offload("record stop", () -> stopRecording(null, e.getText()));
      case OPERATOR_EVENT_MARK_SUCCESS -> offload("mark", () -> mark(EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, e.getText()));
      case OPERATOR_EVENT_MARK_FAILURE -> offload("mark", () -> mark(EpisodeOutcome.EPISODE_OUTCOME_FAILURE, e.getText()));
      case OPERATOR_EVENT_MARK_DISCARD -> offload("mark", () -> mark(EpisodeOutcome.EPISODE_OUTCOME_DISCARD, e.getText()));
      case OPERATOR_EVENT_CALIBRATE -> { } // the retargeter reads it from the frame (OperatorRetargeter)
      default -> LOG.debug("ignored operator event {}", e.getType());
    }
  }

  /**
   * The owning session asked for a reset (only its frames get here). It happens once the bridge has
   * seen the reset chord held for {@link ResetChordHold#HOLD_NS} without a break; letting go first, or
   * asking without the chord held, is refused.
   */
  private void requestOperatorReset(OperatorEvent e, OperatorFrame f, long now) {
    if (!ResetChordHold.held(f)) {
      refuseOperatorReset(e.getEventId(), "the reset chord (left X + Y) is not held", now);
      return;
    }
    synchronized (resetHold) {
      resetRequested = true;
      resetRequestedEventId = e.getEventId();
    }
  }

  private void resetWhenHeld(OperatorFrame f, long heldNs, long now) {
    long eventId;
    long latches;
    synchronized (resetHold) {
      if (!resetRequested) {
        return;
      }
      eventId = resetRequestedEventId;
      latches = latchesAtHoldStart;
      if (heldNs >= 0 && heldNs < ResetChordHold.HOLD_NS) {
        return;
      }
      resetRequested = false;
    }
    if (heldNs < 0) {
      refuseOperatorReset(eventId, "the reset chord was let go before it was held "
          + ResetChordHold.HOLD_NS / 1_000_000 + " ms", now);
      return;
    }
    if (supervisor.estopLatches() != latches) {
      refuseOperatorReset(eventId, "the e-stop latched again while the reset chord was held: let go and hold"
          + " it again", now);
      return;
    }
    String why = resetEstop(now, "operator '" + f.getOperatorId() + "' (reset chord held "
        + heldNs / 1_000_000 + " ms)");
    if (why != null) {
      replyToOperator(eventId, why);
    }
  }

  private void refuseOperatorReset(long eventId, String why, long now) {
    if (supervisor.estopLatched()) {
      supervisor.resetRefused(now, "e-stop reset refused: " + why);
      replyToOperator(eventId, why);
    }
  }

  /** An operator's refused request, answered where control replies go (the client's HUD watches it). */
  private void replyToOperator(long eventId, String why) {
    if (mqtt != null) {
      mqtt.publishReply(Topics.controlReply(config.robotId()), ControlReply.newBuilder().setSchemaVersion(1)
          .setRequestId("operator-event-" + Long.toUnsignedString(eventId)).setStamp(Stamps.now()).setOk(false)
          .setMessage("e-stop reset refused: " + why).build(), null);
    }
  }

  /**
   * The one place an e-stop is reset: refused while a link is lost or the operator holds the e-stop
   * chord. Returns null when reset (or nothing was latched), else why not (also raised as an event).
   */
  private String resetEstop(long now, String who) {
    if (!supervisor.estopLatched()) {
      return null;
    }
    String why = linkProblem(now);
    if (why == null && !supervisor.resetEstop(now, "reset by " + who)) {
      why = "the operator still holds the e-stop chord";
    }
    if (why != null) {
      supervisor.resetRefused(now, "e-stop reset by " + who + " refused: " + why);
    }
    return why;
  }

  /** A lost link makes a reset blind: nothing could stop the robot again through it. */
  private String linkProblem(long now) {
    if (mqtt != null && !mqtt.isConnected()) {
      return "the broker link is down";
    }
    if (inbox.linkLost(now)) {
      return "the operator link is lost (its frames stopped or its Last Will arrived): the operator must be"
          + " streaming again";
    }
    return null;
  }

  /**
   * Resets the e-stop from the bridge's own console or an in-process API (the operator role; never
   * reachable over MQTT). Returns null when reset or not latched, else why it was refused.
   */
  public String resetEstopLocally(String who) {
    return resetEstop(System.nanoTime(), "local console (" + who + ")");
  }

  private void mark(EpisodeOutcome o, String notes) {
    if (recorder != null && recorder.mark(o, notes)) {
      recorder.annotate(Annotation.newBuilder().setSchemaVersion(1).setStamp(Stamps.now()).setKind("mark")
          .setText(o.name() + (notes.isEmpty() ? "" : ": " + notes)).build());
    }
  }

  private void onCommand(JointCommand c) {
    if (!c.getRobotId().isEmpty() && !c.getRobotId().equals(config.robotId())) {
      throw new InputException("joint command for robot '" + c.getRobotId() + "' arrived at " + config.robotId());
    }
    long now = System.nanoTime();
    String problem = commandSource.offer(c);
    String report = problem != null ? badCommands.occurred(now, problem) : badCommands.cleared(now);
    if (report != null) { // once per burst, with the count of repeats: not 250 warnings a second
      LOG.warn("robot {}: {}", config.robotId(), report);
      supervisor.invalidInput(now, report, c.getOperatorSequence());
    }
    if (problem != null) {
      return;
    }
    if (recorder != null) {
      recorder.writeCommand(c);
    }
  }

  /**
   * An operator's presence, on {@code optimus/v1/operators/{operatorId}/status}: the broker's ACL lets
   * only that operator (and its Last Will) publish there, so the id comes from the topic. "Offline"
   * stops this robot only when that operator's session owns it; the payload's robot field never
   * selects a robot. Anything that is not a well-formed status of that operator is counted and
   * dropped, never read as "offline".
   */
  private void onOperatorStatus(String topic, byte[] payload) {
    String[] levels = topic.split("/", -1);
    String operator = levels.length == 5 ? levels[3] : "";
    String problem = null;
    OperatorStatus s = null;
    if (operator.isEmpty()) {
      problem = "no operator id in the topic";
    } else if (payload.length == 0) {
      problem = "empty (retained status cleared)";
    } else if (payload.length > MAX_OPERATOR_STATUS_BYTES) {
      problem = payload.length + " bytes (max " + MAX_OPERATOR_STATUS_BYTES + ")";
    } else {
      try {
        s = OperatorStatus.parseFrom(payload);
        if (s.getSchemaVersion() != 1) {
          problem = "schema_version " + s.getSchemaVersion() + " (expected 1)";
        } else if (!s.hasStamp()) { // every status is stamped: a truncated "online" must not read as offline
          problem = "no stamp (truncated?)";
        } else if (!s.getOperatorId().equals(operator)) {
          problem = "it names operator '" + s.getOperatorId() + "' on the status topic of '" + operator + "'";
        }
      } catch (InvalidProtocolBufferException e) {
        problem = "unparseable: " + e.getMessage();
      }
    }
    if (problem != null) {
      long n = badOperatorStatuses.incrementAndGet();
      if (n <= 10 || Long.bitCount(n) == 1) {
        LOG.warn("{}: ignored operator status on {}: {} [{} so far]", config.robotId(), topic, problem, n);
      }
      return;
    }
    long now = System.nanoTime();
    if (!s.getOnline() && operator.equals(inbox.ownerOperator(now))) {
      inbox.release(operator);
      supervisor.operatorLost(now, "operator '" + operator + "' went offline");
    }
  }

  private void onControl(ControlRequest r, String responseTopic, byte[] correlation) {
    latchIfEstop(r, System.nanoTime(), supervisor.ticks()); // also here, first, should the e-stop connection be down
    long ticket = sourceTicket(r); // taken on arrival: a replay still loading is superseded by a newer request
    switch (r.getRequestCase()) {
      case ESTOP -> reply(ControlReply.newBuilder().setSchemaVersion(1).setRequestId(r.getRequestId())
          .setStamp(Stamps.now()).setOk(true).build(), responseTopic, correlation); // latched above, once
      case ESTOP_RESET, REQUEST_NOT_SET -> reply(handle(r, ticket), responseTopic, correlation);
      default -> {
        if (!offload("control request " + r.getRequestCase(),
            () -> reply(handleOrReport(r, ticket), responseTopic, correlation))) {
          reply(ControlReply.newBuilder().setSchemaVersion(1).setRequestId(r.getRequestId()).setStamp(Stamps.now())
              .setOk(false).setMessage("bridge busy: " + BridgeLimits.WORKER_QUEUE
                  + " requests are waiting; try again").build(), responseTopic, correlation);
        }
      }
    }
  }

  private long sourceTicket(ControlRequest r) {
    return r.getRequestCase() == ControlRequest.RequestCase.SET_ACTION_SOURCE ? sourceRequests.incrementAndGet() : -1;
  }

  /** {@link #handle}, answering a failure that is not an InputException too (off the MQTT thread nobody else would). */
  private ControlReply handleOrReport(ControlRequest r, long ticket) {
    try {
      return handle(r, ticket);
    } catch (RuntimeException e) {
      LOG.error("control request {} failed", r.getRequestId(), e);
      return ControlReply.newBuilder().setSchemaVersion(1).setRequestId(r.getRequestId()).setStamp(Stamps.now())
          .setOk(false).setMessage("failed: " + e).build();
    }
  }

  /**
   * Replies go to this robot's {@code control/reply} only, with the request's correlation data. An
   * MQTT 5 response topic is not followed: the bridge publishes on its own topics, never where a
   * requester points it (under the ACL the broker would drop the bridge for it).
   */
  private void reply(ControlReply reply, String responseTopic, byte[] correlation) {
    mqtt.publishReply(Topics.controlReply(config.robotId()), reply, correlation);
  }

  /** Executes a control request (also usable without MQTT) and says how it went. */
  public ControlReply handle(ControlRequest r) {
    return handle(r, sourceTicket(r));
  }

  private ControlReply handle(ControlRequest r, long sourceTicket) {
    ControlReply.Builder b = ControlReply.newBuilder().setSchemaVersion(1).setRequestId(r.getRequestId())
        .setStamp(Stamps.now()).setOk(true);
    long now = System.nanoTime();
    try {
      switch (r.getRequestCase()) {
        case ESTOP -> supervisor.estop(now, "control request from '" + r.getRequester() + "': " + r.getEstop().getReason());
        case ESTOP_RESET -> {
          // anyone who can publish a control request (a deployed policy, a script) could send this
          String why = "only the engaged operator (reset chord, left X + Y held 1 s) or the bridge's console may"
              + " reset the e-stop, not a control request";
          if (supervisor.estopLatched()) {
            supervisor.resetRefused(now, "e-stop reset by control request from '" + r.getRequester() + "' refused: "
                + why);
          }
          b.setOk(false).setMessage("e-stop reset refused: " + why);
        }
        case START_RECORDING -> {
          var s = r.getStartRecording();
          b.setEpisodePath(startRecording(s.getOperatorId().isEmpty() ? operatorId : s.getOperatorId(), s.getTask(),
              s.getNotes()).toString());
        }
        case STOP_RECORDING -> {
          var s = r.getStopRecording();
          EpisodeSummary sum = stopRecording(s.getOutcome(), s.getNotes());
          b.setEpisodePath(sum.file().toString());
          if (!sum.ok()) {
            b.setOk(false).setMessage("recording ended with an error: " + sum.error());
          }
        }
        case SET_ACTION_SOURCE -> {
          if (r.getSetActionSource().getShadow()) {
            throw new InputException("shadow mode is not supported by this bridge yet");
          }
          ActionSource s = source(r.getSetActionSource().getSource());
          synchronized (sourceRequests) {
            if (sourceTicket != sourceRequests.get()) { // loaded too late: a newer request already chose
              if (s != commandSource) {
                s.close();
              }
              throw new InputException("superseded: a later set_action_source request arrived while this one"
                  + " was loading");
            }
            ActionSource old = loop.source();
            loop.setSource(s);
            if (old != null && old != s && old != commandSource) {
              old.close();
            }
            if (config.unattended()) {
              supervisor.engageUnattended(now, "action source " + s.name());
            }
          }
          if (mqtt != null) {
            publishPresence(true);
          }
        }
        case RESET_TASK -> {
          if (world == null) {
            throw new InputException("this bridge runs no task world");
          }
          synchronized (world) {
            world.reset(r.getResetTask().getSeed());
          }
        }
        default -> throw new InputException("empty control request");
      }
    } catch (InputException e) {
      b.setOk(false).setMessage(e.getMessage());
    }
    return b.build();
  }

  private Path startRecording(String operator, String task, String notes) {
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
    EpisodeWriter w = recorder.start(h);
    if (w.state() == EpisodeWriter.State.FAILED) {
      throw new InputException("cannot record to " + w.file() + ": " + w.error());
    }
    if (mqtt != null) {
      publishPresence(true);
    }
    LOG.info("recording {}", w.file());
    return w.file();
  }

  private EpisodeSummary stopRecording(EpisodeOutcome outcome, String notes) {
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
    if (mqtt != null) {
      publishPresence(true);
    }
    LOG.info("recorded {}: {} messages, {} dropped", s.file(), s.messages(), s.dropped());
    return s;
  }

  private void onSafetyEvent(SafetyEvent e) {
    if (e.getSeverity().getNumber() >= 2) {
      LOG.warn("safety {}: {} {} {}", config.robotId(), e.getType(), e.getJoint(), e.getDetail());
    }
    if (mqtt != null) {
      mqtt.publish(Topics.safetyEvent(config.robotId()), e, MqttEndpoint.QOS_RELIABLE, false);
    }
    if (recorder != null) {
      recorder.writeSafetyEvent(e);
    }
  }

  private final class LoopOutput implements ControlLoop.Output {
    @Override
    public void state(JointState s) {
      if (mqtt != null) {
        mqtt.publishStream(Topics.state(config.robotId()), s);
      }
      if (recorder != null) {
        recorder.writeState(s);
      }
    }

    @Override
    public void task(TaskState t) {
      if (mqtt != null) {
        mqtt.publishStream(Topics.task(config.robotId()), t);
      }
      if (recorder != null) {
        recorder.writeTask(t);
      }
    }

    @Override
    public void safetyStatus(SafetyStatus s) {
      if (mqtt != null) {
        mqtt.publish(Topics.safety(config.robotId()), s, MqttEndpoint.QOS_RELIABLE, true);
        if (frameDrops.reportDue(System.nanoTime(), 1_000_000_000L)) {
          publishPresence(true); // BridgeStatus carries the refused-frame counts: at most once a second
        }
      }
      if (recorder != null) {
        recorder.writeSafetyStatus(s);
      }
    }
  }

  /** A head-camera frame (camera thread): published and recorded. */
  private void onCameraFrame(CameraFrame f) {
    if (mqtt != null) {
      mqtt.publishStream(Topics.camera(config.robotId(), "head"), f);
    }
    if (recorder != null) {
      recorder.writeCamera(f);
    }
  }

  public BridgeConfig config() {
    return config;
  }

  public RobotRig rig() {
    return rig;
  }

  public RobotDescription description() {
    return description;
  }

  public SafetySupervisor supervisor() {
    return supervisor;
  }

  public ControlLoop loop() {
    return loop;
  }

  public TaskWorld world() {
    return world;
  }

  public RobotBody body() {
    return body;
  }

  public MqttEndpoint mqtt() {
    return mqtt;
  }

  public EpisodeRecorder recorder() {
    return recorder;
  }

  public OperatorInbox inbox() {
    return inbox;
  }

  /** Operator events dropped by the per-frame cap ({@link BridgeLimits#EVENTS_PER_FRAME}). */
  public long droppedOperatorEvents() {
    return eventGate.droppedCount();
  }

  /** JointCommands refused (wrong length). */
  public long refusedCommands() {
    return badCommands.total();
  }

  /** The worker running slow requests. */
  public RequestWorker worker() {
    return worker;
  }

  /** Operator frames rejected by validation. */
  public long invalidFrames() {
    return invalidFrames.get();
  }

  /** Operator frames refused so far, by reason. */
  public FrameDropCounter frameDrops() {
    return frameDrops;
  }

  /** Operator status messages dropped as malformed, oversized or naming another operator. */
  public long badOperatorStatuses() {
    return badOperatorStatuses.get();
  }

  public long cameraFrames() {
    return robot.cameraFrames();
  }

  /** The simulated robot this bridge runs (body, supervisor, loop, camera). */
  public SimulatedRobot robot() {
    return robot;
  }

  /** Feeds an operator frame as if it came from MQTT (in-process operators, tests). */
  public void offerOperatorFrame(OperatorFrame f) {
    onOperatorFrame(f);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    robot.stop();
    worker.close(); // queued requests finish (and reply) before the recorder and MQTT go
    ActionSource s = loop.source();
    if (s != null) {
      s.close();
    }
    if (recorder != null) {
      recorder.close();
    }
    if (mqtt != null) {
      publishPresence(false);
      mqtt.close();
    }
    if (estopMqtt != null) {
      estopMqtt.close();
    }
    robot.close(); // the body last
  }
}

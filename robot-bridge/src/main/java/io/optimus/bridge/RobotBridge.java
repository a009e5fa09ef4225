package io.optimus.bridge;

import io.optimus.bridge.body.RobotBody;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.control.ActionSource;
import io.optimus.bridge.foxglove.FoxgloveSceneViews;
import io.optimus.bridge.control.ControlLoop;
import io.optimus.bridge.control.FrameDropCounter;
import io.optimus.bridge.control.OperatorInbox;
import io.optimus.bridge.control.Policy;
import io.optimus.bridge.control.ReplayLibrary;
import io.optimus.bridge.control.ResetChordHold;
import io.optimus.bridge.control.Retargeter;
import io.optimus.bridge.mqtt.LastWill;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.safety.ProblemThrottle;
import io.optimus.bridge.safety.SafetyConfig;
import io.optimus.bridge.safety.SafetySupervisor;
import io.optimus.bridge.sim.SimulatedRobot;
import io.optimus.bridge.video.VideoConfig;
import io.optimus.bridge.video.VideoStreamer;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.common.InputException;
import io.optimus.motion.record.EpisodeRecorder;
import io.optimus.motion.record.EpisodeWriter;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.JointCommand;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.RobotDescription;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One robot on MQTT: the control loop, safety supervisor, body, task world, cameras and
 * recording sessions, wired to the topics of {@link Topics}. Operator frames are validated and the
 * newest one drives teleoperation; control requests (e-stop, recording, action source, task reset)
 * are answered on {@code control/reply} (with the request's correlation data); safety events are
 * published and recorded as they happen; the description and presence are retained, and the bridge's
 * Last Will marks it offline.
 *
 * <p>Identity comes from topics, never from payloads: one operator session owns the robot
 * ({@link OperatorInbox}); an operator's status topic affects the robot only when that operator owns
 * it; an e-stop is reset only by the owning session's reset chord held 1 s (measured here) or the
 * bridge's console ({@link #resetEstopLocally}) or a supervisor on its own {@code supervise/USER} topic
 * ({@link SupervisorRequests}, the latch it names), never over the control topic, and never while a link
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

  private final BridgeConfig config;
  private final RobotRig rig;
  private final SimulatedRobot robot;
  private final MqttEndpoint mqtt;
  private final MqttEndpoint estopMqtt;
  private final EpisodeRecorder recorder;
  private final FrameDropCounter frameDrops;
  private final RequestWorker worker;
  private final BridgeOutputs outputs;
  private final EstopFastPath estops;
  private final EstopReset estopReset;
  private final ActionSources sources;
  private final ControlRequests requests;
  private final SupervisorRequests supervisorRequests;
  private final OperatorChannel operators;
  private final BridgeEngine engine;
  private final Takeover takeover;
  private final ProblemThrottle badCommands = new ProblemThrottle(10_000_000_000L);
  private final VideoConfig videoConfig;
  private final MqttSettings mqttSettings;
  private final boolean ownConnections;
  private MqttEndpoint videoMqtt;
  private VideoStreamer video;
  private volatile boolean closed;

  /** Wires a bridge: its simulated robot, MQTT connections, recorder and message handlers; see {@link #builder}. */
  private RobotBridge(Builder b) {
    this.config = b.config;
    this.rig = b.rig;
    this.videoConfig = b.video;
    if (config.unattended() && b.body != null) {
      throw new InputException("unattended operation is allowed for simulated bodies only");
    }
    this.worker = new RequestWorker("bridge-worker-" + config.robotId(), BridgeLimits.WORKER_QUEUE);
    this.frameDrops = new FrameDropCounter(config.robotId());
    this.recorder = config.recordDir() == null ? null : new EpisodeRecorder(config.recordDir(),
        EpisodeWriter.Options.defaults(), new EpisodeWriter.Listener() {
          @Override
          public void onFailure(Path file, String error) {
            LOG.error("recording {} failed: {}", file, error);
            RobotBridge.this.outputs.recordingFailed(file, error);
          }

          @Override
          public void onFinished(io.optimus.motion.record.EpisodeSummary summary) {
            RobotBridge.this.engine.episodeFinished(summary);
          }
        }, FoxgloveSceneViews.factory(this::table));
    this.mqttSettings = b.mqtt;
    this.ownConnections = b.estopConnection;
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
    this.outputs = new BridgeOutputs(config, mqtt, recorder, frameDrops, this::currentSource);
    try {
      this.robot = SimulatedRobot.builder(rig, config).body(b.body).safety(b.safetyConfig)
          .selfCollision(b.selfCollision).output(outputs).camera((f, kin, view) -> outputs.camera(f)).build();
    } catch (RuntimeException e) {
      closeConnections();
      throw e;
    }
    SafetySupervisor supervisor = robot.supervisor();
    robot.loop().setSyncToOperator(config.syncToOperator());
    outputs.loop(robot.loop());
    supervisor.addListener(outputs::safetyEvent);
    this.estops = new EstopFastPath(supervisor);
    this.estopReset = new EstopReset(supervisor, robot.inbox(), mqtt);
    ReplayLibrary replays = b.replays != null ? b.replays : b.replayDir == null ? null : new ReplayLibrary(b.replayDir);
    this.sources = new ActionSources(rig, b.retargeter, replays, b.policies);
    this.engine = new BridgeEngine(config.robotId(), recorder,
        new io.optimus.bridge.engine.ShadowMonitor(config.robotId(), rig.model(), supervisor.limits()),
        new io.optimus.bridge.engine.ClipCutter(config.robotId(),
            config.recordDir() == null ? null : io.optimus.motion.clips.ClipQueue.in(config.recordDir()), b.triggers));
    this.takeover = new Takeover(config, supervisor, sources, robot.loop(), engine, rig.dof());
    outputs.engine(engine, takeover::active);
    BridgeRecording recording = new BridgeRecording(config, recorder, robot.description(), robot.objects(),
        robot.loop(), outputs, engine, () -> outputs.presence(true));
    this.requests = new ControlRequests(config, supervisor, estops, worker, outputs, recording, sources, robot.loop(),
        robot.objects(), this::lastOperatorId, engine, takeover);
    this.supervisorRequests = new SupervisorRequests(config.robotId(), supervisor, estops, estopReset, outputs);
    this.operators = new OperatorChannel(new OperatorChannel.Parts(config, supervisor, robot.inbox(), robot.loop(),
        recorder, estops, estopReset, outputs, recording, requests, frameDrops,
        new ResetChordHold(b.safetyConfig.holdTimeoutNs())));
    outputs.operatorId(operators::operatorId);
  }

  /** The task's table for the recordings' 3D scene (asked at each episode start), null without a task world. */
  private FoxgloveSceneViews.Table table() {
    return FoxgloveSceneViews.Table.of(robot == null ? null : robot.objects());
  }

  private ActionSource currentSource() {
    return robot.loop().source();
  }

  private String lastOperatorId() {
    return operators.operatorId();
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
    private io.optimus.bridge.engine.TriggerSettings triggers = io.optimus.bridge.engine.TriggerSettings.DEFAULTS;
    private VideoConfig video;

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

    /** When the data engine's triggers cut clips (default {@link io.optimus.bridge.engine.TriggerSettings#DEFAULTS}). */
    public Builder triggers(io.optimus.bridge.engine.TriggerSettings t) {
      this.triggers = t;
      return this;
    }

    /**
     * Streams video for people ({@link VideoStreamer}: stereo head, wrists, JPEG on {@code video/{camera}})
     * on its own MQTT connection ({@code bridge-<robotId>-video}; the main one without {@link #estopConnection}),
     * off the control loop; null (default): none.
     */
    public Builder video(VideoConfig v) {
      this.video = v;
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
    ActionSource initial = sources.make(config.initialSource());
    robot.loop().setSource(initial);
    if (mqtt != null) {
      mqtt.publishAndWait(Topics.description(id), description(), MqttEndpoint.QOS_RELIABLE, true);
      outputs.presence(true);
      mqtt.onReconnect(() -> {
        mqtt.publish(Topics.description(id), description(), MqttEndpoint.QOS_RELIABLE, true);
        outputs.presence(true);
      });
      if (estopMqtt != null) {
        estopMqtt.subscribeRaw(Topics.operator(id), MqttEndpoint.QOS_STREAM, BridgeLimits.OPERATOR_FRAME_BYTES,
            (t, p) -> estops.rawFrame(p));
        estopMqtt.subscribeRaw(Topics.control(id), MqttEndpoint.QOS_RELIABLE, BridgeLimits.CONTROL_BYTES,
            (t, p) -> estops.rawRequest(p));
        estopMqtt.subscribeRaw(Topics.superviseAll(id), MqttEndpoint.QOS_RELIABLE, BridgeLimits.CONTROL_BYTES,
            (t, p) -> estops.rawSupervise(id, t, p));
      }
      mqtt.subscribe(Topics.operator(id), MqttEndpoint.QOS_STREAM, BridgeLimits.OPERATOR_FRAME_BYTES,
          OperatorFrame.parser(), (t, f) -> operators.onFrame(f));
      mqtt.subscribe(Topics.command(id), MqttEndpoint.QOS_STREAM, BridgeLimits.COMMAND_BYTES, JointCommand.parser(),
          (t, c) -> onCommand(c));
      mqtt.subscribe(Topics.shadow(id), MqttEndpoint.QOS_STREAM, BridgeLimits.COMMAND_BYTES,
          io.optimus.proto.v1.ShadowPrediction.parser(), (t, p) -> engine.prediction(p));
      mqtt.subscribeRequests(Topics.control(id), MqttEndpoint.QOS_RELIABLE, BridgeLimits.CONTROL_BYTES,
          ControlRequest.parser(), (t, r, responseTopic, correlation) -> requests.onRequest(r, correlation));
      mqtt.subscribeRequests(Topics.superviseAll(id), MqttEndpoint.QOS_RELIABLE, BridgeLimits.CONTROL_BYTES,
          ControlRequest.parser(), (t, r, responseTopic, correlation) -> supervisorRequests.onRequest(t, r, correlation));
      mqtt.subscribeRaw(Topics.PREFIX + "/operators/+/status", MqttEndpoint.QOS_RELIABLE, BridgeLimits.STATUS_BYTES,
          operators::onStatus);
    }
    robot.start();
    startVideo();
    if (config.unattended()) {
      robot.supervisor().engageUnattended(System.nanoTime(), "bridge started unattended with " + initial.name());
    }
    LOG.info("bridge {} running: {} ({} joints) at {} Hz, source {}, task {}", id, rig.model().name(), rig.dof(),
        config.controlRateHz(), initial.name(), config.task());
  }

  /**
   * Video on its own connection, so its megabytes never queue ahead of states, replies or safety; on the
   * main one where the broker allows one connection per user ({@link Builder#estopConnection}(false)).
   */
  private void startVideo() {
    if (videoConfig == null || mqtt == null || robot.objects() == null) {
      return;
    }
    videoMqtt = !ownConnections ? mqtt : MqttEndpoint.connect(mqttSettings.withClientId("bridge-" + config.robotId()
        + "-video"), null, BridgeLimits.MAX_PACKET_BYTES);
    String id = config.robotId();
    video = new VideoStreamer(robot, videoConfig, f -> videoMqtt.publishStream(Topics.video(id, f.getCameraName()), f))
        .start();
  }

  /** The video streams, or null when off. */
  public VideoStreamer video() {
    return video;
  }

  /** Executes a control request (also usable without MQTT) and says how it went. */
  public ControlReply handle(ControlRequest r) {
    return requests.handle(r);
  }

  /** Executes a supervisor's request as if it arrived on {@code topic} (R/supervise/USER; in-process, tests). */
  public ControlReply handleSupervisor(String topic, ControlRequest r) {
    return supervisorRequests.handle(topic, r);
  }

  /**
   * Resets the e-stop from the bridge's own console or an in-process API (the operator role; never
   * reachable over MQTT). Returns null when reset or not latched, else why it was refused.
   */
  public String resetEstopLocally(String who) {
    return estopReset.reset(System.nanoTime(), "local console (" + who + ")");
  }

  private void onCommand(JointCommand c) {
    if (!c.getRobotId().isEmpty() && !c.getRobotId().equals(config.robotId())) {
      throw new InputException("joint command for robot '" + c.getRobotId() + "' arrived at " + config.robotId());
    }
    long now = System.nanoTime();
    String problem = sources.command().offer(c);
    String report = problem != null ? badCommands.occurred(now, problem) : badCommands.cleared(now);
    if (report != null) { // once per burst, with the count of repeats: not 250 warnings a second
      LOG.warn("robot {}: {}", config.robotId(), report);
      robot.supervisor().invalidInput(now, report, c.getOperatorSequence());
    }
    if (problem != null) {
      return;
    }
    if (recorder != null) {
      recorder.writeCommand(c);
    }
  }

  public BridgeConfig config() {
    return config;
  }

  public RobotRig rig() {
    return rig;
  }

  public RobotDescription description() {
    return robot.description();
  }

  /** The simulated robot this bridge runs (world, supervisor, loop, camera). */
  public SimulatedRobot robot() {
    return robot;
  }

  public SafetySupervisor supervisor() {
    return robot.supervisor();
  }

  public ControlLoop loop() {
    return robot.loop();
  }

  public TaskWorld world() {
    return robot.objects();
  }

  public RobotBody body() {
    return robot.body();
  }

  public MqttEndpoint mqtt() {
    return mqtt;
  }

  public EpisodeRecorder recorder() {
    return recorder;
  }

  public OperatorInbox inbox() {
    return robot.inbox();
  }

  /** Shadow samples taken so far (ticks recorded beside a shadow prediction). */
  public long shadowSamples() {
    return engine.shadow().samples();
  }

  /** Clips the triggers put in the dataset's queue so far. */
  public long clips() {
    return engine.clips().clips();
  }

  /** Waits (bounded) until every clip cut so far is in the queue file. */
  public void flushClips() {
    engine.clips().flush(5000);
  }

  /** Offers a shadow prediction as if it came from MQTT (in-process shadows, tests). */
  public void offerShadowPrediction(io.optimus.proto.v1.ShadowPrediction p) {
    engine.prediction(p);
  }

  /** Operator events dropped by the per-frame cap ({@link BridgeLimits#EVENTS_PER_FRAME}). */
  public long droppedOperatorEvents() {
    return operators.droppedEvents();
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
    return operators.invalidFrames();
  }

  /** Operator frames refused so far, by reason. */
  public FrameDropCounter frameDrops() {
    return frameDrops;
  }

  /** Operator status messages dropped as malformed, oversized or naming another operator. */
  public long badOperatorStatuses() {
    return operators.badStatuses();
  }

  public long cameraFrames() {
    return robot.cameraFrames();
  }

  /** Feeds an operator frame as if it came from MQTT (in-process operators, tests). */
  public void offerOperatorFrame(OperatorFrame f) {
    operators.onFrame(f);
  }

  private void closeConnections() {
    if (mqtt != null) {
      mqtt.close();
    }
    if (estopMqtt != null) {
      estopMqtt.close();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (video != null) {
      video.close();
    }
    if (videoMqtt != null && videoMqtt != mqtt) {
      videoMqtt.close();
    }
    robot.stop();
    worker.close(); // queued requests finish (and reply) before the recorder and MQTT go
    sources.release(robot.loop().source());
    outputs.closing();
    if (recorder != null) {
      recorder.close();
    }
    engine.close(); // after the recorder: the last episode's clips are cut, then written
    if (mqtt != null) {
      outputs.presence(false);
    }
    closeConnections();
    robot.close(); // the body last
  }
}

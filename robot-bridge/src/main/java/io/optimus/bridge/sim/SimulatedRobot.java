package io.optimus.bridge.sim;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.body.RobotBody;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.control.ControlLoop;
import io.optimus.bridge.control.OperatorInbox;
import io.optimus.bridge.safety.CapsuleCollisionGuard;
import io.optimus.bridge.safety.JointLimitTable;
import io.optimus.bridge.safety.SafetyConfig;
import io.optimus.bridge.safety.SafetySupervisor;
import io.optimus.bridge.world.CameraRenderer;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.common.FramePacer;
import io.optimus.common.InputException;
import io.optimus.common.Stamps;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.RobotDescription;
import io.optimus.proto.v1.Timestamp;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated robot, assembled once for every host: its world ({@link SimulatedWorld}: body and task
 * objects), the safety supervisor with the self-collision guard, the operator inbox, the control loop
 * and the cameras (the head's, and one on each wrist when the rig has them). The bridge runs it in wall
 * time ({@link #start()}: the loop's own thread at its rate, the cameras on another); evaluation, dataset
 * generation and benches step it themselves ({@link #step(long)}: cameras when due, then one control
 * tick), as fast as the CPU allows. Both
 * paths run the same tick with the same dt, so the same seed and inputs give the same trajectory.
 *
 * <p>The robot model ({@link RobotRig}, the description) is immutable and may be shared; all per-tick
 * state lives in the parts this object owns.
 */
public final class SimulatedRobot implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedRobot.class);

  /**
   * Where camera frames go (every camera's, named by {@link CameraFrame#getCameraName()}, the head's first
   * in each round), with the kinematics and object view they were rendered from.
   */
  @FunctionalInterface
  public interface CameraSink {
    void frame(CameraFrame frame, KinematicsData kinematics, TaskWorld view);
  }

  private final RobotRig rig;
  private final BridgeConfig config;
  private final RobotDescription description;
  private final SimulatedWorld world;
  private final SafetySupervisor supervisor;
  private final OperatorInbox inbox;
  private final ControlLoop loop;
  private final CameraRenderer[] cameras; // the head's first; empty when off
  private final CameraSink cameraSink;
  private final long cameraPeriodNs;
  // camera state: the camera thread's in wall time, the stepping thread's in stepped time
  private final KinematicsData cameraKin;
  private final TaskWorld view;
  private volatile long cameraSequence; // written by one thread: the camera's, or the stepping one
  private long nextCameraNs = Long.MIN_VALUE;
  private volatile boolean closed;
  private Thread cameraThread;

  private SimulatedRobot(Builder b) {
    this.rig = b.rig;
    this.config = b.config;
    BridgeConfig c = b.config;
    RobotDescription desc = rig.describe(c.robotId(), c.controlRateHz(), b.body == null ? c.cameraRateHz() : 0);
    SimulatedWorld.Spec spec = new SimulatedWorld.Spec(c.robotId(), c.task(), c.seed(), c.tableTop());
    this.world = b.body != null ? new KinematicWorld(b.body, spec) : b.world.create(rig, desc, spec);
    this.description = b.body != null ? b.body.describe() : desc;
    if (description.getJointsCount() != rig.dof()) {
      world.close();
      throw new InputException("body has " + description.getJointsCount() + " joints, model " + rig.model().name()
          + " has " + rig.dof());
    }
    SafetyConfig sc = b.safety;
    double[] home = rig.home();
    this.supervisor = new SafetySupervisor(c.robotId(), new JointLimitTable(description.getJointsList(), sc), sc,
        home, home);
    if (b.selfCollision) {
      supervisor.setCollisionGuard(new CapsuleCollisionGuard(rig, 0.01));
    }
    world.onContact(supervisor::contact); // robot-table, -floor and -self onsets; the supervisor filters
    this.inbox = new OperatorInbox(sc.disengageTimeoutNs());
    inbox.onClaim(supervisor::operatorSessionChanged);
    TaskWorld objects = world.objects();
    this.loop = ControlLoop.builder(c.robotId(), rig, world.body(), supervisor, inbox)
        .rateHz(c.controlRateHz())
        .world(objects, objects == null ? null : world::stepObjects)
        .onStand(world.onStand())
        .output(b.output)
        .stateEvery(b.stateEvery)
        .taskRateHz(c.taskRateHz())
        .statusRateHz(b.statusRateHz)
        .build();
    boolean cameraOn = objects != null && c.cameraRateHz() > 0 && !rig.cameras().isEmpty();
    this.cameras = cameraOn ? rig.cameras().stream().map(cam -> new CameraRenderer(rig, cam, c.robotId()))
        .toArray(CameraRenderer[]::new) : new CameraRenderer[0];
    this.cameraSink = b.cameraSink;
    this.cameraPeriodNs = cameraOn ? (long) (1e9 / c.cameraRateHz()) : Long.MAX_VALUE;
    this.cameraKin = rig.kinematics().newData();
    rig.placeBase(cameraKin);
    this.view = objects == null ? null : new TaskWorld(c.robotId(), c.task(), c.seed(), c.tableTop());
  }

  /** A robot of {@code rig} configured by {@code config} (rate, task, seed, camera and report rates). */
  public static Builder builder(RobotRig rig, BridgeConfig config) {
    return new Builder(rig, config);
  }

  /** How to build a robot beyond its config; defaults are the bridge's. */
  public static final class Builder {
    private final RobotRig rig;
    private final BridgeConfig config;
    private SimulatedWorld.Factory world;
    private RobotBody body;
    private SafetyConfig safety = SafetyConfig.DEFAULT;
    private boolean selfCollision = true;
    private ControlLoop.Output output;
    private CameraSink cameraSink;
    private int stateEvery;
    private double statusRateHz;

    private Builder(RobotRig rig, BridgeConfig config) {
      this.rig = rig;
      this.config = config;
      this.world = SimulatedWorlds.byName(config.world());
      this.stateEvery = config.stateEvery();
      this.statusRateHz = config.statusRateHz();
    }

    /** The world implementation (default: the config's, {@link BridgeConfig#world()}). */
    public Builder world(SimulatedWorld.Factory f) {
      this.world = f;
      return this;
    }

    /** A body other than a simulated one (real hardware), with kinematic task objects around it. */
    public Builder body(RobotBody b) {
      this.body = b;
      return this;
    }

    public Builder safety(SafetyConfig c) {
      this.safety = c;
      return this;
    }

    public Builder selfCollision(boolean on) {
      this.selfCollision = on;
      return this;
    }

    /** Where the loop's joint, task and safety reports go. */
    public Builder output(ControlLoop.Output o) {
      this.output = o;
      return this;
    }

    /** Where camera frames go, every camera's (the head's reaches action sources through the loop in any case). */
    public Builder camera(CameraSink sink) {
      this.cameraSink = sink;
      return this;
    }

    /** Report a JointState every this many ticks (default: the config's). */
    public Builder stateEvery(int n) {
      this.stateEvery = n;
      return this;
    }

    /** Safety status rate (default: the config's); 0 for none. */
    public Builder statusRateHz(double hz) {
      this.statusRateHz = hz;
      return this;
    }

    public SimulatedRobot build() {
      return new SimulatedRobot(this);
    }
  }

  /**
   * Stepped time: renders the cameras if frames are due at {@code nowNs}, then runs one control
   * tick at {@code nowNs}. Call with times one control period apart. Not with {@link #start()}.
   */
  public void step(long nowNs) {
    if (cameras.length > 0 && nowNs >= nextCameraNs) {
      renderCamera(Timestamp.newBuilder().setMonotonicNs(nowNs).setWallNs(nowNs).build());
      nextCameraNs = nextCameraNs == Long.MIN_VALUE ? nowNs + cameraPeriodNs : nextCameraNs + cameraPeriodNs;
    }
    loop.tick(nowNs);
  }

  /** Wall time: starts the control loop's thread and the cameras'. Not with {@link #step}. */
  public void start() {
    loop.start();
    if (cameras.length > 0) {
      cameraThread = Thread.ofPlatform().daemon().name("camera-" + config.robotId()).start(this::runCamera);
    }
  }

  private void runCamera() {
    FramePacer pacer = FramePacer.ofPeriod(cameraPeriodNs);
    while (pacer.awaitWhile(() -> !closed, () -> false) >= 0) {
      try {
        renderCamera(Stamps.now());
      } catch (RuntimeException e) {
        LOG.error("cameras of {} failed; they stop", config.robotId(), e);
        return;
      }
    }
  }

  /**
   * Renders every camera from the measured pose of the last tick and one copy of the objects (the frames
   * of a round share sequence and stamp); the loop's policies see the head's next tick.
   */
  private void renderCamera(Timestamp stamp) {
    snapshot(cameraKin, view);
    long sequence = ++cameraSequence;
    for (int i = 0; i < cameras.length; i++) {
      CameraFrame f = cameras[i].render(cameraKin, view, sequence, stamp);
      if (i == 0 && cameras[0].name().equals("head")) {
        loop.setCamera(f);
      }
      if (cameraSink != null) {
        cameraSink.frame(f, cameraKin, view);
      }
    }
  }

  /**
   * What a camera sees now, for renderers on other threads (the video streams): the measured pose of the
   * last tick with forward kinematics done (into {@code kin}) and a copy of the objects (into {@code objectsView},
   * one of {@link #newObjectsView()}; skipped when null or without a task). Thread-safe; allocation-free.
   */
  public void snapshot(KinematicsData kin, TaskWorld objectsView) {
    loop.snapshot(kin.q);
    if (world.onStand()) {
      rig.forwardOnStand(kin);
    } else {
      rig.forwardStanding(kin);
    }
    TaskWorld objects = world.objects();
    if (objects != null && objectsView != null) {
      synchronized (objects) {
        objectsView.copyFrom(objects);
      }
    }
  }

  /** A task world to take {@link #snapshot}s into; null without a task. */
  public TaskWorld newObjectsView() {
    return world.objects() == null ? null
        : new TaskWorld(config.robotId(), config.task(), config.seed(), config.tableTop());
  }

  public RobotRig rig() {
    return rig;
  }

  public BridgeConfig config() {
    return config;
  }

  public RobotDescription description() {
    return description;
  }

  public SimulatedWorld world() {
    return world;
  }

  /** The task's objects, or null without a task (lock it to read from another thread). */
  public TaskWorld objects() {
    return world.objects();
  }

  public RobotBody body() {
    return world.body();
  }

  public SafetySupervisor supervisor() {
    return supervisor;
  }

  public OperatorInbox inbox() {
    return inbox;
  }

  public ControlLoop loop() {
    return loop;
  }

  /** Camera rounds rendered so far (frames per camera). */
  public long cameraFrames() {
    return cameraSequence;
  }

  /** Stops the loop's and the camera's threads (if started); the world stays open until {@link #close}. */
  public void stop() {
    if (closed) {
      return;
    }
    closed = true;
    loop.close();
    if (cameraThread != null) {
      LockSupport.unpark(cameraThread);
      try {
        cameraThread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Stops, then closes the world (a real driver lets go of the hardware here). */
  @Override
  public void close() {
    stop();
    world.close();
  }
}

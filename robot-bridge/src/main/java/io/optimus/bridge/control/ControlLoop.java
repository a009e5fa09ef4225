package io.optimus.bridge.control;

import io.optimus.bridge.body.BodyState;
import io.optimus.bridge.body.RobotBody;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.safety.SafetySupervisor;
import io.optimus.bridge.world.HandSample;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.common.FramePacer;
import io.optimus.common.Stamps;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.SafetyStatus;
import io.optimus.proto.v1.SegmentCloseness;
import io.optimus.motion.retarget.Closeness;
import io.optimus.motion.retarget.LiveCloseness;
import io.optimus.motion.retarget.LiveSegment;
import io.optimus.proto.v1.StageTimestamps;
import io.optimus.proto.v1.TaskState;
import io.optimus.proto.v1.Timestamp;
import io.optimus.proto.v1.Vector3;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.StampedLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fixed-rate control loop of one robot: read the body, take the newest operator frame, ask the
 * active {@link ActionSource} for a target, pass it through the {@link SafetySupervisor}, command the
 * body, step the task world from forward kinematics of the measured state, and report a
 * {@link JointState} (with the operator sequence and per-stage timestamps) to the {@link Output}.
 *
 * <p>The compute path (body, source, supervisor, kinematics, world) does not allocate; building the
 * outgoing protobuf messages does (one JointState per published tick, task and safety status at
 * their lower rates).
 */
public final class ControlLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlLoop.class);

  /** Where the loop's reports go (MQTT, the recorder, tests). Called on the control thread. */
  public interface Output {
    default void state(JointState s) {}

    default void task(TaskState t) {}

    default void safetyStatus(SafetyStatus s) {}
  }

  /**
   * Moves the task's objects once the body took its command, given the palms from forward kinematics
   * of the measured joints (called on the control thread, holding the world's lock). The kinematic
   * world steps its {@link TaskWorld}; a physics world moves its objects itself.
   */
  @FunctionalInterface
  public interface WorldStep {
    void step(double dt, HandSample left, HandSample right);
  }

  private final String robotId;
  private final double rateHz;
  private final long periodNs;
  private final RobotRig rig;
  private final RobotBody body;
  private final SafetySupervisor supervisor;
  private final OperatorInbox inbox;
  private final TaskWorld world;
  private final WorldStep worldStep;
  private final boolean onStand;
  private final Output output;
  private final int stateEvery;
  private final long taskPeriodNs;
  private final long statusPeriodNs;

  private final BodyState measured;
  private final double[] target;
  private final double[] command;
  private final double[] snapshotQ;
  /** Guards {@link #snapshotQ}: the loop writes it every tick and never waits; readers retry instead. */
  private final StampedLock snapshotLock = new StampedLock();
  private final KinematicsData kin;
  private final HandSample left = new HandSample("left_hand");
  private final HandSample right = new HandSample("right_hand");
  private final ControlContext ctx = new ControlContext();
  private final LatencyStats latency = new LatencyStats(1 << 16);
  private final Pose basePose;

  private volatile boolean syncToOperator;
  private volatile ActionSource source;
  private ActionSource activeSource;
  private ReceivedFrame lastFrame;
  private long tick;
  private long lastTickNs;
  private boolean ticked;
  private long lastTaskNs;
  private long lastStatusNs;
  private volatile long overruns;
  private volatile boolean running;
  private Thread thread;
  private volatile long threadId = -1;
  private volatile Throwable crash;
  /** {@link #returnHome} asked for, done at the start of the next tick (on the loop's thread). */
  private volatile boolean homePending;

  private ControlLoop(Builder o) {
    if (!(o.rateHz >= 1 && o.rateHz <= 2000)) {
      throw new io.optimus.common.InputException("control rate " + o.rateHz + " Hz is out of range 1-2000");
    }
    this.robotId = o.robotId;
    this.rateHz = o.rateHz;
    this.periodNs = (long) (1e9 / o.rateHz);
    this.rig = o.rig;
    this.body = o.body;
    this.supervisor = o.supervisor;
    this.inbox = o.inbox;
    this.world = o.world;
    this.worldStep = o.worldStep != null ? o.worldStep : o.world == null ? null : o.world::step;
    this.onStand = o.onStand;
    this.output = o.output == null ? new Output() {} : o.output;
    this.stateEvery = Math.max(1, o.stateEvery);
    this.taskPeriodNs = o.taskRateHz > 0 ? (long) (1e9 / o.taskRateHz) : Long.MAX_VALUE;
    this.statusPeriodNs = o.statusRateHz > 0 ? (long) (1e9 / o.statusRateHz) : Long.MAX_VALUE;
    int n = rig.dof();
    measured = new BodyState(n);
    target = new double[n];
    command = new double[n];
    snapshotQ = new double[n];
    kin = rig.kinematics().newData();
    rig.placeBase(kin);
    basePose = Pose.newBuilder()
        .setPosition(Vector3.newBuilder().setZ(rig.baseHeight()))
        .setOrientation(Quaternion.newBuilder().setW(1))
        .build();
    supervisor.commanded(command, null);
    ctx.measured = measured;
    ctx.commanded = command;
  }

  /** A loop of {@code robotId} driving {@code body} through {@code supervisor}; the rest has defaults. */
  public static Builder builder(String robotId, RobotRig rig, RobotBody body, SafetySupervisor supervisor,
      OperatorInbox inbox) {
    return new Builder(robotId, rig, body, supervisor, inbox);
  }

  /** The loop's options by name (defaults: 250 Hz, no task world, no output, every state, 10 Hz reports). */
  public static final class Builder {
    private final String robotId;
    private final RobotRig rig;
    private final RobotBody body;
    private final SafetySupervisor supervisor;
    private final OperatorInbox inbox;
    private double rateHz = 250;
    private TaskWorld world;
    private WorldStep worldStep;
    private boolean onStand;
    private Output output;
    private int stateEvery = 1;
    private double taskRateHz = 10;
    private double statusRateHz = 10;

    private Builder(String robotId, RobotRig rig, RobotBody body, SafetySupervisor supervisor, OperatorInbox inbox) {
      this.robotId = robotId;
      this.rig = rig;
      this.body = body;
      this.supervisor = supervisor;
      this.inbox = inbox;
    }

    public Builder rateHz(double hz) {
      this.rateHz = hz;
      return this;
    }

    /** The task world reported on the task topic, stepped kinematically ({@link TaskWorld#step}). */
    public Builder world(TaskWorld w) {
      return world(w, null);
    }

    /** The task world reported on the task topic, moved by {@code step} (null: {@link TaskWorld#step}). */
    public Builder world(TaskWorld w, WorldStep step) {
      this.world = w;
      this.worldStep = step;
      return this;
    }

    /**
     * The pelvis is fixed on a stand (the physics world) rather than standing on its feet: hand samples and
     * the published base pose then come from {@link RobotRig#forwardOnStand} (default: standing).
     */
    public Builder onStand(boolean on) {
      this.onStand = on;
      return this;
    }

    public Builder output(Output o) {
      this.output = o;
      return this;
    }

    /** Report a JointState every this many ticks (1 = at control rate). */
    public Builder stateEvery(int n) {
      this.stateEvery = n;
      return this;
    }

    /** Task state report rate; 0 for none. */
    public Builder taskRateHz(double hz) {
      this.taskRateHz = hz;
      return this;
    }

    /** Safety status report rate; 0 for none. */
    public Builder statusRateHz(double hz) {
      this.statusRateHz = hz;
      return this;
    }

    public ControlLoop build() {
      return new ControlLoop(this);
    }
  }

  /** Switches the action source; it is activated on the control thread at the next tick. */
  public void setSource(ActionSource s) {
    this.source = s;
  }

  public ActionSource source() {
    return source;
  }

  /**
   * Phase-locks the loop to the operator stream: a fresh frame pulls the next tick forward to its
   * arrival and the schedule restarts from there, so ticks still come at least every 1/rate but a
   * frame does not wait out the rest of a period (lower teleop latency, a few more ticks a second).
   */
  public void setSyncToOperator(boolean on) {
    this.syncToOperator = on;
  }

  /** A fresh operator frame arrived (called by the MQTT thread); wakes a phase-locked loop. */
  public void operatorFrameArrived() {
    Thread t = thread;
    if (syncToOperator && t != null) {
      LockSupport.unpark(t);
    }
  }

  public void start() {
    running = true;
    thread = Thread.ofPlatform().name("control-" + robotId).start(this::run);
    thread.setPriority(Thread.MAX_PRIORITY);
  }

  /** Ticks at the pacer's scheduled times, so a tick sees exactly one period of dt unless it fell behind. */
  private void run() {
    threadId = Thread.currentThread().threadId();
    FramePacer pacer = FramePacer.ofPeriod(periodNs);
    try {
      long now;
      while ((now = pacer.awaitWhile(() -> running, this::freshOperatorFrame)) >= 0) {
        tick(now);
        overruns = pacer.overruns();
      }
    } catch (RuntimeException | Error e) {
      crash = e;
      LOG.error("control loop of {} crashed: the body is left at its last command", robotId, e);
      supervisor.driverFault(System.nanoTime(), "control loop crashed: " + e);
    }
  }

  /**
   * Puts a simulated body back at the rig's home pose, at rest, at the start of the next tick (a task reset:
   * each episode starts from the pose the first one did); a body that cannot be placed (real hardware) stays.
   * The command moves with it and the driving source starts afresh from there (a retargeter's IK continues
   * from the command): without this, episode after episode the arms' free elbow angles drifted (the
   * whole-body IK leaves them in the palm tasks' null space), until an arm could no longer bring its palm
   * down onto the cube (physics, scripted handover as live: benchmarks/scripted-tasks.md, session 34).
   */
  public void returnHome() {
    homePending = true;
  }

  private void placeHome() {
    double[] home = rig.home();
    if (!body.place(home)) {
      return;
    }
    supervisor.resync(home);
    supervisor.commanded(command, null);
    System.arraycopy(home, 0, target, 0, target.length);
    activeSource = null; // re-activated this tick: no target held from before the move
  }

  /** Phase-locked to the operator: a frame arrived since the last tick (checked by the pacer on wake). */
  private boolean freshOperatorFrame() {
    return syncToOperator && inbox.latest() != lastFrame;
  }

  /**
   * One tick at {@code now} (monotonic ns): the loop's own thread calls it at its rate; hosts that
   * step time themselves ({@link io.optimus.bridge.sim.SimulatedRobot#step}) call it directly. The
   * first tick's dt is one period.
   */
  public void tick(long now) {
    double dt = ticked ? Math.max(1e-4, Math.min(0.05, (now - lastTickNs) / 1e9)) : 1.0 / rateHz;
    ticked = true;
    lastTickNs = now;
    if (homePending) {
      homePending = false;
      placeHome();
    }
    body.read(now, measured);
    if (!measured.fault.isEmpty()) {
      supervisor.driverFault(now, measured.fault);
    }
    ReceivedFrame f = inbox.latest();
    boolean fresh = f != null && f != lastFrame;
    if (fresh) {
      var cmds = f.frame().getCommands();
      supervisor.operatorInput(f.receivedNs(), cmds.getDeadman(), cmds.getEstop(), f.frame().getSequence());
      lastFrame = f;
    }
    ActionSource s = source;
    ctx.nowNs = now;
    ctx.dt = dt;
    ctx.operator = f;
    ctx.operatorIsNew = fresh;
    if (s != activeSource) {
      activeSource = s;
      if (s != null) {
        s.activate(ctx);
      }
    }
    boolean have = s != null && s.target(ctx, target);
    long retargeted = System.nanoTime();
    ControlMode mode = supervisor.tick(now, dt, have ? target : null, command);
    body.write(now, command, null, null);
    long applied = System.nanoTime();
    if (fresh && f.frame().hasCaptureTime()) {
      long captured = f.frame().getCaptureTime().getMonotonicNs();
      latency.add(f.receivedNs() - captured, applied - captured);
    }
    if (world != null) {
      stepWorld(dt);
    }
    long stamp = snapshotLock.writeLock(); // nobody else ever holds it: readers only read optimistically
    System.arraycopy(measured.position, 0, snapshotQ, 0, snapshotQ.length);
    snapshotLock.unlockWrite(stamp);
    tick++;
    if (tick % stateEvery == 0) {
      output.state(state(now, f, retargeted, applied, mode, s));
    }
    if (world != null && now - lastTaskNs >= taskPeriodNs) {
      lastTaskNs = now;
      TaskState ts;
      synchronized (world) {
        ts = world.toProto();
      }
      ctx.task = ts;
      output.task(ts);
    }
    if (now - lastStatusNs >= statusPeriodNs) {
      lastStatusNs = now;
      output.safetyStatus(withRetargetFigures(supervisor.status(now), s));
    }
  }

  /** The driving source's limited joint and body closeness added to the safety status (status rate, not per tick). */
  private static SafetyStatus withRetargetFigures(SafetyStatus st, ActionSource s) {
    String limited = s != null ? s.limitedJoint() : "";
    LiveCloseness c = s != null ? s.closeness() : null;
    if (limited.isEmpty() && (c == null || c.frames() == 0)) {
      return st;
    }
    SafetyStatus.Builder b = st.toBuilder().setRetargetLimitedJoint(limited);
    if (c != null) {
      for (LiveSegment seg : LiveSegment.values()) {
        Closeness x = c.summary(seg);
        if (x != null) {
          b.addBodyCloseness(SegmentCloseness.newBuilder().setSegment(seg.key()).setSamples(x.samples())
              .setPositionMeanM(x.positionMeanM()).setPositionP95M(x.positionP95M()).setPositionMaxM(x.positionMaxM())
              .setOrientationMeanDeg(x.orientationMeanDeg()).setOrientationP95Deg(x.orientationP95Deg())
              .setOrientationMaxDeg(x.orientationMaxDeg()).setWithinShare(x.withinShare()));
        }
      }
    }
    return b.build();
  }

  private void stepWorld(double dt) {
    System.arraycopy(measured.position, 0, kin.q, 0, kin.q.length);
    if (onStand) {
      rig.forwardOnStand(kin);
    } else {
      rig.forwardStanding(kin);
    }
    sampleHand(rig.left(), left);
    sampleHand(rig.right(), right);
    synchronized (world) {
      worldStep.step(dt, left, right);
    }
  }

  private void sampleHand(RobotRig.Hand h, HandSample out) {
    if (!h.present()) {
      out.valid = false;
      return;
    }
    int l = h.palmLink();
    System.arraycopy(kin.linkPosition, 3 * l, out.position, 0, 3);
    kin.linkQuat(l, out.orientation, 0);
    out.closure = rig.closure(kin, h);
    out.valid = true;
  }

  private JointState state(long now, ReceivedFrame f, long retargeted, long applied, ControlMode mode,
      ActionSource s) {
    JointState.Builder b = JointState.newBuilder()
        .setSchemaVersion(1)
        .setRobotId(robotId)
        .setSequence(tick)
        .setStamp(Timestamp.newBuilder().setMonotonicNs(now).setWallNs(Stamps.wallNanos()))
        .setMode(mode)
        .setActionSource(s == null ? "" : s.name())
        .setBasePose(world != null ? currentBase() : basePose);
    for (int i = 0; i < command.length; i++) {
      b.addPosition(measured.position[i]);
      b.addVelocity(measured.velocity[i]);
      b.addEffort(measured.effort[i]);
      b.addCommandedPosition(command[i]);
    }
    StageTimestamps.Builder st = StageTimestamps.newBuilder().setRetargetedNs(retargeted).setAppliedNs(applied);
    if (s instanceof CommandActionSource c) {
      b.setOperatorSequence(c.operatorSequence());
    } else if (f != null) {
      b.setOperatorSequence(f.frame().getSequence());
      st.setCaptured(f.frame().getCaptureTime()).setReceivedNs(f.receivedNs());
    }
    b.setStages(st.setPublishedNs(System.nanoTime()));
    return b.build();
  }

  private Pose currentBase() {
    return Pose.newBuilder()
        .setPosition(Vector3.newBuilder().setX(kin.basePosition[0]).setY(kin.basePosition[1]).setZ(kin.basePosition[2]))
        .setOrientation(Quaternion.newBuilder().setW(1))
        .build();
  }

  /** The newest camera image, for action sources (policies). */
  public void setCamera(io.optimus.proto.v1.CameraFrame f) {
    ctx.camera = f;
  }

  /**
   * Measured joint positions of the last tick (copy), for the camera and video threads: lock-free for
   * the loop (an optimistic read, retried if a tick wrote meanwhile), so a reader descheduled mid-copy
   * never delays a tick.
   */
  public void snapshot(double[] qOut) {
    while (true) {
      long stamp = snapshotLock.tryOptimisticRead();
      if (stamp != 0) {
        System.arraycopy(snapshotQ, 0, qOut, 0, qOut.length);
        if (snapshotLock.validate(stamp)) {
          return;
        }
      }
      Thread.onSpinWait();
    }
  }

  public long ticks() {
    return tick;
  }

  public long overruns() {
    return overruns;
  }

  public double rateHz() {
    return rateHz;
  }

  public LatencyStats latency() {
    return latency;
  }

  /** CPU time the loop thread used so far (ns), or -1 when unknown. */
  public long cpuNanos() {
    long id = threadId;
    if (id < 0) {
      return -1;
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    return mx.isThreadCpuTimeSupported() ? mx.getThreadCpuTime(id) : -1;
  }

  /** Heap the loop thread allocated so far (bytes), or -1 when unknown: its garbage is everyone's GC pauses. */
  public long allocatedBytes() {
    long id = threadId;
    if (id < 0) {
      return -1;
    }
    return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx
        && mx.isThreadAllocatedMemorySupported() ? mx.getThreadAllocatedBytes(id) : -1;
  }

  /** The exception that stopped the loop, if any. */
  public Throwable crash() {
    return crash;
  }

  public boolean isRunning() {
    return running && thread != null && thread.isAlive();
  }

  @Override
  public void close() {
    running = false;
    if (thread != null) {
      LockSupport.unpark(thread);
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

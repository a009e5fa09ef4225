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
import io.optimus.motion.record.EpisodeWriter;
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
 * <p>The compute path (body, source, supervisor, kinematics, world) does not allocate. A reported tick's
 * figures are copied into a preallocated {@link Report}; a stepped host ({@link #tick} called directly)
 * makes it into a JointState and hands it to the {@link Output} at once, a wall-time loop ({@link #start})
 * hands it to its reporter thread, which builds and publishes it: the message's allocation (~13 KB a tick
 * with publishing) and the MQTT client's locks (shared with the camera and retry threads, whose holders a
 * loaded machine preempts) never hold up a tick (benchmarks/scripted-tasks.md, session 36). Task and safety
 * status (10 Hz) are built on the control thread and go the same way, in order.
 *
 * <p>Every report carries the episode its tick belonged to ({@link #attributeTo}), read once at the start of
 * the tick, so a report delivered late is still recorded where its tick was: a tick that began before a
 * recording started is not in it, one that began before it stopped is ({@link #awaitReportedBy} lets the stop
 * wait for it).
 */
public final class ControlLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlLoop.class);

  /**
   * Where the loop's reports go (MQTT, the recorder, tests): on the control thread when stepped, on the
   * loop's reporter thread when it runs in wall time ({@link #start}); one thread at a time, in tick order.
   */
  public interface Output {
    default void state(JointState s) {}

    default void task(TaskState t) {}

    default void safetyStatus(SafetyStatus s) {}

    /**
     * A state of a tick that belonged to {@code episode} (null: none; {@link #attributeTo}). The loop calls
     * these three; by default they drop the episode.
     */
    default void state(JointState s, EpisodeWriter episode) {
      state(s);
    }

    default void task(TaskState t, EpisodeWriter episode) {
      task(t);
    }

    default void safetyStatus(SafetyStatus s, EpisodeWriter episode) {
      safetyStatus(s);
    }
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
  private final TickTimes times = new TickTimes();
  /** The wall-time loop's reports in flight to its reporter thread (null: made on the ticking thread). */
  private volatile ReportRing<Report> reporter;
  /** The report of a stepped tick, reused. */
  private final Report syncReport;
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
  /** The episode the ticks beginning from now belong to ({@link #attributeTo}). */
  private volatile EpisodeWriter episode;
  /** The episode of the tick running (or last run): read once at its start (ticking thread). */
  private EpisodeWriter tickEpisode;
  /** Ticks begun: counted before the tick reads {@link #episode}, so a change is seen by the next one counted. */
  private volatile long begun;

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
    syncReport = new Report(n);
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
    Report[] slots = new Report[REPORT_SLOTS];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = new Report(rig.dof());
    }
    reporter = new ReportRing<>(robotId, slots, TELEMETRY_BACKLOG, this::deliver, "control-report-" + robotId);
    thread = Thread.ofPlatform().name("control-" + robotId).start(this::run);
    thread.setPriority(Thread.MAX_PRIORITY);
  }

  /** Ticks at the pacer's scheduled times, so a tick sees exactly one period of dt unless it fell behind. */
  private void run() {
    threadId = Thread.currentThread().threadId();
    FramePacer pacer = FramePacer.ofPeriod(periodNs);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    boolean cpu = mx.isCurrentThreadCpuTimeSupported();
    try {
      long now;
      while ((now = pacer.awaitWhile(() -> running, this::freshOperatorFrame)) >= 0) {
        long cpu0 = cpu ? mx.getCurrentThreadCpuTime() : 0;
        long start = System.nanoTime();
        tick(now);
        long wall = System.nanoTime() - start;
        times.add(TickTimes.Phase.LATE, start - now);
        if (cpu) {
          times.add(TickTimes.Phase.OFF_CPU, wall - (mx.getCurrentThreadCpuTime() - cpu0));
        }
        overruns = pacer.overruns();
        if (reporter != null) {
          reporter.wake();
        }
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
    long t0 = System.nanoTime();
    begun = begun + 1; // single writer; before the read below (volatile write, then volatile read: in this order)
    tickEpisode = episode;
    double dt = ticked ? Math.max(1e-4, Math.min(0.05, (now - lastTickNs) / 1e9)) : 1.0 / rateHz;
    ticked = true;
    lastTickNs = now;
    if (homePending) {
      homePending = false;
      placeHome();
    }
    body.read(now, measured);
    long read = System.nanoTime();
    times.add(TickTimes.Phase.READ, read - t0);
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
    times.add(TickTimes.Phase.SOURCE, retargeted - read);
    ControlMode mode = supervisor.tick(now, dt, have ? target : null, command);
    long safe = System.nanoTime();
    times.add(TickTimes.Phase.SAFETY, safe - retargeted);
    body.write(now, command, null, null);
    long applied = System.nanoTime();
    times.add(TickTimes.Phase.WRITE, applied - safe);
    if (fresh && f.frame().hasCaptureTime()) {
      long captured = f.frame().getCaptureTime().getMonotonicNs();
      latency.add(f.receivedNs() - captured, applied - captured);
    }
    if (world != null) {
      stepWorld(dt);
    }
    long stepped = System.nanoTime();
    times.add(TickTimes.Phase.WORLD, stepped - applied);
    long stamp = snapshotLock.writeLock(); // nobody else ever holds it: readers only read optimistically
    System.arraycopy(measured.position, 0, snapshotQ, 0, snapshotQ.length);
    snapshotLock.unlockWrite(stamp);
    tick++;
    if (tick % stateEvery == 0) {
      Report r = claim();
      if (r != null) {
        fillState(r, now, f, retargeted, applied, mode, s);
        emit(r);
      }
    }
    if (world != null && now - lastTaskNs >= taskPeriodNs) {
      lastTaskNs = now;
      TaskState ts;
      synchronized (world) {
        ts = world.toProto();
      }
      ctx.task = ts;
      Report r = claim();
      if (r != null) {
        r.kind = Report.TASK;
        r.task = ts;
        emit(r);
      }
    }
    if (now - lastStatusNs >= statusPeriodNs) {
      lastStatusNs = now;
      Report r = claim();
      if (r != null) {
        r.kind = Report.STATUS;
        r.status = withRetargetFigures(supervisor.status(now), s);
        emit(r);
      }
    }
    long end = System.nanoTime();
    times.add(TickTimes.Phase.REPORT, end - stepped);
    times.add(TickTimes.Phase.TICK, end - t0);
  }

  /**
   * The slot for this tick's next report, stamped with the tick's episode: the stepped one, or the reporter's
   * next free one (null: dropped, see {@link ReportRing#claim}).
   */
  private Report claim() {
    Report r = reporter == null ? syncReport : reporter.claim(tickEpisode != null);
    if (r != null) {
      r.episode = tickEpisode;
    }
    return r;
  }

  /** Hands a filled report on: made and output now when stepped, published to the reporter in wall time. */
  private void emit(Report r) {
    if (reporter == null) {
      deliver(r);
    } else {
      reporter.publish();
    }
  }

  /** Copies what the JointState of this tick needs (control thread, no allocation). */
  private void fillState(Report r, long now, ReceivedFrame f, long retargeted, long applied, ControlMode mode,
      ActionSource s) {
    r.kind = Report.STATE;
    r.sequence = tick;
    r.nowNs = now;
    r.wallNs = Stamps.wallNanos();
    r.mode = mode;
    r.source = s;
    r.retargetedNs = retargeted;
    r.appliedNs = applied;
    r.frame = null;
    if (s instanceof CommandActionSource c) {
      r.hasOperatorSequence = true;
      r.operatorSequence = c.operatorSequence();
    } else if (f != null) {
      r.hasOperatorSequence = true;
      r.operatorSequence = f.frame().getSequence();
      r.frame = f;
    } else {
      r.hasOperatorSequence = false;
    }
    r.base = world != null;
    if (r.base) {
      System.arraycopy(kin.basePosition, 0, r.basePosition, 0, 3);
    }
    System.arraycopy(measured.position, 0, r.position, 0, r.position.length);
    System.arraycopy(measured.velocity, 0, r.velocity, 0, r.velocity.length);
    System.arraycopy(measured.effort, 0, r.effort, 0, r.effort.length);
    System.arraycopy(command, 0, r.command, 0, r.command.length);
  }

  /** Makes a report into its message and hands it to the output (the ticking or the reporter thread). */
  private void deliver(Report r) {
    try {
      switch (r.kind) {
        case Report.STATE -> output.state(state(r), r.episode);
        case Report.TASK -> output.task(r.task, r.episode);
        default -> output.safetyStatus(r.status, r.episode);
      }
    } finally {
      r.task = null;
      r.status = null;
      r.source = null;
      r.frame = null;
      r.episode = null;
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

  private JointState state(Report r) {
    ActionSource s = r.source;
    JointState.Builder b = JointState.newBuilder()
        .setSchemaVersion(1)
        .setRobotId(robotId)
        .setSequence(r.sequence)
        .setStamp(Timestamp.newBuilder().setMonotonicNs(r.nowNs).setWallNs(r.wallNs))
        .setMode(r.mode)
        .setActionSource(s == null ? "" : s.name())
        .setBasePose(r.base ? Pose.newBuilder()
            .setPosition(Vector3.newBuilder().setX(r.basePosition[0]).setY(r.basePosition[1]).setZ(r.basePosition[2]))
            .setOrientation(Quaternion.newBuilder().setW(1))
            .build() : basePose);
    for (int i = 0; i < r.command.length; i++) {
      b.addPosition(r.position[i]);
      b.addVelocity(r.velocity[i]);
      b.addEffort(r.effort[i]);
      b.addCommandedPosition(r.command[i]);
    }
    StageTimestamps.Builder st = StageTimestamps.newBuilder().setRetargetedNs(r.retargetedNs)
        .setAppliedNs(r.appliedNs);
    if (r.hasOperatorSequence) {
      b.setOperatorSequence(r.operatorSequence);
    }
    if (r.frame != null) {
      st.setCaptured(r.frame.frame().getCaptureTime()).setReceivedNs(r.frame.receivedNs());
    }
    b.setStages(st.setPublishedNs(System.nanoTime()));
    return b.build();
  }

  /** One report of a tick: a JointState's figures, or a task or safety status built on the control thread. */
  static final class Report {
    static final int STATE = 0;
    static final int TASK = 1;
    static final int STATUS = 2;
    int kind;
    long sequence;
    long nowNs;
    long wallNs;
    long retargetedNs;
    long appliedNs;
    ControlMode mode;
    ActionSource source;
    boolean hasOperatorSequence;
    long operatorSequence;
    /** The operator frame whose capture and arrival the stages carry (null: none, or a command source). */
    ReceivedFrame frame;
    boolean base;
    final double[] basePosition = new double[3];
    final double[] position;
    final double[] velocity;
    final double[] effort;
    final double[] command;
    TaskState task;
    SafetyStatus status;
    /** The episode the tick belonged to (null: none). */
    EpisodeWriter episode;

    Report(int n) {
      position = new double[n];
      velocity = new double[n];
      effort = new double[n];
      command = new double[n];
    }
  }

  /**
   * Reports in flight from the control thread to the reporter's: about 7 s of ticks at 250 Hz (with task and
   * safety status), ~2 KB each for the optimus rig (4 MB), all of which a recorded tick's reports may use.
   */
  static final int REPORT_SLOTS = 2048;
  /** Reports of ticks not recorded are dropped once this many wait (about a second): stale telemetry. */
  static final int TELEMETRY_BACKLOG = 256;

  /** How long a stopping loop waits for its reporter to deliver what the last ticks reported. */
  static final long DRAIN_NS = 10_000_000_000L;

  /**
   * The episode the reports of every tick that begins from now on belong to (null: none), handed with each
   * to the {@link Output}. A tick already running keeps the one it began with.
   */
  public void attributeTo(EpisodeWriter e) {
    this.episode = e;
  }

  /**
   * The episode of the tick the calling (ticking) thread is running, or ran last: what its safety events
   * belong to. Meaningful on the ticking thread only.
   */
  public EpisodeWriter tickEpisode() {
    return tickEpisode;
  }

  /**
   * Waits until every report of the ticks begun before this call has been handed to the {@link Output}, or
   * until {@code deadlineNs} ({@link System#nanoTime}); true when so. Stepped, reports are made at once: true. Called after
   * {@link #attributeTo}, this is the last report of the episode it replaced. Never waits on the control
   * thread or the reporter's own (false at once): nothing may hold up a tick.
   */
  public boolean awaitReportedBy(long deadline) {
    ReportRing<Report> r = reporter;
    if (r == null) {
      return true;
    }
    Thread loopThread = thread;
    if (onLoopThread() || r.onReporterThread()) {
      return false;
    }
    long b = begun;
    // a tick counted in b may still be running with the old episode: wait for the next one to begin (or none)
    while (begun == b && loopThread != null && loopThread.isAlive()) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      LockSupport.parkNanos(200_000L);
    }
    return r.awaitDelivered(deadline); // everything the ticks before it published
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

  /** Whether the caller is the wall-time loop's own thread. */
  public boolean onLoopThread() {
    return Thread.currentThread().threadId() == threadId;
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

  /** Where the ticks' time went, per phase (cumulative; {@link TickTimes.Snapshot#since} for a window). */
  public TickTimes tickTimes() {
    return times;
  }

  /**
   * Reports (states, task and safety status) of ticks no episode recorded that a wall-time loop dropped because
   * its reporter fell a second behind (MQTT telemetry only).
   */
  public long reportsDropped() {
    ReportRing<Report> r = reporter;
    return r == null ? 0 : r.dropped();
  }

  /** Reports of recorded ticks a wall-time loop dropped: its reporter fell the whole ring (about 7 s) behind. */
  public long recordedReportsDropped() {
    ReportRing<Report> r = reporter;
    return r == null ? 0 : r.recordedDropped();
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
    if (reporter != null) {
      reporter.close(DRAIN_NS); // after the loop: its last reports go out
    }
  }
}

package io.optimus.bridge.control;

import io.optimus.bridge.body.BodyState;
import io.optimus.bridge.body.RobotBody;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.safety.SafetySupervisor;
import io.optimus.bridge.world.HandSample;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.common.Stamps;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.SafetyStatus;
import io.optimus.proto.v1.StageTimestamps;
import io.optimus.proto.v1.TaskState;
import io.optimus.proto.v1.Timestamp;
import io.optimus.proto.v1.Vector3;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.locks.LockSupport;
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

  private final String robotId;
  private final double rateHz;
  private final long periodNs;
  private final RobotRig rig;
  private final RobotBody body;
  private final SafetySupervisor supervisor;
  private final OperatorInbox inbox;
  private final TaskWorld world;
  private final Output output;
  private final int stateEvery;
  private final long taskPeriodNs;
  private final long statusPeriodNs;

  private final BodyState measured;
  private final double[] target;
  private final double[] command;
  private final double[] snapshotQ;
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
  private long lastTaskNs;
  private long lastStatusNs;
  private long overruns;
  private volatile boolean running;
  private Thread thread;
  private volatile long threadId = -1;
  private volatile Throwable crash;

  public ControlLoop(String robotId, double rateHz, RobotRig rig, RobotBody body, SafetySupervisor supervisor,
      OperatorInbox inbox, TaskWorld world, Output output, int stateEvery, double taskRateHz, double statusRateHz) {
    if (!(rateHz >= 1 && rateHz <= 2000)) {
      throw new io.optimus.common.InputException("control rate " + rateHz + " Hz is out of range 1-2000");
    }
    this.robotId = robotId;
    this.rateHz = rateHz;
    this.periodNs = (long) (1e9 / rateHz);
    this.rig = rig;
    this.body = body;
    this.supervisor = supervisor;
    this.inbox = inbox;
    this.world = world;
    this.output = output == null ? new Output() {} : output;
    this.stateEvery = Math.max(1, stateEvery);
    this.taskPeriodNs = taskRateHz > 0 ? (long) (1e9 / taskRateHz) : Long.MAX_VALUE;
    this.statusPeriodNs = statusRateHz > 0 ? (long) (1e9 / statusRateHz) : Long.MAX_VALUE;
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

  private void run() {
    threadId = Thread.currentThread().threadId();
    long next = System.nanoTime();
    lastTickNs = next - periodNs;
    try {
      while (running) {
        long now = System.nanoTime();
        tick(now);
        next += periodNs;
        long wait = next - System.nanoTime();
        if (wait < -periodNs) {
          overruns++;
          next = System.nanoTime(); // fell behind by more than a tick: do not try to catch up
        }
        while (wait > 0 && running) {
          LockSupport.parkNanos(wait);
          if (syncToOperator && inbox.latest() != lastFrame) {
            next = System.nanoTime(); // tick now; the period restarts from here
            break;
          }
          wait = next - System.nanoTime();
        }
      }
    } catch (RuntimeException | Error e) {
      crash = e;
      LOG.error("control loop of {} crashed: the body is left at its last command", robotId, e);
      supervisor.driverFault(System.nanoTime(), "control loop crashed: " + e);
    }
  }

  /** One tick at {@code now} (monotonic ns). Public for tests that step time themselves. */
  public void tick(long now) {
    double dt = Math.max(1e-4, Math.min(0.05, (now - lastTickNs) / 1e9));
    lastTickNs = now;
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
    synchronized (snapshotQ) {
      System.arraycopy(measured.position, 0, snapshotQ, 0, snapshotQ.length);
    }
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
      output.safetyStatus(supervisor.status(now));
    }
  }

  private void stepWorld(double dt) {
    System.arraycopy(measured.position, 0, kin.q, 0, kin.q.length);
    rig.forwardStanding(kin);
    sampleHand(rig.left(), left);
    sampleHand(rig.right(), right);
    synchronized (world) {
      world.step(dt, left, right);
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

  /** Measured joint positions of the last tick (copy), for the camera thread. */
  public void snapshot(double[] qOut) {
    synchronized (snapshotQ) {
      System.arraycopy(snapshotQ, 0, qOut, 0, qOut.length);
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

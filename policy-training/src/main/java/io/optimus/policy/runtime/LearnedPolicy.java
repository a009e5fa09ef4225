package io.optimus.policy.runtime;

import io.optimus.bridge.control.Policy;
import io.optimus.bridge.control.PolicyObservation;
import io.optimus.common.InputException;
import io.optimus.motion.record.CameraFrames;
import io.optimus.policy.encode.ImageEncoder;
import io.optimus.policy.encode.TaskStateEncoder;
import io.optimus.policy.ChunkPredictor;
import io.optimus.policy.torchscript.TorchScriptPolicy;
import io.optimus.policy.torchscript.TorchScriptRun;
import io.optimus.proto.v1.CameraFrame;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained policy as the bridge's {@link Policy}: maps the robot's joint order to the policy's,
 * encodes each new frame of every camera the policy sees ({@link io.optimus.policy.PolicyMeta#cameras()}: the head's
 * arrives in the observation, the others through {@link #offer}) once with the run's frozen encoder,
 * and returns the temporally ensembled joint targets. Robot joints the policy does not know keep their
 * current command. Until every camera has sent a frame an image policy holds the current command.
 *
 * <p>With asynchronous encoding (live robots) a new frame is encoded on a worker thread while the
 * policy keeps stepping on the latest finished features (at most one frame old), so the backbone's
 * cost never lands on a control step. Simulated evaluation encodes synchronously: deterministic.
 */
public final class LearnedPolicy implements Policy {
  private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
  private final ChunkPredictor policy;
  private final PolicyController controller;
  private final ImageEncoder encoder;
  private final int[] robotIndex;
  private final float[] q;
  private final float[] dq;
  private final float[] target;
  private final InferenceTimer timer = new InferenceTimer();
  private final List<String> cameras;
  private final int headView;
  private final int viewSize;
  /** The newest frame of each camera (offered from any thread) and the one last encoded. */
  private final java.util.concurrent.atomic.AtomicReferenceArray<CameraFrame> latest;
  private final CameraFrame[] encodedFrame; // the stepping thread's, or with async encoding the encoder thread's
  private final CameraFrame[] submitted; // async: frames handed to the encoder thread (stepping thread only)
  private float[] assembling; // async, encoder thread: features until every camera has sent a frame
  private final float[] syncFeatures;
  private int viewsSeen;
  private CameraFrame lastObservedHead;
  private volatile float[] features;
  private final java.util.concurrent.ExecutorService encoderThread;
  private final java.util.concurrent.atomic.AtomicBoolean encoding = new java.util.concurrent.atomic.AtomicBoolean();
  private io.optimus.bridge.safety.JointLimitTable limits;
  /** A privileged policy holds this long for the first task state before it refuses the robot. */
  static final long TASK_STATE_WAIT_NS = 1_000_000_000L;
  private long noTaskSinceNs = Long.MIN_VALUE;
  /** The episode's first policy step: the phase channel's clock starts there (a recording's at its first motion). */
  private long firstStepNs = Long.MIN_VALUE;
  private final int[] taskRigIndex; // privileged:task-state: the policy's joints in the palm kinematics' q
  /** "action": "palms": each arm's joints solved for the predicted palm pose (null: joint actions). */
  private final PalmIk palmIk;
  private final int[] palmArmJoints; // both arms' joints (policy indices): what the IK replaces
  /** IK iterations per step, each arm from the current command. */
  static final int PALM_IK_ITERATIONS = 8;

  /** @param robotJoints the robot's joint names in its q order (the bridge's description) */
  public LearnedPolicy(ChunkPredictor policy, ImageEncoder encoder, List<String> robotJoints, boolean ensemble) {
    this(policy, encoder, robotJoints, ensemble, false);
  }

  public LearnedPolicy(ChunkPredictor policy, ImageEncoder encoder, List<String> robotJoints, boolean ensemble,
      boolean asyncEncoding) {
    this.encoderThread = asyncEncoding && encoder != null && !(encoder instanceof TaskStateEncoder)
        ? java.util.concurrent.Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon()
            .name("policy-encoder").unstarted(r))
        : null;
    this.policy = policy;
    this.encoder = encoder;
    this.controller = new PolicyController(policy, ensemble);
    List<String> names = policy.meta().joints().names();
    this.robotIndex = new int[names.size()];
    for (int i = 0; i < names.size(); i++) {
      robotIndex[i] = robotJoints.indexOf(names.get(i));
      if (robotIndex[i] < 0) {
        throw new InputException("policy " + policy.run() + " commands joint " + names.get(i)
            + ", which this robot does not have");
      }
    }
    if (policy.layout().featureShape() != null && encoder == null) {
      throw new IllegalArgumentException("policy " + policy.run() + " needs an image encoder");
    }
    q = new float[names.size()];
    dq = new float[names.size()];
    target = new float[policy.layout().actionWidth()];
    palmIk = policy.layout().extraActions() == io.optimus.policy.data.PalmPoses.SIZE
        ? new PalmIk(new io.optimus.motion.model.RobotRig(io.optimus.motion.model.Robots.load(
            io.optimus.policy.data.PalmPoses.ROBOT)), names)
        : null;
    palmArmJoints = palmIk == null ? null
        : java.util.stream.IntStream.concat(java.util.Arrays.stream(palmIk.armJoints(0)),
            java.util.Arrays.stream(palmIk.armJoints(1))).toArray();
    cameras = policy.meta().cameras();
    headView = cameras.indexOf(io.optimus.policy.data.RecordedDemos.CAMERA);
    latest = new java.util.concurrent.atomic.AtomicReferenceArray<>(cameras.size());
    encodedFrame = new CameraFrame[cameras.size()];
    submitted = new CameraFrame[cameras.size()];
    var shape = policy.layout().featureShape();
    viewSize = shape == null ? 0 : shape.viewSize();
    if (shape != null && shape.views() != cameras.size()) {
      throw new IllegalArgumentException("policy " + policy.run() + ": " + shape.views() + " feature views for cameras "
          + cameras);
    }
    syncFeatures = shape == null ? null : new float[shape.size()];
    taskRigIndex = encoder instanceof TaskStateEncoder t ? t.rigIndex(names) : null;
  }

  /** The cameras whose frames the policy sees, in order. */
  public List<String> cameras() {
    return cameras;
  }

  /**
   * A new frame of one of the policy's cameras (any other camera's is ignored); thread-safe, from one
   * producer per camera (frames of a camera arrive in order). The head camera's may instead come with
   * each observation.
   */
  public void offer(CameraFrame f) {
    int v = cameras.indexOf(f.getCameraName());
    if (v >= 0) {
      latest.set(v, f);
    }
  }

  /**
   * Loads a run with its encoder (a run trained here, or one imported from TorchScript by
   * {@code TorchScriptImport}); the caller closes the result.
   */
  public static LearnedPolicy load(Path run, List<String> robotJoints, int cameraSize, boolean ensemble) {
    return load(run, robotJoints, cameraSize, ensemble, false);
  }

  public static LearnedPolicy load(Path run, List<String> robotJoints, int cameraSize, boolean ensemble,
      boolean asyncEncoding) {
    if (TorchScriptRun.isImported(run)) {
      TorchScriptPolicy p = TorchScriptPolicy.load(run);
      try {
        return new LearnedPolicy(p, p.imageInput(cameraSize), robotJoints, ensemble, asyncEncoding);
      } catch (RuntimeException ex) {
        p.close();
        throw ex;
      }
    }
    TrainedPolicy p = TrainedPolicy.load(run);
    try {
      ImageEncoder e = RunEncoders.open(run, p.meta(), cameraSize);
      return new LearnedPolicy(p, e, robotJoints, ensemble, asyncEncoding);
    } catch (RuntimeException ex) {
      p.close();
      throw ex;
    }
  }

  /**
   * Keeps the policy's targets inside the robot's joint position limits (a regressed target for a
   * joint the demonstrations held at its stop lands a hair beyond it half the time), so the safety
   * supervisor's limit clamp is a safety net rather than part of every step. Joints without limits
   * (continuous) are left alone. Returns this.
   */
  public LearnedPolicy clampTo(io.optimus.proto.v1.RobotDescription robot) {
    // the supervisor's own table: the same notion of "inside the limits" on both sides
    limits = new io.optimus.bridge.safety.JointLimitTable(robot.getJointsList(),
        io.optimus.bridge.safety.SafetyConfig.DEFAULT);
    if (palmIk != null) {
      double[] lo = new double[robotIndex.length];
      double[] hi = new double[robotIndex.length];
      for (int i = 0; i < robotIndex.length; i++) {
        boolean b = limits.bounded(robotIndex[i]);
        lo[i] = b ? limits.lower(robotIndex[i]) : Double.NaN;
        hi[i] = b ? limits.upper(robotIndex[i]) : Double.NaN;
      }
      palmIk.limits(lo, hi);
    }
    return this;
  }

  /** The loaded policy (trained here or imported). */
  public ChunkPredictor trained() {
    return policy;
  }

  public InferenceTimer timer() {
    return timer;
  }

  @Override
  public String name() {
    return policy.run().getFileName().toString();
  }

  @Override
  public double rateHz() {
    return policy.meta().rateHz();
  }

  /** Spread between overlapping action chunks at the last step (rad; 0 without ensembling). */
  public double uncertainty() {
    return controller.uncertainty();
  }

  @Override
  public void reset() {
    controller.reset();
    if (encoder instanceof TaskStateEncoder) {
      features = null; // a new episode's world
      noTaskSinceNs = Long.MIN_VALUE;
      firstStepNs = Long.MIN_VALUE;
    }
  }

  @Override
  public void act(PolicyObservation obs, double[] targetOut) {
    System.arraycopy(obs.commanded(), 0, targetOut, 0, targetOut.length);
    if (encoder instanceof TaskStateEncoder) {
      if (obs.task() != null) {
        for (int i = 0; i < robotIndex.length; i++) {
          q[i] = (float) obs.position()[robotIndex[i]];
        }
        if (firstStepNs == Long.MIN_VALUE) {
          firstStepNs = obs.stampNs();
        }
        features = ((TaskStateEncoder) encoder).encode(obs.task(), q, taskRigIndex, (obs.stampNs() - firstStepNs) / 1e9,
            syncFeatures, "policy " + name());
      } else if (features == null) {
        // the simulator publishes its first task state after its first tick: hold until it does, but a
        // robot that has published none for a second has none (a real robot): refuse, in one line
        if (noTaskSinceNs == Long.MIN_VALUE) {
          noTaskSinceNs = obs.stampNs();
        }
        if (obs.stampNs() - noTaskSinceNs > TASK_STATE_WAIT_NS) {
          TaskStateEncoder.encode(null, syncFeatures, "policy " + name() + " (no task state for 1 s)");
        }
        return;
      }
    } else if (encoder != null) {
      CameraFrame head = obs.camera();
      if (head != null && headView >= 0 && head != lastObservedHead) {
        latest.set(headView, head);
        lastObservedHead = head;
      }
      if (encoderThread == null) {
        encodeNewFrames();
      } else if (hasNewFrames() && encoding.compareAndSet(false, true)) {
        CameraFrame[] frames = new CameraFrame[cameras.size()];
        for (int v = 0; v < frames.length; v++) {
          frames[v] = latest.get(v);
          submitted[v] = frames[v];
        }
        encoderThread.execute(() -> {
          try {
            encodeAsync(frames);
          } finally {
            encoding.set(false);
          }
        });
      }
      if (features == null) {
        return; // not every camera has sent a frame yet: hold
      }
    }
    for (int i = 0; i < robotIndex.length; i++) {
      q[i] = (float) obs.position()[robotIndex[i]];
      dq[i] = (float) obs.velocity()[robotIndex[i]];
    }
    long c0 = CPU.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    controller.step(q, dq, encoder == null ? null : features, target);
    if (palmIk != null) {
      // the arms from the current command toward the predicted palm poses; the rest keeps its predicted targets
      for (int i : palmArmJoints) {
        target[i] = (float) obs.commanded()[robotIndex[i]];
      }
      palmIk.solve(target, target, robotIndex.length, PALM_IK_ITERATIONS);
    }
    timer.stepped(System.nanoTime() - t0, CPU.getCurrentThreadCpuTime() - c0);
    for (int i = 0; i < robotIndex.length; i++) {
      int r = robotIndex[i];
      targetOut[r] = limits == null ? target[i] : limits.clamp(r, target[i]);
    }
  }

  private boolean hasNewFrames() {
    for (int v = 0; v < submitted.length; v++) {
      CameraFrame f = latest.get(v);
      if (f != null && f != submitted[v]) {
        return true;
      }
    }
    return false;
  }

  /** Synchronous: each camera's new frame is encoded into its slice of one reused array. */
  private void encodeNewFrames() {
    for (int v = 0; v < encodedFrame.length; v++) {
      CameraFrame f = latest.get(v);
      if (f != null && f != encodedFrame[v]) {
        System.arraycopy(encode(f), 0, syncFeatures, v * viewSize, viewSize);
        viewsSeen += encodedFrame[v] == null ? 1 : 0;
        encodedFrame[v] = f;
      }
    }
    if (viewsSeen == encodedFrame.length) {
      features = syncFeatures;
    }
  }

  /** On the encoder thread: a fresh array (the stepping thread may be reading the published one). */
  private void encodeAsync(CameraFrame[] frames) {
    float[] published = features;
    float[] next = published != null ? published.clone()
        : assembling != null ? assembling : new float[syncFeatures.length];
    int seen = 0;
    for (int v = 0; v < frames.length; v++) {
      if (frames[v] != null && frames[v] != encodedFrame[v]) {
        System.arraycopy(encode(frames[v]), 0, next, v * viewSize, viewSize);
        encodedFrame[v] = frames[v];
      }
      seen += encodedFrame[v] != null ? 1 : 0;
    }
    if (seen == frames.length) {
      features = next;
      assembling = null;
    } else {
      assembling = next; // published once every camera has sent a frame
    }
  }

  private float[] encode(CameraFrame c) {
    long t0 = System.nanoTime();
    float[] f = encoder.encode(CameraFrames.rgb8(c, c.getCameraName() + " camera frame #" + c.getSequence()),
        c.getWidth(), c.getHeight());
    timer.encoded(System.nanoTime() - t0);
    return f;
  }

  @Override
  public void close() {
    if (encoderThread != null) {
      encoderThread.shutdown();
      try {
        encoderThread.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (encoder != null) {
      encoder.close();
    }
    policy.close();
  }
}

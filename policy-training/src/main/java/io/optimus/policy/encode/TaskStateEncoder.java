package io.optimus.policy.encode;

import io.optimus.common.InputException;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.ObjectState;
import io.optimus.proto.v1.TaskState;

/**
 * A diagnostic, not a camera encoder: the policy sees the simulator's true task state instead of an
 * image (encoder {@value #ID}; privileged state, simulation only). It answers whether a policy that
 * fails closed loop fails because it cannot see where the cube is (vision) or because it cannot act on
 * it (control, imitation): with the cube's exact pose in its observation, vision is out of the question.
 *
 * <p>Features, one 1x1 map of {@value #CHANNELS} channels (an ACT policy sees it as one token): the task's
 * first object (pick-place's cube) position x, y, z; its yaw as cos 4ψ, sin 4ψ (a cube looks the same
 * every quarter turn); the target area's centre x, y, z; then the cube minus each palm (left x, y, z,
 * right x, y, z), the palms by forward kinematics of the measured joints (the robot on its stand, as in
 * the physics world). The scripted demonstrator closes its loop on that palm-to-cube error; without it
 * the network would have to learn the arm's forward kinematics to millimetres from the demonstrations.
 * All in the task world's frame, which in the simulated worlds is the robot's stance frame (the robot
 * never moves its base), so the positions are relative to the robot. A real robot publishes no task
 * state: a policy trained on it is refused there. Not thread-safe (one kinematics buffer).
 *
 * <p>Opt-in phase channel (encoder {@value #PHASE_PREFIX}T, T seconds in (0, 600]): a 15th channel, the
 * time since the episode's first commanded motion over T, capped at 1. The scripted demonstrator follows
 * a time-based plan; without a clock a state it passes through slowly (the fine aim) and the same state
 * where the policy has stalled look alike to the net.
 */
public final class TaskStateEncoder implements ImageEncoder {
  public static final String ID = "privileged:task-state";
  public static final int CHANNELS = 14;
  /** The spec of the phase variant, followed by its horizon T in seconds: {@code privileged:task-state+phase:15}. */
  public static final String PHASE_PREFIX = ID + "+phase:";
  /** The body whose forward kinematics place the palms (the simulated robot the diagnostic runs on). */
  public static final String ROBOT = "optimus";

  /** The phase channel's horizon (s); 0: no phase channel. */
  private final double phaseHorizonS;
  private RobotRig rig;
  private KinematicsData kin;
  private double[] rigQ;

  /** The 14 task-state channels, no phase. */
  public TaskStateEncoder() {
    this(0);
  }

  /** @param phaseHorizonS the phase channel's horizon in seconds, in (0, 600]; 0: no phase channel */
  public TaskStateEncoder(double phaseHorizonS) {
    if (!(phaseHorizonS == 0 || phaseHorizonS > 0 && phaseHorizonS <= 600)) {
      throw new InputException("encoder " + PHASE_PREFIX + "T: T must be in (0, 600] seconds, not " + phaseHorizonS);
    }
    this.phaseHorizonS = phaseHorizonS;
  }

  /** Whether {@code spec} names this encoder, with or without the phase channel. */
  public static boolean isSpec(String spec) {
    return spec != null && (spec.equals(ID) || spec.startsWith(PHASE_PREFIX));
  }

  /** The encoder a spec names ({@link #isSpec}); a bad horizon is refused in one line. */
  public static TaskStateEncoder of(String spec) {
    if (spec.equals(ID)) {
      return new TaskStateEncoder();
    }
    String t = spec.substring(PHASE_PREFIX.length());
    double horizon;
    try {
      horizon = Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new InputException("encoder '" + spec + "': T must be a number of seconds in (0, 600]", e);
    }
    if (!(horizon > 0)) { // 0 would be the encoder without the phase, under a name that promises one
      throw new InputException("encoder '" + spec + "': T must be in (0, 600] seconds");
    }
    return new TaskStateEncoder(horizon);
  }

  /** Whether the features end with the phase channel. */
  public boolean hasPhase() {
    return phaseHorizonS > 0;
  }

  /** Channels per observation: {@value #CHANNELS}, one more with the phase. */
  public int channels() {
    return CHANNELS + (hasPhase() ? 1 : 0);
  }

  /** The robot model, loaded on first use. */
  private RobotRig rig() {
    if (rig == null) {
      rig = new RobotRig(Robots.load(ROBOT));
      kin = rig.kinematics().newData();
      rigQ = rig.home();
    }
    return rig;
  }

  /** For each of the policy's joints (by name), its index in the rig's q (-1: not a rig joint). */
  public int[] rigIndex(java.util.List<String> joints) {
    return rig().model().qIndices(joints);
  }

  @Override
  public String id() {
    return hasPhase() ? PHASE_PREFIX + formatHorizon(phaseHorizonS) : ID;
  }

  /** "15", not "15.0": the id a config names is the id the run keeps. */
  private static String formatHorizon(double s) {
    return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
  }

  @Override
  public FeatureShape shape() {
    return new FeatureShape(channels(), 1, 1);
  }

  /**
   * Never: this encoder reads the task state ({@link #encode(TaskState, float[], int[], double, float[], String)}),
   * not images.
   */
  @Override
  public float[] encode(byte[] rgb, int width, int height) {
    throw new UnsupportedOperationException(ID + " encodes the simulator's task state, not camera images");
  }

  /**
   * The features of one task state into {@code out} ({@link #channels()} floats), allocation-free.
   *
   * @param q the measured joint positions, in the policy's joint order
   * @param rigIndex {@link #rigIndex} of the policy's joints
   * @param elapsedS seconds since the episode's first commanded motion (read only with the phase channel)
   * @param where names the observation in the error (a recording's tick, or the policy)
   */
  public float[] encode(TaskState t, float[] q, int[] rigIndex, double elapsedS, float[] out, String where) {
    encode(t, out, where);
    if (hasPhase()) {
      out[CHANNELS] = (float) Math.min(1, Math.max(0, elapsedS) / phaseHorizonS);
    }
    rig();
    for (int i = 0; i < rigIndex.length; i++) {
      if (rigIndex[i] >= 0) {
        rigQ[rigIndex[i]] = q[i];
      }
    }
    kin.setQ(rigQ);
    rig.forwardOnStand(kin);
    int[] palms = {rig.left().palmLink(), rig.right().palmLink()};
    for (int h = 0; h < 2; h++) {
      for (int k = 0; k < 3; k++) {
        out[8 + 3 * h + k] = out[k] - (float) kin.linkPosition[3 * palms[h] + k];
      }
    }
    return out;
  }

  /** The task part (channels 0-7) alone; {@code t} null is the one-line refusal. */
  public static float[] encode(TaskState t, float[] out, String where) {
    if (t == null) {
      throw new InputException(where + ": no task state, and this policy observes the simulator's true task state ("
          + ID + ": simulation only; it cannot run on a real robot)");
    }
    if (t.getObjectsCount() == 0) {
      throw new InputException(where + ": the task state has no objects (" + ID + " observes the first one)");
    }
    ObjectState o = t.getObjects(0);
    var p = o.getPose().getPosition();
    var q = o.getPose().getOrientation();
    double w = o.getPose().hasOrientation() ? q.getW() : 1;
    double yaw = Math.atan2(2 * (w * q.getZ() + q.getX() * q.getY()), 1 - 2 * (q.getY() * q.getY() + q.getZ() * q.getZ()));
    var c = t.getTargetArea().getPosition();
    out[0] = (float) p.getX();
    out[1] = (float) p.getY();
    out[2] = (float) p.getZ();
    out[3] = (float) Math.cos(4 * yaw);
    out[4] = (float) Math.sin(4 * yaw);
    out[5] = (float) c.getX();
    out[6] = (float) c.getY();
    out[7] = (float) c.getZ();
    return out;
  }
}

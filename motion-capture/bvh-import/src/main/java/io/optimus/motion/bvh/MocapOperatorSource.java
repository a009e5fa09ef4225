package io.optimus.motion.bvh;

import io.optimus.common.FramePacer;
import io.optimus.common.Stamps;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.geometry.proto.Pose3Proto;
import io.optimus.motion.retarget.HandSide;
import io.optimus.motion.retarget.SyntheticOperator;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.OperatorCommands;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Timestamp;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.BooleanSupplier;

/**
 * Mocap played as an operator: turns a clip into {@link OperatorFrame}s at a fixed rate, as a VR rig
 * would send them (after the client's axis map). Poses are in the operator frame (x forward, y left,
 * z up, origin on the floor under the human's pelvis at the first frame); orientations are Hamilton
 * quaternions (w, x, y, z).
 *
 * <p>BVH rest poses differ between rigs, so orientations are taken relative to the first frame, which
 * is assumed to be standing, looking ahead, arms hanging with the palms facing the thighs. The head
 * pose is the eyes ({@link #EYE_OFFSET} in front of and above the head joint); each grip pose is the
 * palm centre ({@link #PALM_OFFSET_M} past the wrist along the fingers) in the OpenXR grip axes the
 * bridge's retargeter expects ({@link SyntheticOperator#gripFromPalm}). The whole skeleton goes out as the
 * body (schema 2, {@link KeypointBody}: the same joints and conversion as {@code bvh:FILE} and the live
 * {@code mocap-stream}), so a clip drives whole-body targets, and episodes written from it keep the
 * operator's body for re-scoring. The deadman is held throughout.
 */
public final class MocapOperatorSource {
  public static final String SOURCE_PREFIX = "bvh:";

  private final KeypointMotion motion;
  private final String operatorId;
  private final double rateHz;
  private final boolean loop;
  private final String sessionId = UUID.randomUUID().toString();
  /** Eyes in the head joint's frame (x forward, z up), metres: an adult average, not measured. */
  public static final double[] EYE_OFFSET = {0.08, 0, 0.06};
  /** Wrist to palm centre along the fingers, metres. */
  public static final double PALM_OFFSET_M = 0.07;

  private final double[] q = new double[4];
  private long sequence;
  private long index;

  public MocapOperatorSource(KeypointMotion motion, String operatorId, double rateHz, boolean loop) {
    if (!(rateHz > 0)) {
      throw new IllegalArgumentException("rate must be positive, was " + rateHz);
    }
    this.motion = motion;
    this.operatorId = operatorId;
    this.rateHz = rateHz;
    this.loop = loop;
  }

  /** Frames in one pass over the clip at this rate. */
  public int framesPerPass() {
    return (int) Math.floor(motion.durationSeconds() * rateHz) + 1;
  }

  public long periodNanos() {
    return Math.round(1e9 / rateHz);
  }

  /** False once a non-looping source has sent the whole clip. */
  public boolean hasNext() {
    return loop || index < framesPerPass();
  }

  /** The next frame, stamped now. */
  public OperatorFrame next() {
    return next(Stamps.now());
  }

  /** The next frame with the given capture time. */
  public OperatorFrame next(Timestamp captureTime) {
    if (!hasNext()) {
      throw new IllegalStateException("clip finished");
    }
    double t = (index % framesPerPass()) / rateHz;
    index++;
    return frameAt(t, captureTime, ++sequence);
  }

  /** The operator frame for clip time {@code t} seconds. */
  public OperatorFrame frameAt(double t, Timestamp captureTime, long seq) {
    return track(t, OperatorFrame.newBuilder())
        .setSchemaVersion(KeypointBody.FRAME_SCHEMA_VERSION)
        .setOperatorId(operatorId)
        .setSource(SOURCE_PREFIX + motion.source())
        .setSequence(seq)
        .setCaptureTime(captureTime)
        .setCommands(OperatorCommands.newBuilder().setDeadman(true))
        .setSessionId(sessionId)
        .build();
  }

  /**
   * What the clip tracks at time {@code t} into {@code f}: the head (eyes), both grips and the body. The one
   * conversion of mocap to operator poses: clip files ({@code bvh:FILE}) and live streams ({@code mocap-stream})
   * use it too.
   */
  public OperatorFrame.Builder track(double t, OperatorFrame.Builder f) {
    return f.setHead(head(t))
        .setHeadValid(true)
        .setLeft(hand(t, Keypoint.LEFT_WRIST))
        .setRight(hand(t, Keypoint.RIGHT_WRIST))
        .setBody(KeypointBody.at(motion, t));
  }

  /**
   * Sends frames to {@code sink} at the rate until the clip ends (or {@code stop} says so), pacing on
   * the monotonic clock against absolute deadlines so the rate does not drift.
   */
  public void play(Consumer<OperatorFrame> sink, BooleanSupplier stop) {
    FramePacer pacer = FramePacer.ofPeriod(periodNanos());
    while (hasNext() && pacer.awaitWhile(() -> !stop.getAsBoolean(), () -> false) >= 0) {
      sink.accept(next());
    }
  }

  private HandInput hand(double t, Keypoint wrist) {
    HandSide side = wrist == Keypoint.LEFT_WRIST ? HandSide.LEFT : HandSide.RIGHT;
    double sg = side.sign();
    // Palm convention (x along the fingers, z out of the palm) of a hanging arm, palm facing the thigh.
    Quat palmAtStart = Quat.fromMatrix(new double[] {0, sg, 0, 0, 0, -sg, -1, 0, 0}, 0);
    motion.sampleOrientation(t, wrist, q);
    Quat palmRotation = new Quat(q[0], q[1], q[2], q[3]).times(palmAtStart);
    Vec3 palmCentre = position(t, wrist).plus(palmRotation.rotate(Vec3.UNIT_X).times(PALM_OFFSET_M));
    Pose p = Pose3Proto.toProto(SyntheticOperator.gripFromPalm(side, new Pose3(palmCentre, palmRotation)));
    return HandInput.newBuilder()
        .setGripPose(p)
        .setAimPose(p)
        .setGripValid(true)
        .setAimValid(true)
        .setTracked(true)
        .setInteractionProfile("mocap")
        .build();
  }

  private Pose head(double t) {
    motion.sampleOrientation(t, Keypoint.HEAD, q);
    Quat r = new Quat(q[0], q[1], q[2], q[3]);
    Vec3 eyes = position(t, Keypoint.HEAD).plus(r.rotate(new Vec3(EYE_OFFSET[0], EYE_OFFSET[1], EYE_OFFSET[2])));
    return Pose3Proto.toProto(new Pose3(eyes, r));
  }

  private Vec3 position(double t, Keypoint k) {
    double x = Math.max(0, Math.min(motion.frameCount() - 1, t / motion.frameTime()));
    int f0 = (int) Math.floor(x);
    int f1 = Math.min(motion.frameCount() - 1, f0 + 1);
    double w = x - f0;
    return new Vec3(motion.position(f0, k, 0) * (1 - w) + motion.position(f1, k, 0) * w,
        motion.position(f0, k, 1) * (1 - w) + motion.position(f1, k, 1) * w,
        motion.position(f0, k, 2) * (1 - w) + motion.position(f1, k, 2) * w);
  }
}

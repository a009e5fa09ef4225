package io.optimus.teleop.source;

import io.optimus.common.FramePacer;
import io.optimus.common.Stamps;
import io.optimus.motion.bvh.BvhClip;
import io.optimus.motion.bvh.BvhParser;
import io.optimus.motion.bvh.Keypoint;
import io.optimus.motion.bvh.KeypointBody;
import io.optimus.motion.bvh.KeypointMotion;
import io.optimus.motion.bvh.SkeletonMap;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Timestamp;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code bvh:FILE}: a motion-capture clip played as an operator. Head and wrists come from the clip's
 * keypoints, which motion-capture already puts in the operator convention (metres, z up, facing +x at
 * the first frame, floor at z = 0). Orientations are relative to the first frame (BVH rest poses
 * differ between rigs). The whole skeleton goes out as the body (motion-capture's {@link KeypointBody}, the
 * mapping {@code mocap retarget}'s episodes record too: every keypoint at confidence 1, source "mocap";
 * spine and neck, which the keypoints lack, at confidence 0), with the same first-frame-relative orientations. The clip has no buttons: the deadman is held while it plays, fingers stay open;
 * before it plays, the first pose is held for {@link DeadmanLeadIn#SECONDS} with the deadman released,
 * so that the press engages the robot.
 */
public final class BvhPoseSource implements PoseSource {
  private final KeypointMotion motion;
  private final FramePacer pacer;
  private final String name;
  private final double[] positions = new double[KeypointMotion.K * 3];
  private final double[] q = new double[4];
  private long startNs = -1;

  public BvhPoseSource(Path file, double rateHz) {
    BvhClip clip = BvhParser.parse(file, null);
    this.motion = KeypointMotion.from(clip, SkeletonMap.detect(clip.name(), clip.skeleton()));
    this.pacer = new FramePacer(rateHz);
    this.name = "bvh:" + file.getFileName();
  }

  /** Frames of a motion sampled by the caller ({@link #frameAt}); {@link #next()} is not for it. */
  BvhPoseSource(KeypointMotion motion, String name) {
    this.motion = motion;
    this.pacer = null;
    this.name = name;
  }

  public double durationSeconds() {
    return motion.durationSeconds();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<OperatorFrame.Builder> next() throws InterruptedException {
    long tick = pacer.await();
    if (startNs < 0) {
      startNs = tick;
    }
    double t = (tick - startNs) / 1e9 - DeadmanLeadIn.SECONDS;
    if (t > motion.durationSeconds()) {
      return Optional.empty();
    }
    return Optional.of(frameAt(t, tick));
  }

  /**
   * The frame for clip time {@code clipT} seconds, stamped {@code tickNs}; before the clip ({@code clipT < 0},
   * the lead-in) its first pose with the deadman released.
   */
  public OperatorFrame.Builder frameAt(double clipT, long tickNs) {
    double t = Math.max(0, clipT);
    motion.samplePositions(t, positions);
    OperatorFrame.Builder f = OperatorFrame.newBuilder().setCaptureTime(Timestamp.newBuilder().setMonotonicNs(tickNs)
        .setWallNs(Stamps.wallNanos() + (tickNs - System.nanoTime())));
    f.setHead(pose(t, Keypoint.HEAD)).setHeadValid(true);
    f.setCommands(io.optimus.proto.v1.OperatorCommands.newBuilder().setDeadman(clipT >= 0));
    f.setLeft(hand(t, Keypoint.LEFT_WRIST));
    f.setRight(hand(t, Keypoint.RIGHT_WRIST));
    f.setBody(KeypointBody.of(motion, t, positions));
    return f;
  }

  private HandInput.Builder hand(double t, Keypoint k) {
    Pose p = pose(t, k);
    return HandInput.newBuilder().setGripPose(p).setAimPose(p).setGripValid(true).setAimValid(true).setTracked(true)
        .setInteractionProfile("bvh");
  }

  private Pose pose(double t, Keypoint k) {
    return KeypointBody.pose(motion, t, k, positions, q);
  }
}

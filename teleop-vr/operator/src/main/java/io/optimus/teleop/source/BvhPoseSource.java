package io.optimus.teleop.source;

import io.optimus.common.FramePacer;
import io.optimus.common.Stamps;
import io.optimus.motion.bvh.BvhClip;
import io.optimus.motion.bvh.BvhParser;
import io.optimus.motion.bvh.KeypointMotion;
import io.optimus.motion.bvh.MocapOperatorSource;
import io.optimus.motion.bvh.SkeletonMap;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Timestamp;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code bvh:FILE}: a motion-capture clip played as an operator. The clip's keypoints are already in the
 * operator convention (metres, z up, facing +x at the first frame, floor at z = 0); they become the head
 * (the eyes), both grips and the whole body (schema 2) through motion-capture's
 * {@link MocapOperatorSource#track}, the one conversion {@code mocap retarget}'s episodes use too.
 * Orientations are relative to the first frame (BVH rest poses differ between rigs). The clip has no
 * buttons: the deadman is held while it plays, fingers stay open; before it plays, the first pose is held
 * for {@link DeadmanLeadIn#SECONDS} with the deadman released, so that the press engages the robot.
 */
public final class BvhPoseSource implements PoseSource {
  private final MocapOperatorSource mocap;
  private final double durationS;
  private final FramePacer pacer;
  private final String name;
  private long startNs = -1;

  public BvhPoseSource(Path file, double rateHz) {
    BvhClip clip = BvhParser.parse(file, null);
    KeypointMotion motion = KeypointMotion.from(clip, SkeletonMap.detect(clip.name(), clip.skeleton()));
    this.mocap = new MocapOperatorSource(motion, "bvh", rateHz, false);
    this.durationS = motion.durationSeconds();
    this.pacer = new FramePacer(rateHz);
    this.name = "bvh:" + file.getFileName();
  }

  /** Frames of a motion sampled by the caller ({@link #frameAt}); {@link #next()} is not for it. */
  BvhPoseSource(KeypointMotion motion, String name) {
    this.mocap = new MocapOperatorSource(motion, name, 1, false);
    this.durationS = motion.durationSeconds();
    this.pacer = null;
    this.name = name;
  }

  public double durationSeconds() {
    return durationS;
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
    if (t > durationS) {
      return Optional.empty();
    }
    return Optional.of(frameAt(t, tick));
  }

  /**
   * The frame for clip time {@code clipT} seconds, stamped {@code tickNs}; before the clip ({@code clipT < 0},
   * the lead-in) its first pose with the deadman released.
   */
  public OperatorFrame.Builder frameAt(double clipT, long tickNs) {
    OperatorFrame.Builder f = OperatorFrame.newBuilder().setCaptureTime(Timestamp.newBuilder().setMonotonicNs(tickNs)
        .setWallNs(Stamps.wallNanos() + (tickNs - System.nanoTime())));
    mocap.track(Math.max(0, clipT), f);
    return f.setCommands(io.optimus.proto.v1.OperatorCommands.newBuilder().setDeadman(clipT >= 0));
  }
}

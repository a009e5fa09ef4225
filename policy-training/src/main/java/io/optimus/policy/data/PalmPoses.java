package io.optimus.policy.data;

import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import java.util.ArrayList;
import java.util.List;

/**
 * The palm-pose part of a {@code "action": "palms"} policy's actions: for each hand (left, then right)
 * the palm's position (3) and the first two columns of its rotation matrix (6, a continuous rotation
 * representation), {@value #SIZE} numbers, by forward kinematics of joint positions with the robot on its
 * stand (the physics world's frame, as {@code encode.TaskStateEncoder}'s palms). Training labels are the
 * FK of the recorded commanded positions. Not thread-safe (one kinematics buffer).
 */
public final class PalmPoses {
  /** Numbers per hand: position, then rotation columns 0 and 1. */
  public static final int PER_HAND = 9;
  public static final int SIZE = 2 * PER_HAND;
  /** The body the labels are computed on (the simulated robot the policies run on). */
  public static final String ROBOT = "optimus";

  private final RobotRig rig;
  private final KinematicsData kin;
  private final double[] rigQ;
  private final int[] rigIndex;
  private final int[] palms;

  /** @param joints the policy's joint names, in its order */
  public PalmPoses(RobotRig rig, List<String> joints) {
    this.rig = rig;
    this.kin = rig.kinematics().newData();
    this.rigQ = rig.home();
    this.rigIndex = rig.model().qIndices(joints);
    this.palms = new int[] {rig.left().palmLink(), rig.right().palmLink()};
  }

  public PalmPoses(List<String> joints) {
    this(new RobotRig(Robots.load(ROBOT)), joints);
  }

  /** The palm poses of joint positions {@code q} (policy order) into {@code out[offset..offset+SIZE)}; allocation-free. */
  public void compute(float[] q, float[] out, int offset) {
    for (int i = 0; i < rigIndex.length; i++) {
      if (rigIndex[i] >= 0) {
        rigQ[rigIndex[i]] = q[i];
      }
    }
    kin.setQ(rigQ);
    rig.forwardOnStand(kin);
    for (int h = 0; h < 2; h++) {
      write(kin, palms[h], out, offset + h * PER_HAND);
    }
  }

  /** One link's position and rotation columns 0, 1 (of the row-major matrix) into out. */
  public static void write(KinematicsData d, int link, float[] out, int o) {
    double[] r = d.linkRotation;
    int m = 9 * link;
    for (int k = 0; k < 3; k++) {
      out[o + k] = (float) d.linkPosition[3 * link + k];
      out[o + 3 + k] = (float) r[m + 3 * k];
      out[o + 6 + k] = (float) r[m + 3 * k + 1];
    }
  }

  /**
   * The episodes with each tick's commanded row extended by the palm poses of those commanded positions
   * (the training labels of a palms policy); the joint targets are kept in front, unchanged.
   */
  public List<EpisodeData> label(List<EpisodeData> episodes) {
    List<EpisodeData> out = new ArrayList<>(episodes.size());
    for (EpisodeData e : episodes) {
      float[][] c = new float[e.length()][];
      for (int t = 0; t < c.length; t++) {
        float[] a = e.commanded()[t];
        c[t] = java.util.Arrays.copyOf(a, a.length + SIZE);
        compute(a, c[t], a.length);
      }
      out.add(new EpisodeData(e.id(), e.q(), e.dq(), c, e.features(), e.success(), e.notImitated()));
    }
    return out;
  }
}

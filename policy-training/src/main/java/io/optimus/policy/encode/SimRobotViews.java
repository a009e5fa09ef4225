package io.optimus.policy.encode;

import io.optimus.bridge.world.CameraLabels;
import io.optimus.bridge.world.CameraRenderer;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.common.InputException;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.CameraSize;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.JointLimits;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.perception.scene.RobotView;
import io.optimus.perception.scene.RobotViewSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Labelled robot camera frames for the shared HydraNet trunk's robot heads, regenerated from world
 * state: a random task world (pick-place, stack, handover layouts), the robot at home with its arms,
 * fingers and head perturbed, and in half the frames one object held at a palm; then every camera
 * of the rig (head, both wrists) in turn, rendered by robot-bridge's {@link CameraRenderer} with its
 * {@link CameraRenderer#lastLabels() labels} from the same primitives. The state is what a recording
 * stores per frame (joint state and task state), so labels need not be stored with recordings.
 *
 * <p>It lives here because policy-training is the module that may depend on both the simulator
 * (robot-bridge, which never meets DJL) and shared-perception (which never meets the simulator).
 */
public final class SimRobotViews implements RobotViewSource {
  public static final double TABLE_TOP = 0.9;
  /** Share of frames where an object sits at a palm (hand and object overlap, as in a grasp). */
  static final double HELD_SHARE = 0.5;

  private final String robot;

  public SimRobotViews(String robot) {
    this.robot = robot;
  }

  @Override
  public List<RobotView> views(int count, int size, long seed) {
    RobotRig base = new RobotRig(Robots.load(robot));
    if (size < 32 || size > 512) {
      throw new InputException("--size " + size + ": robot camera frames are rendered at 32..512 px");
    }
    RobotRig rig = new RobotRig(base.model(),
        new CameraSize(size, size, RobotRig.DEFAULT_HEAD_CAMERA.verticalFovRad()),
        new CameraSize(size, size, RobotRig.DEFAULT_WRIST_CAMERA.verticalFovRad()));
    List<CameraRenderer> cameras = rig.cameras().stream().map(c -> new CameraRenderer(rig, c, "sim")).toList();
    List<RobotView> out = new ArrayList<>(count);
    KinematicsData d = rig.kinematics().newData();
    for (int i = 0; out.size() < count; i++) {
      SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
      String task = TaskWorld.TASKS.get(rnd.nextInt(TaskWorld.TASKS.size()));
      TaskWorld world = new TaskWorld("sim", task, rnd.nextLong() & Long.MAX_VALUE, TABLE_TOP);
      pose(rig, d, rnd);
      if (rnd.nextDouble() < HELD_SHARE) {
        var objects = world.objects();
        int palm = rnd.nextBoolean() ? rig.left().palmLink() : rig.right().palmLink();
        System.arraycopy(d.linkPosition, 3 * palm, objects[rnd.nextInt(objects.length)].position, 0, 3);
      }
      for (CameraRenderer cam : cameras) {
        if (out.size() == count) {
          break;
        }
        var frame = cam.render(d, world, i, io.optimus.common.Stamps.now());
        out.add(view(cam.name(), frame.getData().toByteArray(), cam.lastLabels()));
      }
    }
    return out;
  }

  /** Home, arms and head perturbed, fingers anywhere in their range. */
  private static void pose(RobotRig rig, KinematicsData d, SplittableRandom rnd) {
    System.arraycopy(rig.home(), 0, d.q, 0, rig.dof());
    java.util.Set<Integer> fingers = new java.util.HashSet<>();
    for (int k : rig.left().fingerQ()) {
      fingers.add(k);
    }
    for (int k : rig.right().fingerQ()) {
      fingers.add(k);
    }
    List<Joint> joints = rig.model().dofJoints();
    for (int k = 0; k < joints.size(); k++) {
      JointLimits lim = joints.get(k).limits();
      String n = joints.get(k).name();
      double spread = n.contains("shoulder") || n.contains("elbow") ? 0.5
          : n.contains("wrist") || n.contains("forearm") ? 0.6
          : n.contains("neck") || n.contains("head") ? 0.2
          : 0;
      double q = fingers.contains(k) && lim.hasPositionLimits()
          ? lim.lower() + rnd.nextDouble() * (lim.upper() - lim.lower())
          : d.q[k] + spread * gaussian(rnd);
      d.q[k] = lim.hasPositionLimits() ? Math.max(lim.lower(), Math.min(lim.upper(), q)) : q;
    }
    rig.forwardStanding(d);
  }

  private static double gaussian(SplittableRandom rnd) {
    return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }

  /** Renderer labels as the perception module reads them (visible centres only). */
  static RobotView view(String camera, byte[] rgb, CameraLabels l) {
    List<RobotView.Centre> centres = new ArrayList<>();
    for (CameraLabels.ObjectCentre c : l.centres()) {
      if (c.visible(l.width(), l.height())) {
        centres.add(new RobotView.Centre(c.u(), c.v(), Math.sqrt(c.pixels() / Math.PI)));
      }
    }
    return new RobotView(camera, l.width(), l.height(), rgb, l.segmentation(), l.depth(), centres);
  }
}

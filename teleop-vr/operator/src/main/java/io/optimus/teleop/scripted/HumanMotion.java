package io.optimus.teleop.scripted;

import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.proto.v1.ObjectState;
import io.optimus.proto.v1.TaskState;
import java.util.SplittableRandom;

/**
 * How a person's movements vary, seeded (reproducible): durations about +-25 % around the nominal,
 * horizontal aim errors, curved reaches through a raised, swung via point, hesitations, a
 * physiological tremor of about a millimetre; and the task-state reading the scripted planners share.
 */
final class HumanMotion {
  private final SplittableRandom rnd;
  private final double tremorHz;
  private final double tremorPhase;

  HumanMotion(SplittableRandom rnd) {
    this.rnd = rnd;
    this.tremorHz = 8 + 4 * rnd.nextDouble();
    this.tremorPhase = rnd.nextDouble() * 2 * Math.PI;
  }

  double uniform() {
    return rnd.nextDouble();
  }

  /** A duration varied as people vary: about +-25 % around the nominal. */
  double human(double nominal) {
    return nominal * (0.8 + 0.5 * rnd.nextDouble());
  }

  /** A horizontal aim error of half to all of {@code max} metres, in a random direction. */
  Vec3 aimError(double max) {
    double r = max * (0.5 + 0.5 * rnd.nextDouble());
    double a = rnd.nextDouble() * 2 * Math.PI;
    return new Vec3(r * Math.cos(a), r * Math.sin(a), 0);
  }

  /** A curved path: the via point rises by up to {@code lift} and swings sideways by up to {@code swing}. */
  MinJerkPath curved(Vec3 from, Vec3 to, double lift, double swing, double duration) {
    Vec3 mid = from.plus(to).times(0.5);
    Vec3 d = to.minus(from);
    Vec3 side = new Vec3(-d.y(), d.x(), 0);
    side = side.norm() < 1e-9 ? Vec3.ZERO : side.normalized();
    Vec3 via = mid.plus(new Vec3(0, 0, lift * (0.5 + 0.5 * rnd.nextDouble())))
        .plus(side.times(swing * (2 * rnd.nextDouble() - 1)));
    return new MinJerkPath(from, via, to, duration);
  }

  /** A hesitation between movements (s). */
  double pause() {
    return 0.05 + 0.2 * rnd.nextDouble();
  }

  /** The tremor of hand {@code h} at time {@code t}: under a millimetre. */
  Vec3 tremor(double t, int h) {
    double w = 2 * Math.PI * tremorHz * t + tremorPhase + h;
    return new Vec3(0.0008 * Math.sin(w), 0.0008 * Math.sin(1.3 * w + 1), 0.0006 * Math.sin(0.7 * w + 2));
  }

  /** Palm down over {@code o}, fingers forward, tilted down by {@code pitch}, turned to its yaw (modulo a quarter turn). */
  static Quat graspOrientation(ObjectState o, double pitch) {
    io.optimus.proto.v1.Quaternion q = o.getPose().getOrientation();
    double yaw = Math.atan2(2 * (q.getW() * q.getZ() + q.getX() * q.getY()), 1 - 2 * (q.getY() * q.getY() + q.getZ() * q.getZ()));
    yaw = Math.IEEEremainder(yaw, Math.PI / 2);
    return Quat.fromAxisAngle(Vec3.UNIT_Z, yaw).times(Quat.fromAxisAngle(Vec3.UNIT_Y, pitch)).times(new Quat(0, 1, 0, 0));
  }

  static String handName(int hand) {
    return hand == 0 ? "left_hand" : "right_hand";
  }

  /** The task says hand {@code hand} holds {@code o} (or that it is grasped, by an unnamed hand). */
  static boolean heldBy(ObjectState o, int hand) {
    return o != null && (handName(hand).equals(o.getHeldBy()) || o.getGrasped() && o.getHeldBy().isEmpty());
  }

  static double halfHeight(ObjectState o) {
    return o.hasSize() && o.getSize().getZ() > 0 ? o.getSize().getZ() / 2 : 0.025;
  }

  static ObjectState find(TaskState task, String name) {
    if (task == null) {
      return null;
    }
    for (ObjectState o : task.getObjectsList()) {
      if (o.getName().equals(name)) {
        return o;
      }
    }
    return null;
  }

  static Vec3 vec(io.optimus.proto.v1.Vector3 v) {
    return new Vec3(v.getX(), v.getY(), v.getZ());
  }

  static Vec3 position(ObjectState o) {
    return vec(o.getPose().getPosition());
  }
}

package io.optimus.bridge.physics.bullet;

import io.optimus.bridge.physics.ObjectSpec;
import io.optimus.bridge.physics.PhysicsScene;
import io.optimus.bridge.physics.PhysicsWorld;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.motion.retarget.FrameTask;
import io.optimus.motion.retarget.HandRetargeter;
import io.optimus.motion.retarget.HandSide;
import io.optimus.motion.retarget.IkSettings;
import io.optimus.motion.retarget.WholeBodyIk;
import java.util.List;

/**
 * A scripted pick of a cube resting on the table, in physics, with the project's IK for the arm and
 * the controller finger mapping (trigger closes the hand) the bridge uses: above the cube, down to
 * the grasp pose, close, lift, hold. Joint targets go straight to the {@link PhysicsWorld}.
 */
final class TablePick {
  static final RobotModel OPTIMUS = Robots.load("optimus");
  static final double EDGE = 0.05;
  static final double MASS = 0.1;
  static final double FRICTION = 0.8;
  /** The bridge's table top ({@code BridgeConfig.defaults}). */
  static final double TABLE_TOP = 0.9;

  /**
   * How the hand takes the cube: palm roll about the fingers (pi: palm down, pi/2: palm towards the
   * midline), fingers pitched down (rad), the cube centre in the palm frame of the left hand (m; x along
   * the fingers, y towards the thumb, z out of the palm; y mirrored for the right hand) and the time
   * the fingers take to close (s), and the trigger level they close to (1: a fist).
   */
  record Approach(double roll, double pitch, double along, double side, double up, double closeSeconds,
      double trigger) {
    Approach(double roll, double pitch, double along, double side, double up, double closeSeconds) {
      this(roll, pitch, along, side, up, closeSeconds, 1);
    }
  }

  /**
   * Outcome: the cube's lowest rise over the last second of holding, its rise at the end and how far
   * the lowest finger then hangs below its bottom (m; {@link #fingersBelowCube}).
   */
  record Result(double minRiseHeld, double finalRise, double fingersBelow, String trace) {
    boolean lifted(double h) {
      return minRiseHeld >= h;
    }
  }

  private final RobotRig rig = new RobotRig(OPTIMUS);
  private final double tick;
  private final PhysicsWorld world;
  private final KinematicsData data;
  private final WholeBodyIk ik;
  private final FrameTask palm;
  private final HandRetargeter fingers;
  private final double[] q;
  private final int side;
  private final double edge;
  private final String prefix;
  /** Every tick's measured joints and cube pose, folded bit for bit ({@link #trajectory}). */
  private long trajectory = 1;
  private final double[] tq;
  private final double[] tp = new double[3];
  private final double[] to = new double[4];
  /** The finger link hanging lowest, after {@link #fingersBelowCube}. */
  private String lowestLink = "";

  TablePick(HandSide hand) {
    this(hand, EDGE, MASS);
  }

  /** With a cube of {@code edge} (m) and {@code mass} (kg), e.g. the stack task's 4 cm, 60 g one. */
  TablePick(HandSide hand, double edge, double mass) {
    this.edge = edge;
    PhysicsScene t = PhysicsScene.tabletop(List.of(ObjectSpec.cube("cube", edge, mass, FRICTION)));
    PhysicsScene scene = new PhysicsScene(TABLE_TOP, t.tableMinX(), t.tableMaxX(), t.tableMinY(), t.tableMaxY(),
        t.tableFriction(), t.objects(), t.gravity(), t.controlHz(), t.substeps(), t.standClearance());
    tick = scene.tickSeconds();
    world = new BulletBackend().create(OPTIMUS, scene, rig.home());
    side = hand == HandSide.LEFT ? 1 : -1;
    prefix = hand == HandSide.LEFT ? "left" : "right";
    data = rig.kinematics().newData();
    double[] p = new double[3];
    double[] o = new double[4];
    world.linkPose(0, p, o);
    data.setBasePose(new Pose3(new Vec3(p[0], p[1], p[2]), new Quat(o[0], o[1], o[2], o[3])));
    q = rig.home().clone();
    System.arraycopy(q, 0, data.q, 0, q.length);
    rig.kinematics().forward(data);
    ik = new WholeBodyIk(rig.kinematics(), j -> j.group().equals(prefix + "_arm") || j.group().equals("waist"), false,
        IkSettings.DEFAULT);
    palm = ik.addFrameTask("palm", prefix + "_palm", 1.0, 0.3);
    ik.setPosture(rig.home());
    fingers = new HandRetargeter(rig.kinematics(), hand);
    tq = new double[OPTIMUS.dof()];
  }

  /**
   * A fingerprint of the run so far: every tick's measured joint positions and velocities and the cube's
   * pose, bit for bit (equal fingerprints: the same trajectory, barring a 64-bit collision).
   */
  long trajectory() {
    return trajectory;
  }

  private void fingerprint() {
    world.readJoints(tq, null, null);
    for (double v : tq) {
      trajectory = mix(trajectory, v);
    }
    world.readJoints(null, tq, null);
    for (double v : tq) {
      trajectory = mix(trajectory, v);
    }
    world.objectPose(0, tp, to);
    for (double v : tp) {
      trajectory = mix(trajectory, v);
    }
    for (double v : to) {
      trajectory = mix(trajectory, v);
    }
  }

  static long mix(long h, double v) {
    h = (Long.rotateLeft(h, 23) ^ Double.doubleToLongBits(v)) * 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 29);
  }

  PhysicsWorld world() {
    return world;
  }

  /** Palm down, fingers forward along the cube's yaw and tilted down by {@code pitch}. */
  static Quat graspOrientation(double yaw, double pitch) {
    return Quat.fromAxisAngle(Vec3.UNIT_Z, yaw).times(Quat.fromAxisAngle(Vec3.UNIT_Y, pitch)).times(new Quat(0, 1, 0, 0));
  }

  /**
   * Places the cube at (x, y) with {@code yaw} on the table and picks it with {@code a}: up to a rest
   * pose over the table, above the cube, down onto it, close, wait, lift 15 cm, hold 1 s. The grasp is
   * shifted by (aimX, aimY) (m, world) without moving the cube, to close beside it.
   */
  Result pick(double x, double y, double yaw, Approach a, double aimX, double aimY) {
    double top = world.scene().tableTop();
    double[] c0 = {x, y, top + edge / 2};
    world.placeObject(0, c0, new double[] {Math.cos(yaw / 2), 0, 0, Math.sin(yaw / 2)});
    run(0.3, null, 0);
    double graspYaw = Math.IEEEremainder(yaw, Math.PI / 2);
    Quat rot = Quat.fromAxisAngle(Vec3.UNIT_Z, graspYaw).times(Quat.fromAxisAngle(Vec3.UNIT_Y, a.pitch()))
        .times(Quat.fromAxisAngle(Vec3.UNIT_X, side * a.roll()));
    Quat yawQ = Quat.fromAxisAngle(Vec3.UNIT_Z, graspYaw);
    Vec3 grasp = new Vec3(c0[0], c0[1], c0[2]).minus(rot.rotate(new Vec3(a.along(), a.side() * side, a.up())))
        .plus(new Vec3(aimX, aimY, 0));
    Pose3 start = data.linkPose(palm.link());
    Vec3 above = grasp.plus(new Vec3(0, 0, 0.10));
    StringBuilder trace = new StringBuilder();
    // first up beside the table to a rest pose above it (the hands hang below the table top at home)
    Pose3 rest = new Pose3(new Vec3(0.14, 0.25 * side, top + 0.17), start.rotation());
    move(start, rest, 1.0, 0);
    move(rest, new Pose3(above, rot), 1.2, 0);
    move(new Pose3(above, rot), new Pose3(grasp, rot), 0.8, 0);
    run(0.2, new Pose3(grasp, rot), 0);
    trace.append(String.format(java.util.Locale.ROOT, "at grasp: palm err %.3f cube moved %.3f; ", palmError(grasp),
        cubeShift(c0)));
    int steps = (int) Math.round(a.closeSeconds() / tick);
    trace.append("in palm: ").append(cubeInPalm()).append(' ');
    for (int k = 1; k <= steps; k++) {
      step(new Pose3(grasp, rot), a.trigger() * k / steps);
      if (k % (steps / 4) == 0) {
        trace.append(cubeInPalm()).append(' ');
      }
    }
    run(0.3, new Pose3(grasp, rot), a.trigger());
    trace.append(String.format(java.util.Locale.ROOT, "closed: cube moved %.3f; ", cubeShift(c0)));
    Vec3 up = grasp.plus(new Vec3(0, 0, 0.15));
    move(new Pose3(grasp, rot), new Pose3(up, rot), 1.0, a.trigger());
    double minRise = Double.POSITIVE_INFINITY;
    double[] c = new double[3];
    double[] co = new double[4];
    for (int k = 0; k < Math.round(1.0 / tick); k++) {
      step(new Pose3(up, rot), a.trigger());
      world.objectPose(0, c, co);
      minRise = Math.min(minRise, c[2] - c0[2]);
    }
    world.objectPose(0, c, co);
    double below = fingersBelowCube(c[2]);
    trace.append(String.format(java.util.Locale.ROOT, "held: min rise %.3f final %.3f, %s %.3f below the cube",
        minRise, c[2] - c0[2], lowestLink, below));
    held = new Pose3(up, rot);
    heldTrigger = a.trigger();
    // the same hand with its fingers pitched down tilt less: tipped up, as the stack's carry tips them
    heldTipped = tilt -> Quat.fromAxisAngle(Vec3.UNIT_Z, graspYaw).times(Quat.fromAxisAngle(Vec3.UNIT_Y, a.pitch() - tilt))
        .times(Quat.fromAxisAngle(Vec3.UNIT_X, side * a.roll()));
    return new Result(minRise, c[2] - c0[2], below, trace.toString());
  }

  /** Where the last {@link #pick} held the cube up (palm target) and the trigger it held it with. */
  private Pose3 held;
  private double heldTrigger;
  private java.util.function.DoubleFunction<Quat> heldTipped;

  /**
   * After a {@link #pick}: tips the fingers up by {@code tilt} (rad) over 0.5 s
   * (as the stack's carry does), lets it settle 0.5 s, then holds the hand still for {@code seconds}.
   *
   * @return how far the cube moved in the palm's frame while the hand was still (m), and its top speed (m/s)
   */
  double[] holdTipped(double tilt, double seconds) {
    Pose3 tipped = new Pose3(held.translation(), heldTipped.apply(tilt));
    move(held, tipped, 0.5, heldTrigger);
    run(0.5, tipped, heldTrigger);
    Vec3 before = cubeInPalmFrame();
    double top = 0;
    double[] v = new double[3];
    for (int k = 0; k < Math.round(seconds / tick); k++) {
      step(tipped, heldTrigger);
      world.objectVelocity(0, v);
      top = Math.max(top, Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]));
    }
    return new double[] {cubeInPalmFrame().distance(before), top};
  }

  private Vec3 cubeInPalmFrame() {
    double[] p = new double[3];
    double[] o = new double[4];
    double[] c = new double[3];
    world.linkPose(palm.link(), p, o);
    world.objectPose(0, c, new double[4]);
    return new Quat(o[0], o[1], o[2], o[3]).inverse().rotate(new Vec3(c[0] - p[0], c[1] - p[1], c[2] - p[2]));
  }

  /**
   * Moves the palm from the home pose up to a rest pose over the table, then to {@code goal} (palm down,
   * fingers forward), holds it there for a second and returns how far (m) the physical palm ended from it.
   */
  double reach(Vec3 goal) {
    Pose3 start = data.linkPose(palm.link());
    double top = world.scene().tableTop();
    Quat down = graspOrientation(0, 0.4);
    Pose3 rest = new Pose3(new Vec3(0.14, 0.25 * side, top + 0.17), start.rotation());
    move(start, rest, 1.0, 0);
    move(rest, new Pose3(goal, down), 1.5, 0);
    run(1.0, new Pose3(goal, down), 0);
    return palmError(goal);
  }

  private double palmError(Vec3 goal) {
    double[] p = new double[3];
    double[] o = new double[4];
    world.linkPose(palm.link(), p, o);
    return new Vec3(p[0], p[1], p[2]).distance(goal);
  }

  private String cubeInPalm() {
    double[] p = new double[3];
    double[] o = new double[4];
    double[] c = new double[3];
    world.linkPose(palm.link(), p, o);
    world.objectPose(0, c, new double[4]);
    Vec3 v = new Quat(o[0], o[1], o[2], o[3]).inverse().rotate(new Vec3(c[0] - p[0], c[1] - p[1], c[2] - p[2]));
    return String.format(java.util.Locale.ROOT, "(%.3f %.3f %.3f)", v.x(), v.y(), v.z());
  }

  /**
   * How far (m) the lowest finger surface hangs below the bottom of a cube centred at height {@code cubeZ}
   * (negative: above it): what a held cube, set down on a surface, would land on first. Fingertip
   * points are the ends of the fingers' capsules; the joints (middle, distal) lie on the capsules' axes,
   * a finger's radius (at most 9 mm) above their surface.
   */
  private double fingersBelowCube(double cubeZ) {
    double lowest = Double.POSITIVE_INFINITY;
    double[] p = new double[3];
    double[] o = new double[4];
    for (int l = 0; l < OPTIMUS.links().size(); l++) {
      String name = OPTIMUS.links().get(l).name();
      boolean tip = name.endsWith("_tip");
      if (name.startsWith(prefix + "_") && (tip || name.endsWith("_distal") || name.endsWith("_middle"))) {
        world.linkPose(l, p, o);
        double z = p[2] - (tip ? 0 : 0.009);
        if (z < lowest) {
          lowest = z;
          lowestLink = name;
        }
      }
    }
    return cubeZ - edge / 2 - lowest;
  }

  private double cubeShift(double[] c0) {
    double[] c = new double[3];
    world.objectPose(0, c, new double[4]);
    return Math.sqrt((c[0] - c0[0]) * (c[0] - c0[0]) + (c[1] - c0[1]) * (c[1] - c0[1]) + (c[2] - c0[2]) * (c[2] - c0[2]));
  }

  /** Minimum-jerk move of the palm target from {@code a} to {@code b} over {@code seconds}. */
  private void move(Pose3 a, Pose3 b, double seconds, double trigger) {
    int n = (int) Math.round(seconds / tick);
    for (int k = 1; k <= n; k++) {
      double s = (double) k / n;
      s = s * s * s * (10 - 15 * s + 6 * s * s);
      Vec3 p = a.translation().times(1 - s).plus(b.translation().times(s));
      step(new Pose3(p, a.rotation().slerp(b.rotation(), s)), trigger);
    }
  }

  private void run(double seconds, Pose3 target, double trigger) {
    for (int k = 0; k < Math.round(seconds / tick); k++) {
      step(target, trigger);
    }
  }

  private void step(Pose3 target, double trigger) {
    if (target != null) {
      palm.setTarget(target);
      ik.solve(data, tick, 2);
      System.arraycopy(data.q, 0, q, 0, q.length);
      fingers.retargetController(trigger, 0, q);
      System.arraycopy(q, 0, data.q, 0, q.length);
      world.command(q);
    }
    world.step();
    fingerprint();
  }

  void close() {
    world.close();
  }
}

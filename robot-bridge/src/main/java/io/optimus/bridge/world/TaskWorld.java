package io.optimus.bridge.world;

import io.optimus.common.InputException;
import io.optimus.common.Stamps;
import io.optimus.motion.geometry.Rotations;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.TaskState;
import io.optimus.proto.v1.Vector3;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A tabletop in front of the robot (world frame = robot base frame: x forward, y left, z up, origin
 * on the floor between the feet) with one task on it. Objects rest on the table or the floor under
 * gravity; a hand grasps an object when its fingers close (closure rising through
 * {@link #CLOSE_THRESHOLD}) with the palm within reach of the object's centre, carries it rigidly, and
 * releases it when the fingers open below {@link #OPEN_THRESHOLD}. Randomized by seed.
 *
 * <p>Tasks: {@code pick-place}: a cube starts at a random spot; success when it rests, released, inside
 * the target area. {@code step} does not allocate.
 *
 * <p>Two modes. Kinematic ({@link #TaskWorld(String, String, long, double)}): {@link #step} moves the
 * objects (the grasp above, straight falls). Physical ({@link #physical}): a physics engine moves them
 * and its owner copies their states in with {@link #setObjectState}; {@link #step} is not used, nothing
 * is grasped by rule, and a {@link #reset} only lays out the new poses, which the engine picks up by
 * watching {@link #layoutVersion()}. The success predicate is the same in both.
 */
public final class TaskWorld {
  public static final List<String> TASKS = List.of("pick-place");
  /** An object moving slower than this (m/s) is at rest. */
  public static final double REST_SPEED = 0.02;
  /** How far (m) an object resting on a surface may sit above or below its nominal height. */
  public static final double HEIGHT_TOLERANCE = 0.005;
  /** How far (rad) a resting box may lean off a face and still count as upright. */
  public static final double UPRIGHT_TOLERANCE = 0.15;
  public static final double GRAVITY = 9.81;
  public static final double CLOSE_THRESHOLD = 0.6;
  public static final double OPEN_THRESHOLD = 0.3;
  /** Palm-to-object-centre distance within which closing fingers grasp (m). */
  public static final double GRASP_RADIUS = 0.06;

  /** Table: top surface height and footprint (world frame). */
  public final double tableTop;
  public final double tableMinX;
  public final double tableMaxX;
  public final double tableMinY;
  public final double tableMaxY;

  private final String task;
  private final String robotId;
  private final WorldObject cube;
  private final WorldObject[] objects;
  private final double[] target = new double[3];
  private final double[] targetSize = new double[3];
  private final String[] handNames = {"left_hand", "right_hand"};
  private final boolean[] handArmed = {true, true};
  private final double[] tmp = new double[4];
  private final double[] tmp2 = new double[4];
  private long seed;
  private final boolean physical;
  /** Incremented by every {@link #reset}: a physics engine re-places its objects when it changes. */
  private int layoutVersion;
  /** Closings since the last reset (closure rising through CLOSE_THRESHOLD with nothing held), and how many took. */
  private int graspAttempts;
  private int graspsTaken;
  /** Palm-to-cube-centre distance at the first closing since the last reset (m); NaN before one. */
  private double firstAttemptDistance = Double.NaN;

  /**
   * @param tableTop height of the table surface (m); objects are placed within the robot's reach
   */
  public TaskWorld(String robotId, String task, long seed, double tableTop) {
    this(robotId, task, seed, tableTop, false);
  }

  /** A task world whose objects a physics engine moves ({@link #setObjectState}); no kinematic grasp or fall. */
  public static TaskWorld physical(String robotId, String task, long seed, double tableTop) {
    return new TaskWorld(robotId, task, seed, tableTop, true);
  }

  private TaskWorld(String robotId, String task, long seed, double tableTop, boolean physical) {
    this.physical = physical;
    if (!TASKS.contains(task)) {
      throw new InputException("task '" + task + "' is unknown: expected one of " + TASKS);
    }
    this.robotId = robotId;
    this.task = task;
    this.tableTop = tableTop;
    this.tableMinX = 0.20; // the home pose's thumbs reach x 0.185 below the top: the front edge clears them
    this.tableMaxX = 0.75;
    this.tableMinY = -0.5;
    this.tableMaxY = 0.5;
    this.cube = new WorldObject("cube", 0.05, 0.05, 0.05, new float[] {0.85f, 0.15f, 0.1f});
    this.objects = new WorldObject[] {cube};
    targetSize[0] = 0.14;
    targetSize[1] = 0.14;
    targetSize[2] = 0.002;
    reset(seed);
  }

  /** New random layout: the cube on one side, the target area on the other, both within reach. */
  public void reset(long newSeed) {
    this.seed = newSeed;
    SplittableRandom rnd = new SplittableRandom(newSeed);
    double side = rnd.nextBoolean() ? 1 : -1;
    cube.position[0] = 0.30 + rnd.nextDouble() * 0.12;
    cube.position[1] = side * (0.05 + rnd.nextDouble() * 0.15);
    cube.position[2] = tableTop + cube.size[2] / 2;
    Rotations.quatFromYaw((rnd.nextDouble() - 0.5) * 1.2, cube.orientation);
    cube.verticalVelocity = 0;
    cube.heldBy = -1;
    target[0] = 0.30 + rnd.nextDouble() * 0.12;
    target[1] = -side * (0.08 + rnd.nextDouble() * 0.12);
    target[2] = tableTop;
    handArmed[0] = handArmed[1] = true;
    graspAttempts = 0;
    graspsTaken = 0;
    firstAttemptDistance = Double.NaN;
    for (WorldObject o : objects) {
      o.heldBy = -1;
      java.util.Arrays.fill(o.velocity, 0);
    }
    layoutVersion++;
  }

  /** Objects moved by physics, not by {@link #step}. */
  public boolean isPhysical() {
    return physical;
  }

  /** Changes with every {@link #reset} (a new layout to place). */
  public int layoutVersion() {
    return layoutVersion;
  }

  /**
   * Physical mode: object {@code index} (of {@link #objects()}) is at {@code position} with {@code orientation}
   * (w, x, y, z), moving at {@code velocity} (m/s), as the engine measured it. Allocation-free.
   */
  public void setObjectState(int index, double[] position, double[] orientation, double[] velocity) {
    WorldObject o = objects[index];
    System.arraycopy(position, 0, o.position, 0, 3);
    System.arraycopy(orientation, 0, o.orientation, 0, 4);
    System.arraycopy(velocity, 0, o.velocity, 0, 3);
    o.verticalVelocity = velocity[2];
  }

  /** Advances the world by {@code dt} seconds given where the hands are. */
  public void step(double dt, HandSample left, HandSample right) {
    if (physical) {
      throw new IllegalStateException("a physical task world is moved by its engine (setObjectState), not step");
    }
    updateHand(0, left);
    updateHand(1, right);
    for (WorldObject o : objects) {
      if (o.heldBy >= 0) {
        HandSample h = o.heldBy == 0 ? left : right;
        Rotations.quatRotate(h.orientation, o.heldOffset[0], o.heldOffset[1], o.heldOffset[2], tmp);
        o.position[0] = h.position[0] + tmp[0];
        o.position[1] = h.position[1] + tmp[1];
        o.position[2] = Math.max(support(o), h.position[2] + tmp[2]); // a hand cannot push it into the table
        Rotations.quatMultiply(h.orientation, o.heldRotation, o.orientation);
        Rotations.quatNormalize(o.orientation);
        o.verticalVelocity = 0;
      } else {
        fall(o, dt);
      }
      o.velocity[0] = 0;
      o.velocity[1] = 0;
      o.velocity[2] = o.verticalVelocity;
    }
  }

  private void updateHand(int index, HandSample h) {
    if (h == null || !h.valid) {
      return;
    }
    WorldObject held = heldBy(index);
    if (held != null) {
      if (h.closure < OPEN_THRESHOLD) {
        held.heldBy = -1; // released: it falls from here
        handArmed[index] = true;
      }
      return;
    }
    if (h.closure < OPEN_THRESHOLD) {
      handArmed[index] = true;
      return;
    }
    if (h.closure >= CLOSE_THRESHOLD && handArmed[index]) {
      handArmed[index] = false; // one grasp attempt per closing
      if (graspAttempts++ == 0) {
        firstAttemptDistance = distance(cube, h);
      }
      WorldObject o = nearest(h);
      if (o != null) {
        graspsTaken++;
        grasp(index, h, o);
      }
    }
  }

  private WorldObject heldBy(int hand) {
    for (WorldObject o : objects) {
      if (o.heldBy == hand) {
        return o;
      }
    }
    return null;
  }

  private WorldObject nearest(HandSample h) {
    WorldObject best = null;
    double bestD = GRASP_RADIUS;
    for (WorldObject o : objects) {
      if (o.heldBy >= 0) {
        continue;
      }
      double d = distance(o, h);
      if (d <= bestD) {
        bestD = d;
        best = o;
      }
    }
    return best;
  }

  private static double distance(WorldObject o, HandSample h) {
    double dx = o.position[0] - h.position[0];
    double dy = o.position[1] - h.position[1];
    double dz = o.position[2] - h.position[2];
    return Math.sqrt(dx * dx + dy * dy + dz * dz);
  }

  private void grasp(int index, HandSample h, WorldObject o) {
    o.heldBy = index;
    Rotations.quatConjugate(h.orientation, tmp2);
    Rotations.quatRotate(tmp2, o.position[0] - h.position[0], o.position[1] - h.position[1], o.position[2] - h.position[2],
        o.heldOffset);
    Rotations.quatMultiply(tmp2, o.orientation, o.heldRotation);
  }

  private double support(WorldObject o) {
    boolean overTable = o.position[0] >= tableMinX && o.position[0] <= tableMaxX
        && o.position[1] >= tableMinY && o.position[1] <= tableMaxY;
    return (overTable ? tableTop : 0) + o.size[2] / 2;
  }

  private void fall(WorldObject o, double dt) {
    double ground = support(o);
    if (o.position[2] <= ground + 1e-9 && o.verticalVelocity <= 0) {
      o.position[2] = ground;
      o.verticalVelocity = 0;
      settle(o);
      return;
    }
    o.verticalVelocity -= GRAVITY * dt;
    o.position[2] += o.verticalVelocity * dt;
    if (o.position[2] <= ground) {
      o.position[2] = ground;
      o.verticalVelocity = 0;
      settle(o);
    }
  }

  /** A box at rest lies flat: keep only its yaw. */
  private static void settle(WorldObject o) {
    if (Math.abs(o.orientation[1]) > 1e-9 || Math.abs(o.orientation[2]) > 1e-9) {
      Rotations.quatFromYaw(Rotations.quatYaw(o.orientation), o.orientation);
    }
  }

  /** Copies the layout and object states of {@code other} (same task) into this world, e.g. for rendering. */
  public void copyFrom(TaskWorld other) {
    for (int k = 0; k < objects.length; k++) {
      WorldObject a = objects[k];
      WorldObject b = other.objects[k];
      System.arraycopy(b.position, 0, a.position, 0, 3);
      System.arraycopy(b.orientation, 0, a.orientation, 0, 4);
      System.arraycopy(b.velocity, 0, a.velocity, 0, 3);
      a.heldBy = b.heldBy;
      a.verticalVelocity = b.verticalVelocity;
    }
    System.arraycopy(other.target, 0, target, 0, 3);
    seed = other.seed;
  }

  /**
   * The task's success predicate: the cube released, at rest ({@link #REST_SPEED}), resting upright on the
   * table inside the target area; tolerances that physics can meet (it settles into contact and never
   * stops exactly), the kinematic world meets them exactly.
   */
  public boolean success() {
    return !cube.held()
        && speed(cube) < REST_SPEED
        && restsOnTable(cube)
        && upright(cube)
        && insideTarget(cube);
  }

  private static double speed(WorldObject o) {
    double[] v = o.velocity;
    return Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  }

  /** {@code o} rests on the table top (its centre half its height above it, within {@link #HEIGHT_TOLERANCE}). */
  public boolean restsOnTable(WorldObject o) {
    return Math.abs(o.position[2] - (tableTop + o.size[2] / 2)) <= HEIGHT_TOLERANCE;
  }

  /** {@code o}'s centre lies inside the target area's footprint. */
  public boolean insideTarget(WorldObject o) {
    return Math.abs(o.position[0] - target[0]) <= targetSize[0] / 2
        && Math.abs(o.position[1] - target[1]) <= targetSize[1] / 2;
  }

  /** A box lies on one of its faces: one of its axes is within {@link #UPRIGHT_TOLERANCE} of vertical. */
  public static boolean upright(WorldObject o) {
    double w = o.orientation[0];
    double x = o.orientation[1];
    double y = o.orientation[2];
    double z = o.orientation[3];
    // the world z components of the box's x, y and z axes (the rotation matrix's last row)
    double zx = 2 * (x * z - w * y);
    double zy = 2 * (y * z + w * x);
    double zz = 1 - 2 * (x * x + y * y);
    double n = w * w + x * x + y * y + z * z;
    return Math.max(Math.abs(zx), Math.max(Math.abs(zy), Math.abs(zz))) >= Math.cos(UPRIGHT_TOLERANCE) * n;
  }

  /** Times a hand closed with nothing in it since the last reset (each a grasp attempt). */
  public int graspAttempts() {
    return graspAttempts;
  }

  /** Grasp attempts since the last reset that took an object. */
  public int graspsTaken() {
    return graspsTaken;
  }

  /** Palm-to-cube-centre distance (m) at the first grasp attempt since the last reset; NaN if none yet. */
  public double firstAttemptDistanceM() {
    return firstAttemptDistance;
  }

  public String task() {
    return task;
  }

  public long seed() {
    return seed;
  }

  public WorldObject cube() {
    return cube;
  }

  public WorldObject[] objects() {
    return objects;
  }

  /** Centre of the target area on the table (x, y, z), a copy. */
  public double[] targetCentre() {
    return target.clone();
  }

  public double[] targetSize() {
    return targetSize.clone();
  }

  public TaskState toProto() {
    TaskState.Builder b = TaskState.newBuilder()
        .setSchemaVersion(1)
        .setRobotId(robotId)
        .setStamp(Stamps.now())
        .setTask(task)
        .setSeed(seed)
        .setTargetArea(Pose.newBuilder()
            .setPosition(Vector3.newBuilder().setX(target[0]).setY(target[1]).setZ(target[2]))
            .setOrientation(Quaternion.newBuilder().setW(1)))
        .setTargetSize(Vector3.newBuilder().setX(targetSize[0]).setY(targetSize[1]).setZ(targetSize[2]))
        .setSuccess(success())
        .setGraspAttempts(graspAttempts)
        .setMissedGrasps(graspAttempts - graspsTaken);
    for (WorldObject o : objects) {
      b.addObjects(o.toProto(handNames));
    }
    return b.build();
  }
}

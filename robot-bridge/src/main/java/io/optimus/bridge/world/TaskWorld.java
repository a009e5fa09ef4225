package io.optimus.bridge.world;

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
 * <p>What is on the table, where, and what counts as done is the task's ({@link Task}: {@code pick-place},
 * {@code stack}, {@code handover}). Success is the task's goal held without a break for the task's
 * hold time; {@link #observe} keeps that time, the hands' closures, which hands held which object and
 * (a world that moves the objects itself calls it too). A released object lands on the table, the floor or another object under it. A hand may take an
 * object the other hand holds (a handover); the other then only lets go. {@code step} does not allocate.
 *
 * <p>Two modes. Kinematic ({@link #TaskWorld(String, String, long, double)}): {@link #step} moves the
 * objects (the grasp above, straight falls). Physical ({@link #physical}): a physics engine moves them
 * and its owner copies their states in with {@link #setObjectState} and then calls {@link #observe};
 * {@link #step} is not used, nothing is grasped by rule, and a {@link #reset} only lays out the new
 * poses, which the engine picks up by watching {@link #layoutVersion()}. The success predicates are the
 * same in both (poses and velocities within tolerances).
 */
public final class TaskWorld {
  public static final List<String> TASKS = Task.NAMES;
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
  private final Task definition;
  private final String robotId;
  private final WorldObject cube;
  private final WorldObject[] objects;
  /** Per object: the hand that held it before the other took it (-1 none); bits of the hands that ever held it. */
  private final int[] alsoHeldBy;
  private final int[] heldMask;
  /** Physical worlds: hands whose links touch each object now (bit 0 left, bit 1 right). */
  private final int[] touchedBy;
  private final double[] closure = new double[2];
  private double goalHeldS = -1;
  private final double[] target = new double[3];
  private final double[] targetSize = new double[3];
  private final String[] handNames = {"left_hand", "right_hand"};
  private final boolean[] handArmed = {true, true};
  /** Physical worlds: this hand's current closing has not yet lifted anything (taken or missed is known later). */
  private final boolean[] closingPending = new boolean[2];
  private final double[] tmp = new double[4];
  private final double[] tmp2 = new double[4];
  private long seed;
  /** The hand samples of the step in progress (a handover gives the object back to the other hand). */
  private HandSample otherLeft;
  private HandSample otherRight;
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
    this.definition = Task.create(task);
    this.robotId = robotId;
    this.task = task;
    this.tableTop = tableTop;
    this.tableMinX = 0.20; // the home pose's thumbs reach x 0.185 below the top: the front edge clears them
    this.tableMaxX = 0.75;
    this.tableMinY = -0.5;
    this.tableMaxY = 0.5;
    this.objects = definition.createObjects();
    WorldObject moved = null;
    for (WorldObject o : objects) {
      moved = o.name.equals("cube") ? o : moved;
    }
    this.cube = moved;
    this.alsoHeldBy = new int[objects.length];
    this.heldMask = new int[objects.length];
    this.touchedBy = new int[objects.length];
    reset(seed);
  }

  /** Refuses a task name that is not one of {@link #TASKS} (a one-line {@link io.optimus.common.InputException}). */
  public static void checkTask(String name) {
    Task.create(name);
  }

  /** New random layout of the task, all objects at rest on the table within reach. */
  public void reset(long newSeed) {
    this.seed = newSeed;
    for (WorldObject o : objects) {
      o.verticalVelocity = 0;
      java.util.Arrays.fill(o.velocity, 0);
      o.heldBy = -1;
    }
    target[2] = tableTop;
    targetSize[2] = 0.002;
    definition.layout(new SplittableRandom(newSeed), this);
    for (int k = 0; k < objects.length; k++) {
      alsoHeldBy[k] = -1;
      heldMask[k] = 0;
      touchedBy[k] = 0;
    }
    closure[0] = closure[1] = 0;
    goalHeldS = -1;
    handArmed[0] = handArmed[1] = true;
    closingPending[0] = closingPending[1] = false;
    graspAttempts = 0;
    graspsTaken = 0;
    firstAttemptDistance = Double.NaN;
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
   * Physical worlds: which hands' links touch object {@code index} now (bit 0 left, bit 1 right), from the
   * engine's contacts; {@link #observe} turns a touch of a lifted object into a hold.
   */
  public void setTouchedBy(int index, int handMask) {
    touchedBy[index] = handMask;
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

  /** The target area's centre on the table (x, y) and footprint (set by the task's layout). */
  void setTarget(double x, double y, double sx, double sy) {
    target[0] = x;
    target[1] = y;
    targetSize[0] = sx;
    targetSize[1] = sy;
  }

  /** The target's height (default: the table top). */
  void setTargetHeight(double z) {
    target[2] = z;
  }

  /** Advances the world by {@code dt} seconds given where the hands are. */
  public void step(double dt, HandSample left, HandSample right) {
    if (physical) {
      throw new IllegalStateException("a physical task world is moved by its engine (setObjectState), not step");
    }
    otherLeft = left;
    otherRight = right;
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
    observe(dt, left, right);
  }

  /**
   * Bookkeeping for the success predicate after the objects moved {@code dt} seconds (by
   * {@link #step}, or by a physics world that sets their states): the hands' closures, which hands held
   * which object, how long the goal has held.
   * A hand holds an object when the kinematic world's grasp rule says so ({@code heldBy}) or, in a
   * physical world, when the object is off its support and the hand's links touch it
   * ({@link #setTouchedBy}: contacts, no grasp radius); a physical world then reports that hand as
   * {@code held_by} too.
   */
  public void observe(double dt, HandSample left, HandSample right) {
    closure[0] = left != null && left.valid ? left.closure : 0;
    closure[1] = right != null && right.valid ? right.closure : 0;
    for (int k = 0; k < objects.length; k++) {
      WorldObject o = objects[k];
      if (o.heldBy >= 0) {
        heldMask[k] |= 1 << o.heldBy;
      }
      if (alsoHeldBy[k] >= 0) {
        heldMask[k] |= 1 << alsoHeldBy[k];
      }
      if (physical) {
        boolean lifted = o.position[2] - support(o) > 0.01;
        int touch = lifted ? touchedBy[k] : 0;
        heldMask[k] |= touch;
        // keep reporting the hand that held it while it still does; else the one touching it now
        if (o.heldBy < 0 || (touch & (1 << o.heldBy)) == 0) {
          o.heldBy = touch == 0 ? -1 : ((touch & 1) != 0 ? 0 : 1);
        }
      }
    }
    if (physical) {
      countClosing(0, left);
      countClosing(1, right);
    }
    definition.track(this);
    if (definition.goalMet(this)) {
      goalHeldS = goalHeldS < 0 ? 0 : goalHeldS + dt;
    } else {
      goalHeldS = -1;
    }
  }

  private void updateHand(int index, HandSample h) {
    if (h == null || !h.valid) {
      return;
    }
    WorldObject held = heldBy(index);
    if (held != null) {
      if (h.closure < OPEN_THRESHOLD) {
        int k = indexOf(held);
        held.heldBy = -1; // released: it falls from here, unless the other hand still holds it
        if (alsoHeldBy[k] >= 0) {
          int other = alsoHeldBy[k];
          alsoHeldBy[k] = -1;
          grasp(other, other == 0 ? otherLeft : otherRight, held);
        }
        handArmed[index] = true;
      }
      return;
    }
    if (h.closure < OPEN_THRESHOLD) {
      for (int k = 0; k < objects.length; k++) {
        if (alsoHeldBy[k] == index) {
          alsoHeldBy[k] = -1; // let go of what the other hand took
        }
      }
      handArmed[index] = true;
      return;
    }
    if (h.closure >= CLOSE_THRESHOLD && handArmed[index]) {
      handArmed[index] = false; // one grasp attempt per closing
      if (graspAttempts++ == 0) {
        firstAttemptDistance = distance(cube, h);
      }
      WorldObject o = nearest(index, h);
      if (o != null) {
        graspsTaken++;
        if (o.heldBy >= 0) {
          alsoHeldBy[indexOf(o)] = o.heldBy; // taken from the other hand, which still holds it
        }
        grasp(index, h, o);
      }
    }
  }

  /**
   * Physical worlds count grasp attempts as the kinematic grasp does (closure rising through
   * CLOSE_THRESHOLD after opening), but with no grasp radius a closing is known to have taken an object
   * only when, still closed, the hand holds one lifted by contact; one that opens again first missed.
   */
  private void countClosing(int hand, HandSample h) {
    if (h == null || !h.valid || h.closure < OPEN_THRESHOLD) {
      handArmed[hand] = true;
      closingPending[hand] = false;
      return;
    }
    if (h.closure >= CLOSE_THRESHOLD && handArmed[hand]) {
      handArmed[hand] = false;
      closingPending[hand] = true;
      if (graspAttempts++ == 0) {
        firstAttemptDistance = distance(cube, h);
      }
    }
    if (closingPending[hand] && holdsLifted(hand)) {
      closingPending[hand] = false;
      graspsTaken++;
    }
  }

  /** Physical worlds: this hand's links touch an object that is off its support. */
  private boolean holdsLifted(int hand) {
    for (int k = 0; k < objects.length; k++) {
      if ((touchedBy[k] & (1 << hand)) != 0 && objects[k].position[2] - support(objects[k]) > 0.01) {
        return true;
      }
    }
    return false;
  }

  private WorldObject heldBy(int hand) {
    for (WorldObject o : objects) {
      if (o.heldBy == hand) {
        return o;
      }
    }
    return null;
  }

  private int indexOf(WorldObject o) {
    for (int k = 0; k < objects.length; k++) {
      if (objects[k] == o) {
        return k;
      }
    }
    return -1;
  }

  /** The nearest object within reach that this hand does not hold already (the other hand's counts: a handover). */
  private WorldObject nearest(int hand, HandSample h) {
    WorldObject best = null;
    double bestD = GRASP_RADIUS;
    for (WorldObject o : objects) {
      if (o.heldBy == hand || alsoHeldBy[indexOf(o)] >= 0) {
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

  /** The height of {@code o}'s centre resting on what is under it: the table, the floor or another object's top. */
  private double support(WorldObject o) {
    boolean overTable = o.position[0] >= tableMinX && o.position[0] <= tableMaxX
        && o.position[1] >= tableMinY && o.position[1] <= tableMaxY;
    double under = overTable ? tableTop : 0;
    double bottom = o.position[2] - o.size[2] / 2;
    for (WorldObject b : objects) {
      if (b == o || b.heldBy >= 0) {
        continue;
      }
      double top = b.position[2] + b.size[2] / 2;
      boolean over = Math.abs(o.position[0] - b.position[0]) <= b.size[0] / 2
          && Math.abs(o.position[1] - b.position[1]) <= b.size[1] / 2;
      if (over && top <= bottom + 0.01 && top > under) {
        under = top;
      }
    }
    return under + o.size[2] / 2;
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
      alsoHeldBy[k] = other.alsoHeldBy[k];
      heldMask[k] = other.heldMask[k];
    }
    System.arraycopy(other.target, 0, target, 0, 3);
    System.arraycopy(other.targetSize, 0, targetSize, 0, 3);
    System.arraycopy(other.closure, 0, closure, 0, 2);
    goalHeldS = other.goalHeldS;
    seed = other.seed;
  }

  /** The task's success predicate: its goal has held, unbroken, for the task's hold time. */
  public boolean success() {
    return goalHeldS >= definition.holdSeconds() - 1e-9;
  }

  /** Whether the task's goal is met now (success once it has held long enough). */
  public boolean goalMet() {
    return definition.goalMet(this);
  }

  /** {@code o} is released and slower than {@link #REST_SPEED}. */
  public boolean atRest(WorldObject o) {
    double[] v = o.velocity;
    return !o.held() && Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]) < REST_SPEED;
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

  /** Both hands open (closure below {@link #OPEN_THRESHOLD}, or absent) at the last {@link #observe}. */
  public boolean handsOpen() {
    return closure[0] < OPEN_THRESHOLD && closure[1] < OPEN_THRESHOLD;
  }

  /** The hands that held {@code o} since the last reset: bit 0 left, bit 1 right. */
  public int handsThatHeld(WorldObject o) {
    int k = indexOf(o);
    return k < 0 ? 0 : heldMask[k];
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

  /** The object the task moves (named {@code cube} in every task). */
  public WorldObject cube() {
    return cube;
  }

  /** The task's object called {@code name}, or null. */
  public WorldObject object(String name) {
    for (WorldObject o : objects) {
      if (o.name.equals(name)) {
        return o;
      }
    }
    return null;
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

package io.optimus.teleop.scripted;

import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.ObjectState;
import io.optimus.proto.v1.TaskState;
import java.util.SplittableRandom;

/**
 * What a person does to put the cube into the target area, planned in the robot base frame from the
 * task state the robot publishes: reach above the cube along a curved path, come down (a little off,
 * as people are), see the error and correct it just above the cube, come down onto it and close the
 * hand, check the grasp took (the robot reports it, or lift a little and watch the cube come along;
 * if not, open, back off and try again, reaching deeper), lift, carry, set it down where the cube
 * will land in the target (or, where the arm cannot come lower over the area, let it drop the last
 * centimetres), open, withdraw, judge the outcome and mark it. Movements follow minimum-jerk profiles
 * with randomized durations, via points, aim errors, pauses and a physiological tremor (seeded:
 * reproducible).
 *
 * <p>The hand on the cube's side does the work; its grasp level closes the fingers; the deadman is
 * held while the episode runs. Buttons: right B starts/stops recording, right A marks success, left Y
 * marks failure (see {@code OperatorControls}).
 */
public final class PickPlacePlanner implements ScriptedPlanner {
  public static final String CUBE = "cube";
  static final double PRESS_S = 0.12;
  static final int MAX_GRASP_ATTEMPTS = 4;
  /** A cube whose bottom is this far (m) below the table top has fallen off it: not picked up again. */
  static final double OFF_TABLE = 0.05;
  /**
   * The largest horizontal aim error (m) of a descent onto the cube: now and then (3 times in 10) the
   * hand comes down this far off (half to all of it) and the operator sees it and corrects (CORRECT).
   */
  static final double AIM_ERROR_MAX = 0.035;
  /** How close (m) the carried cube must be to its goal before the hand opens. */
  static final double PLACE_TOLERANCE = 0.015;
  /** How close (m) the robot's palm, as seen, must be to where it grasps the cube before the hand closes. */
  static final double REACH_TOLERANCE = 0.005;
  /** How fast the wrist turns towards a new orientation (1/s, exponential). */
  static final double WRIST_RATE = 3.0;
  /** A seen palm error beyond this (m) is not believed (the arm is in some odd state): no correction. */
  static final double MAX_SEEN_ERROR = 0.12;
  /** The corrected aim point stays within this distance (m) of where the palm grasps the cube. */
  static final double MAX_REACH_CORRECTION = 0.10;
  /**
   * The carried cube may be let go once it is this far (m) inside the target area's edge and at most
   * {@link #MAX_DROP} above the table. The target is always across the body from the cube, and an arm
   * reaching across the chest has less range low than high: coming down, the robot's hand drags the
   * cube back towards the midline, out of the area. A person lets it drop the last few centimetres
   * instead (live, kinematic: 24 of 30 episodes placed with a precise set-down only, 27 of 30 with the drop;
   * benchmarks/scripted-pick-place.md).
   */
  static final double DROP_MARGIN = 0.015;
  static final double MAX_DROP = 0.16;
  /**
   * The hand opens over this long (s): snapped open, the squeezed cube sprang out of the physics hand
   * (4 cm towards the body).
   */
  static final double OPEN_S = 0.5;
  /**
   * Opened, the cube still hangs this far (m) or more above where it is set down, by the palm: it is stuck
   * in the open hand (physics: wedged between the straight fingers in front, the palm above and the
   * thumb's base behind, 5-9 hand links touching). The hand then tips its fingers up by {@link #TIP_UP}
   * and rises a little ({@link #TIP_RISE}) so the cube drops out of the front, before withdrawing;
   * withdrawn as it was, the hand dragged the cube 8-10 cm off the area.
   */
  static final double STUCK_ABOVE = 0.01;
  static final double TIP_UP = 0.7;
  static final double TIP_RISE = 0.015;
  /**
   * Lowering the carried cube onto what it is set down on before opening ({@link #lowerOnto}): over this long (s),
   * by at most this far (m).
   */
  static final double LOWER_S = 0.4;
  static final double MAX_LOWER = 0.03;
  /** At most this many shifts line the carried cube up over its goal; then it is lowered as it is. */
  static final int MAX_ALIGN_CORRECTIONS = 4;
  /** The hand rests this long (s) after each shift before the operator judges where the cube hangs. */
  static final double ALIGN_SETTLE_S = 0.3;
  /** The corrected place point stays within this distance (m) of the nominal one. */
  static final double MAX_PLACE_CORRECTION = 0.20;

  /** A fumbled first grasp closes this far (m, horizontally) from the cube: the fingers close on nothing. */
  static final double FUMBLE_MIN = 0.065;
  static final double FUMBLE_MAX = 0.09;

  /** Typical time (s) the robot's hand takes to come to the start pose after the deadman engages it. */
  static final double SETTLE_FOLLOW_S = 0.8;
  /** How close (m) the seen palm must come to the start pose before the reach begins. */
  static final double REST_TOLERANCE = 0.04;

  /**
   * Fingers tilted down (rad) when grasping: the fingertips come down beyond the cube's far edge while
   * the palm is just above its top (a level hand would put the fingertips on top of the cube).
   */
  static final double GRASP_PITCH = 0.67;
  /** Fingers tilted down (rad) while reaching above the cube: less than grasping, within the wrist's easy range. */
  static final double REACH_PITCH = 0.4;
  /**
   * Where the cube's centre is in the palm frame (m; x along the fingers, y towards the thumb, z out
   * of the palm) when the left hand closes on it; mirrored in y for the right hand. The palm comes
   * down just onto the cube's top, a little behind it and to the thumb's side of it: the curling
   * fingers hook its far edge and drag it back along the table under the palm, against the thumb
   * closing behind it, and it is held there by friction (with the optimus hand in the physics world:
   * TablePickTest). The hand cannot pick a cube resting on the table with the palm on its centre.
   */
  static final Vec3 CUBE_IN_PALM = new Vec3(0.062, 0.010, 0.010);
  /**
   * A cube nearer than this (m, forward of the robot's base) is grasped with the fingers turned towards the
   * midline ({@link #graspYaw}). Reaching there low with the fingers straight ahead or turned out, the
   * upper arm came up against the torso (the self-collision guard refused the steps), the palm stopped
   * 1.5-3 cm off the grasp, and the closing fingers pushed the cube back off the table's front edge
   * (physics: 5 of the 6 closure failures over seeds 1-50).
   */
  static final double NEAR_X = 0.35;
  /**
   * A cube that fell out of the hand on the way or was let go off the area, still upright on the table,
   * is picked up again (at most this many times an episode), by the hand on its side: carried across the
   * body low and near it, the hand stopped at the midline (the arm against the torso) and the cube slipped
   * out there (physics: the carry failures of seeds 1-50).
   */
  static final int MAX_REPICKS = 2;
  /** Where (m, robot frame) a dropped cube is still within reach to be picked up again. */
  static final double REPICK_MIN_X = 0.24;
  static final double REPICK_MAX_X = 0.50;
  static final double REPICK_MAX_Y = 0.28;
  /** Each retry after closing short of the cube reaches this much deeper (fraction of {@link #CUBE_IN_PALM}). */
  static final double RETRY_DEEPER = 0.15;
  /** The hand is aligned this far above the grasp (m), then comes straight down onto the cube. */
  static final Vec3 HOVER = new Vec3(0, 0, 0.025);
  /** How long (s) the hand rests on the cube before the fingers close (the robot's hand lags the operator's). */
  static final double CLOSE_SETTLE_S = 0.3;
  /** Raised this far (m) after closing, to see whether the cube comes along. */
  static final double TEST_LIFT = 0.04;
  /**
   * The cube is seen held when its centre is this far (m) above where it rests on the table, and near
   * the palm: more than a cube tipped onto an edge by the fingers rises (0.2 of its edge).
   */
  static final double SEEN_LIFTED = 0.02;

  public enum Phase {
    WAIT_TASK, SETTLE, REACH, DESCEND, CORRECT, CLOSE, VERIFY, REGRASP, LIFT, CARRY, PLACE, RELEASE, WITHDRAW,
    JUDGE, STOP_RECORDING, WAIT_RESET, DONE
  }

  /**
   * The steps of letting go (within RELEASE, and the start of WITHDRAW): not begun; lowering the cube onto what
   * it is set down on ({@link #lowerOnto}); opening in place; tipping the fingers up to let a cube stuck in the
   * opened hand drop out; lifting clear of the released cube (the open fingers still reach down past it).
   */
  private enum ReleaseStep { NONE, LOWERING, OPENING, TIPPING, LIFTING_CLEAR }

  /** One tick's intent: palm poses (robot frame), finger and deadman levels, buttons held. */
  public static final class Output {
    public final Pose3[] palm = new Pose3[2];
    public final double[] trigger = new double[2];
    /** The deadman is held (motion allowed). */
    public boolean deadman;
    public boolean recordButton;
    public boolean successButton;
    public boolean failureButton;
    public Vec3 lookAt = new Vec3(0.4, 0, 0.8);
  }

  /** Told when an episode ends (e.g. to ask the bridge for a new task layout). */
  public interface Listener {
    void episodeEnded(int episode, boolean success);
  }

  private final SplittableRandom rnd;
  private final int episodes;
  private final boolean record;
  private final Listener listener;
  /** Durations, aim errors, curved paths, pauses and tremor, drawn from {@link #rnd} (one seeded stream). */
  private final HumanMotion motion;
  /** The deadman and the record / success / failure buttons. */
  private final OperatorHandsOnControls controls;

  private Phase phase = Phase.WAIT_TASK;
  private double phaseStart;
  private double pauseUntil;
  private int hand; // 0 left, 1 right: the working hand
  private final Vec3[] rest = new Vec3[2];
  private final Vec3[] pos = new Vec3[2];
  /** Palm orientations sent, turning towards {@link #rotTarget} as a wrist does (not instantly). */
  private final Quat[] rot = {neutral(0), neutral(1)};
  private final Quat[] rotTarget = {neutral(0), neutral(1)};
  private double lastTick = Double.NaN;
  private MinJerkPath path;
  private double trigger;
  private double deadmanDelay;
  private double tableTop;
  private Vec3 cubeAtGraspOffset = Vec3.ZERO; // cube centre - palm, when grasped
  private Vec3 placeGoal = Vec3.ZERO;         // where the cube centre should be when let go
  private int placeCorrections;
  /** Lining the carried cube up over its goal from above (the first part of PLACE), and how often it was shifted. */
  private boolean aligning;
  /** Height (m) of the surface the cube is set down on (the table, the base's top). */
  private double placeSurface;
  private int alignCorrections;
  /** The palm where the carried cube was over the target area (null if it never was), to drop it from. */
  private Vec3 placeAbove;
  private boolean raisedToDrop;
  private int reachCorrections;
  private PalmFeedback palms = PalmFeedback.none();
  private int attempts;
  /** The hand was raised after closing to see whether the cube comes along (VERIFY). */
  private boolean testLifted;
  /** Grasps of this episode that closed short of the cube, not moving it (fumbles are not counted). */
  private int misses;
  /** Times this episode the operator went back for a cube that fell or was let go off its goal. */
  private int repicks;
  private boolean fumbled;
  /** Where the cube was when the hand came down to close on it (to see whether closing moved it). */
  private Vec3 cubeAtClose = Vec3.ZERO;
  /** Probability that the first grasp of an episode is fumbled (closed short of the cube), to show recoveries. */
  private double fumbleRate;
  /** Fingers tipped up (rad) while carrying and setting the cube down (0: set down as grasped). */
  private double setDownTilt;
  /** A dropped cube is picked up again at most this many times an episode, from this region ({@link #repicks}). */
  private int maxRepicks = MAX_REPICKS;
  private double repickMinX = REPICK_MIN_X;
  private double repickMaxY = REPICK_MAX_Y;
  /** How high (m) above the surface the cube's lowest corner is lowered before the hand opens; negative: not lowered. */
  private double lowerClearance = -1;
  /** Where the hand is in letting go of the cube and getting off it ({@link #release}, {@link #withdraw}). */
  private ReleaseStep releaseStep = ReleaseStep.NONE;
  private boolean fumbling;
  /** Table point (x, y; robot frame) looked at for the whole episode; null: follow the cube, then the target. */
  private double[] steadyGaze;
  private int episode;
  private int successes;
  private long taskSeed = Long.MIN_VALUE;
  private boolean lastSuccess;

  public PickPlacePlanner(long seed, int episodes, boolean record, Listener listener) {
    if (episodes < 1) {
      throw new IllegalArgumentException("episodes must be at least 1, not " + episodes);
    }
    this.rnd = new SplittableRandom(seed);
    this.episodes = episodes;
    this.record = record;
    this.listener = listener == null ? (e, s) -> { } : listener;
    this.motion = new HumanMotion(rnd);
    this.controls = new OperatorHandsOnControls(motion);
  }

  /**
   * Fumbles the first grasp of an episode with probability {@code rate}: the hand comes down short of
   * the cube and closes on nothing; the operator sees it did not take, opens, backs off and grasps
   * again (the VERIFY and REGRASP phases). Demonstrations without misses never show a policy what to
   * do after closing on nothing: one that closed a few centimetres short carried its empty hand to the
   * target and stopped there. Default 0. (Noticing only after lifting was tried too: the policy then
   * let go of cubes it held.)
   */
  public PickPlacePlanner fumbleRate(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("fumble rate must be within [0, 1], not " + rate);
    }
    this.fumbleRate = rate;
    return this;
  }

  /**
   * Carries and sets the cube down with the fingers tipped up by {@code tilt} rad (default 0: as grasped),
   * so that the cube's near bottom edge, not the fingertips curled under its far bottom edge, is the lowest
   * point of the hand and cube: set down on a top smaller than the hand (the stack's base), the fingertips
   * otherwise land on it first and the cube is let go above it. The cube is lined up so that, opened, it
   * tips down flat about that near edge onto the goal.
   */
  public PickPlacePlanner setDownTilt(double tilt) {
    if (!(tilt >= 0 && tilt < 1.2)) {
      throw new IllegalArgumentException("set-down tilt must be within [0, 1.2) rad, not " + tilt);
    }
    this.setDownTilt = tilt;
    return this;
  }

  /**
   * Before the hand opens over the goal, it lowers the cube (over {@link #LOWER_S}) until its lowest corner, as seen,
   * is {@code clearance} m above the surface it is set down on (by at most {@link #MAX_LOWER}). Default: not lowered
   * (pick-and-place sets the cube down from just above the table and opens there). (The stack: its set-down stopped
   * with the cube 1-2 cm over the base, and the cube, let go there, fell off it. Often the hand, held up by contact
   * (its fingers on the base, it seems), does not come down, and only presses.)
   */
  public PickPlacePlanner lowerOnto(double clearance) {
    if (!(clearance >= 0 && clearance <= 0.02)) {
      throw new IllegalArgumentException("lowering clearance must be within [0, 0.02] m, not " + clearance);
    }
    this.lowerClearance = clearance;
    return this;
  }

  /**
   * Picks a dropped cube up again at most {@code times} an episode (default {@link #MAX_REPICKS}), where it
   * rests more than {@code minX} m forward (default {@link #REPICK_MIN_X}) and less than {@code maxY} m to
   * either side (default {@link #REPICK_MAX_Y}). The stack's cube, lost over the base, often lands just
   * outside pick-and-place's region (at the table's front edge or further out to the side).
   */
  public PickPlacePlanner repicks(int times, double minX, double maxY) {
    if (times < 0 || times > 5 || !(minX >= 0.2 && minX < REPICK_MAX_X) || !(maxY > 0 && maxY <= 0.4)) {
      throw new IllegalArgumentException("repicks: 0-5 times, from x within [0.2, " + REPICK_MAX_X
          + ") m, up to |y| 0.4 m, not " + times + ", " + minX + ", " + maxY);
    }
    this.maxRepicks = times;
    this.repickMinX = minX;
    this.repickMaxY = maxY;
    return this;
  }

  /**
   * Keeps looking at one point of the table ({@code x}, {@code y} in the robot frame, at the table's
   * height) instead of following the cube and then the target. The head camera then stays still in an
   * episode and a pixel means the same spot of the table in every one: a policy reads the cube's
   * place from the image alone. Following it, the cube sits mid-image and its place is in the head's
   * joint angles, which a policy learned poorly: it reached 5-7 cm short of cubes near the body.
   */
  public PickPlacePlanner steadyGaze(double x, double y) {
    if (!Double.isFinite(x) || !Double.isFinite(y)) {
      throw new IllegalArgumentException("gaze point must be finite, not (" + x + ", " + y + ")");
    }
    this.steadyGaze = new double[] {x, y};
    return this;
  }

  public Phase phase() {
    return phase;
  }

  /** The working hand of the current episode: 0 left, 1 right. */
  public int hand() {
    return hand;
  }

  public int episodesDone() {
    return episode;
  }

  public int successes() {
    return successes;
  }

  public boolean finished() {
    return phase == Phase.DONE;
  }

  /** Advances to time {@code t} (seconds, monotonic) given the latest task state (may be null) and fills {@code out}. */
  public void tick(double t, TaskState task, Output out) {
    tick(t, task, null, out);
  }

  /**
   * As {@link #tick(double, TaskState, Output)}, also watching the robot's safety mode (may be null):
   * a person whose deadman press did not engage the robot lets go and presses again.
   */
  public void tick(double t, TaskState task, ControlMode robotMode, Output out) {
    tick(t, task, robotMode, PalmFeedback.none(), out);
  }

  /** ... and watching where the robot's palms really are (the video), to correct the reach. */
  public void tick(double t, TaskState task, ControlMode robotMode, PalmFeedback palms, Output out) {
    this.palms = palms;
    ObjectState cube = task == null ? null : find(task, CUBE);
    if (t >= pauseUntil) {
      step(t, task, cube);
    }
    controls.apply(t, robotMode, out);
    for (int h = 0; h < 2; h++) {
      Vec3 p = pos[h] == null ? new Vec3(0.15, h == 0 ? 0.28 : -0.28, 0.9) : pos[h];
      if (h == hand && path != null && phaseMoves()) {
        p = path.at(t - phaseStart);
        pos[h] = p;
      }
      Vec3 jitter = motion.tremor(t, h); // physiological tremor, about a millimetre
      double step = Double.isNaN(lastTick) ? 1 : Math.min(1, Math.max(0, t - lastTick) * WRIST_RATE);
      rot[h] = rot[h].slerp(rotTarget[h], step).normalized();
      out.palm[h] = new Pose3(p.plus(jitter), rot[h]);
      out.trigger[h] = h == hand ? trigger : 0;
    }
    lastTick = t;
    if (cube != null && steadyGaze != null) {
      out.lookAt = new Vec3(steadyGaze[0], steadyGaze[1], cube.getPose().getPosition().getZ() - halfHeight(cube));
    } else if (cube != null) {
      out.lookAt = phase.ordinal() >= Phase.LIFT.ordinal() && task.hasTargetArea()
          ? vec(task.getTargetArea().getPosition()) : vec(cube.getPose().getPosition());
    }
  }

  private boolean phaseMoves() {
    return switch (phase) {
      case SETTLE, REACH, DESCEND, CORRECT, CLOSE, VERIFY, REGRASP, LIFT, CARRY, PLACE, WITHDRAW -> true;
      case RELEASE -> releaseStep == ReleaseStep.LOWERING || releaseStep == ReleaseStep.TIPPING;
      default -> false;
    };
  }

  private void step(double t, TaskState task, ObjectState cube) {
    double dt = t - phaseStart;
    boolean needsTask = phase.ordinal() >= Phase.SETTLE.ordinal() && phase.ordinal() <= Phase.PLACE.ordinal();
    if (needsTask && (cube == null || !task.hasTargetArea())) {
      return; // no task state yet (or it vanished): hold still
    }
    switch (phase) {
      case WAIT_TASK -> waitForTask(t, task, cube);
      case SETTLE -> settle(t, dt, cube);
      case REACH -> reach(t, dt, cube);
      case DESCEND -> descend(t, dt, cube);
      case CORRECT -> correctReach(t, dt, cube);
      case CLOSE -> close(t, dt);
      case VERIFY -> verifyGrasp(t, dt, cube);
      case REGRASP -> regrasp(t, dt, cube);
      case LIFT -> lift(t, dt, task, cube);
      case CARRY -> carry(t, dt, task, cube);
      case PLACE -> place(t, dt, task, cube);
      case RELEASE -> release(t, dt, cube);
      case WITHDRAW -> withdraw(t, dt, task, cube);
      case JUDGE -> judge(t, dt);
      case STOP_RECORDING -> stopRecording(t, dt);
      case WAIT_RESET -> waitForReset(t, dt, task, cube);
      case DONE -> { }
    }
  }

  /** A fresh task (cube not yet placed, not held): start an episode. */
  private void waitForTask(double t, TaskState task, ObjectState cube) {
    if (cube != null && !task.getSuccess() && cube.getHeldBy().isEmpty()) {
      startEpisode(t, task, cube);
    }
  }

  /** Look at the scene, take the deadman, wait for the robot's hand to come to the start pose, then reach out. */
  private void settle(double t, double dt, ObjectState cube) {
    // look at the scene a moment, then take the deadman
    controls.deadman(Math.max(0, Math.min(1, (dt - deadmanDelay) / 0.1)));
    if (dt < deadmanDelay + 0.1) {
      return;
    }
    // the robot only starts following once engaged: wait for its hand to come to the start pose
    // (as seen; without a view, for a typical follow time) before reaching out from there
    double engaged = dt - deadmanDelay - 0.1;
    Vec3 seen = palms.palm(hand);
    boolean arrived = seen == null ? engaged > SETTLE_FOLLOW_S : seen.distance(rest[hand]) < REST_TOLERANCE;
    if (dt > path.duration() && (arrived || engaged > SETTLE_FOLLOW_S + 1.5)) {
      Vec3 c = vec(cube.getPose().getPosition());
      Vec3 above = c.plus(new Vec3(0, 0, 0.10 + 0.03 * rnd.nextDouble())).plus(aimError(0.015));
      move(t, Phase.REACH, curved(pos[hand], above, 0.05, 0.04, human(1.1)), pause());
      rotTarget[hand] = orientation(cube, hand, REACH_PITCH); // tilting further on the way down
    }
  }

  /** Above the cube: come down onto it, a little off (or, fumbling, well short of it). */
  private void reach(double t, double dt, ObjectState cube) {
    if (path.done(dt)) {
      Vec3 c = graspPalm(cube, hand, misses).plus(HOVER);
      fumbling = fumbleRate > 0 && attempts == 0 && rnd.nextDouble() < fumbleRate;
      fumbled = fumbling;
      if (fumbling) { // misjudged: stop short of the cube and close there
        double r = FUMBLE_MIN + (FUMBLE_MAX - FUMBLE_MIN) * rnd.nextDouble();
        double a = rnd.nextDouble() * 2 * Math.PI;
        Vec3 centre = vec(cube.getPose().getPosition());
        Vec3 miss = new Vec3(centre.x() + r * Math.cos(a), centre.y() + r * Math.sin(a), c.z() - HOVER.z() + 0.02 * rnd.nextDouble());
        move(t, Phase.DESCEND, MinJerkPath.straight(pos[hand], miss, human(0.6)), 0);
        return;
      }
      rotTarget[hand] = graspOrientation(cube, hand);
      double err = rnd.nextDouble() < 0.3 ? AIM_ERROR_MAX : 0.02; // now and then clearly off
      move(t, Phase.DESCEND, MinJerkPath.straight(pos[hand], c.plus(aimError(err)), human(0.6)), 0);
    }
  }

  /** Down: look, see the error and correct towards the cube as it is now (a fumble closes where it is). */
  private void descend(double t, double dt, ObjectState cube) {
    if (path.done(dt) && fumbling) {
      fumbling = false;
      cubeAtClose = vec(cube.getPose().getPosition());
      move(t, Phase.CLOSE, MinJerkPath.straight(pos[hand], pos[hand], 0.01), 0);
    } else if (path.done(dt)) { // look, see the error, correct towards the cube as it is now
      Vec3 c = graspPalm(cube, hand, misses).plus(HOVER).plus(aimError(0.004));
      move(t, Phase.CORRECT, MinJerkPath.straight(pos[hand], c, human(0.35)), 0.05 + 0.15 * rnd.nextDouble());
    }
  }

  /** Nudge the robot's palm (as seen) onto the cube, in moderation, then close. */
  private void correctReach(double t, double dt, ObjectState cube) {
    if (path.done(dt)) {
      // the robot's hand (as seen) may lag or miss the target: wait a moment, then nudge it onto the cube
      Vec3 seen = palms.palm(hand);
      Vec3 c = graspPalm(cube, hand, misses).plus(HOVER);
      Vec3 err = seen == null ? Vec3.ZERO : c.minus(seen);
      // a person trusts what they see only when it is plausible, and corrects in moderation
      boolean plausible = err.norm() <= MAX_SEEN_ERROR;
      Vec3 next = pos[hand].plus(err.times(0.8));
      boolean bounded = next.minus(c).norm() <= MAX_REACH_CORRECTION;
      if (seen == null || !plausible || !bounded || err.norm() < REACH_TOLERANCE || dt > path.duration() + 2.5
          || reachCorrections >= 6) {
        // aligned just above: the last centimetres straight down, then close
        cubeAtClose = vec(cube.getPose().getPosition());
        move(t, Phase.CLOSE, MinJerkPath.straight(pos[hand], pos[hand].minus(HOVER), human(0.3)), 0);
      } else if (dt > path.duration() + 0.4) {
        reachCorrections++;
        move(t, Phase.CORRECT, MinJerkPath.straight(pos[hand], next, human(0.35)), 0);
      }
    }
  }

  /** Down onto the cube, then close the fingers. */
  private void close(double t, double dt) {
    double settle = path.duration() + CLOSE_SETTLE_S; // the hand comes to rest on the cube first
    if (dt < settle) {
      return;
    }
    // slowly: the bridge limits the fingers' acceleration, and fingers that lag the trigger close on the
    // cube after the hand has been lifted off it (0.45 s: 0 of 10 physics episodes grasped, 0.9 s: 6 of 10)
    double closeTime = 0.9;
    trigger = Math.min(1, (dt - settle) / closeTime);
    if (dt - settle >= closeTime) {
      attempts++;
      testLifted = false;
      move(t, Phase.VERIFY, MinJerkPath.straight(pos[hand], pos[hand], 0.05), 0); // hold still, closed
    }
  }

  /**
   * Did the grasp take? The robot may say so (a rule-based grasp reports the holding hand); else lift
   * a little and watch whether the cube comes along. Then lift; else open, back off and try again
   * (or give up).
   */
  private void verifyGrasp(double t, double dt, ObjectState cube) {
    if (reportedHeld(cube) || testLifted && path.done(dt) && held(cube)) {
      Vec3 c = vec(cube.getPose().getPosition());
      cubeAtGraspOffset = c.minus(pos[hand]);
      Vec3 up = pos[hand].plus(new Vec3(0, 0, 0.12 + 0.04 * rnd.nextDouble() - (testLifted ? TEST_LIFT : 0)));
      move(t, Phase.LIFT, MinJerkPath.straight(pos[hand], up, human(0.6)), 0.05);
    } else if (!testLifted && dt > 0.3) { // let the fingers settle on it, then try
      testLifted = true;
      move(t, Phase.VERIFY, MinJerkPath.straight(pos[hand], pos[hand].plus(new Vec3(0, 0, TEST_LIFT)), human(0.4)), 0);
    } else if (testLifted && path.done(dt) && dt > path.duration() + 0.25) { // it did not take: open, back off, try again
      // the fingers closed and the cube did not budge: they closed short of it, reach deeper next time
      // (a cube they dragged but could not hold was reached right)
      boolean budged = cube != null && vec(cube.getPose().getPosition()).distance(cubeAtClose) > 0.01;
      misses += fumbled || budged ? 0 : 1;
      fumbled = false;
      trigger = 0;
      // a cube knocked off the table is out of reach: coming down on it again would drive the hand into the
      // table top (an episode lost all the same, 10-20 s later)
      boolean offTable = cube == null || cube.getPose().getPosition().getZ() - halfHeight(cube) < tableTop - OFF_TABLE;
      if (attempts >= MAX_GRASP_ATTEMPTS || offTable) {
        rotTarget[hand] = neutral(hand);
        move(t, Phase.WITHDRAW, curved(pos[hand], rest[hand], 0.08, 0.02, human(1.0)), 0.1);
      } else {
        Vec3 back = pos[hand].plus(new Vec3(0, 0, 0.05));
        move(t, Phase.REGRASP, MinJerkPath.straight(pos[hand], back, human(0.35)), 0.1);
      }
    }
  }

  /** Backed off after a missed grasp: come down onto the cube again. */
  private void regrasp(double t, double dt, ObjectState cube) {
    if (path.done(dt)) {
      Vec3 c = graspPalm(cube, hand, misses).plus(HOVER).plus(aimError(0.004));
      rotTarget[hand] = graspOrientation(cube, hand);
      reachCorrections = 0;
      move(t, Phase.CORRECT, MinJerkPath.straight(pos[hand], c, human(0.45)), 0.05);
    }
  }

  /** Lifted: carry the cube above the target area. */
  private void lift(double t, double dt, TaskState task, ObjectState cube) {
    if (path.done(dt)) {
      Vec3 target = vec(task.getTargetArea().getPosition());
      Vec3 palmGoal = target.plus(new Vec3(0, 0, halfHeight(cube))).minus(cubeAtGraspOffset);
      Vec3 above = palmGoal.plus(new Vec3(0, 0, 0.08 + 0.04 * rnd.nextDouble())).plus(aimError(0.01));
      if (setDownTilt > 0) { // tipped on the way (tipped only for the set-down, the cube slipped out: 0 of 6 stacked)
        rotTarget[hand] = fingersTippedUp(rotTarget[hand], setDownTilt);
      }
      move(t, Phase.CARRY, curved(pos[hand], above, 0.04, 0.06, human(1.2)), pause());
    }
  }

  /** Above the target: first line the carried cube up over its goal (PLACE, aligning), then set it down. */
  private void carry(double t, double dt, TaskState task, ObjectState cube) {
    if (path.done(dt)) {
      Vec3 target = vec(task.getTargetArea().getPosition());
      double margin = 0.004 + 0.006 * rnd.nextDouble(); // set it down from just above the table
      placeGoal = target.plus(new Vec3(0, 0, halfHeight(cube) + margin)).plus(tiltedCentre(halfHeight(cube)));
      placeSurface = target.z();
      placeCorrections = 0;
      alignCorrections = 0;
      aligning = true;
      raisedToDrop = false;
      Vec3 c = vec(cube.getPose().getPosition());
      placeAbove = insideTarget(task, c, DROP_MARGIN) ? pos[hand] : null;
      // hold still a moment and look where the cube hangs before lining it up
      move(t, Phase.PLACE, MinJerkPath.straight(pos[hand], pos[hand], 0.01), 0.05);
    }
  }

  /**
   * Lines the carried cube up over its goal from above, as a person does before setting something down
   * on a small spot: watch where the cube hangs, shift the hand by what is off (a few times, in
   * moderation), then lower it straight down onto its goal height. Coming down at a slant, a carried
   * cube met the edge of what it was set onto and was knocked out of the physics hand.
   */
  private void align(double t, double dt, TaskState task, ObjectState cube) {
    if (!path.done(dt) || dt < path.duration() + ALIGN_SETTLE_S) {
      return;
    }
    Vec3 c = vec(cube.getPose().getPosition());
    Vec3 off = new Vec3(placeGoal.x() - c.x(), placeGoal.y() - c.y(), 0);
    if (off.norm() <= alignTolerance(task) || alignCorrections >= MAX_ALIGN_CORRECTIONS || !held(cube)) {
      aligning = false;
      Vec3 down = pos[hand].minus(new Vec3(0, 0, Math.max(0, c.z() - placeGoal.z())));
      move(t, Phase.PLACE, MinJerkPath.straight(pos[hand], down, human(0.9)), 0.05);
      return;
    }
    alignCorrections++;
    Vec3 nominal = new Vec3(placeGoal.x(), placeGoal.y(), pos[hand].z()).minus(horizontal(cubeAtGraspOffset));
    Vec3 fix = pos[hand].plus(off.times(0.9)).minus(nominal);
    fix = nominal.plus(fix.norm() > MAX_PLACE_CORRECTION ? fix.times(MAX_PLACE_CORRECTION / fix.norm()) : fix);
    move(t, Phase.PLACE, MinJerkPath.straight(pos[hand], fix, human(0.4)), 0);
  }

  /** {@link #tiltedCentre(Vec3, double, double)} for the working hand's heading and {@link #setDownTilt}. */
  private Vec3 tiltedCentre(double h) {
    return tiltedCentre(rot[hand].rotate(Vec3.UNIT_X), h, setDownTilt);
  }

  /**
   * Where the centre of a cube of half size {@code h}, held with the fingers (pointing along
   * {@code fingers}) tipped up by {@code tilt} rad, is relative to where it comes to rest once it has
   * tipped down flat about its near bottom edge, which is lowest: the cube falls forward along the
   * fingers' heading.
   */
  static Vec3 tiltedCentre(Vec3 fingers, double h, double tilt) {
    if (tilt <= 0) {
      return Vec3.ZERO;
    }
    Vec3 heading = horizontal(fingers).norm() < 1e-9 ? Vec3.UNIT_X : horizontal(fingers).normalized();
    double c = Math.cos(tilt);
    double s = Math.sin(tilt);
    return heading.times(-h * (1 - c + s)).plus(new Vec3(0, 0, h * (c + s - 1)));
  }

  private static Vec3 horizontal(Vec3 v) {
    return new Vec3(v.x(), v.y(), 0);
  }

  /**
   * How far (m, horizontally) the carried cube may hang off its goal before it is lowered: a fraction
   * of the target's half size (a 14 cm area: 2 cm; the stack's base top, 3 cm across as the planner sees it: 6 mm).
   */
  private static double alignTolerance(TaskState task) {
    double hx = task.hasTargetSize() && task.getTargetSize().getX() > 0 ? task.getTargetSize().getX() / 2 : 0.07;
    double hy = task.hasTargetSize() && task.getTargetSize().getY() > 0 ? task.getTargetSize().getY() / 2 : 0.07;
    return Math.min(0.02, 0.4 * Math.min(hx, hy));
  }

  /** Watch the carried cube and let go once it is where it should be (correcting, or raising it to drop it). */
  private void place(double t, double dt, TaskState task, ObjectState cube) {
    if (aligning) {
      align(t, dt, task, cube);
    } else if (path.done(dt)) {
      // watch the cube (it moves with the robot's hand): let go only once it is where it should be
      Vec3 c = vec(cube.getPose().getPosition());
      Vec3 err = placeGoal.minus(c);
      boolean settled = dt > path.duration() + 0.3;
      double drop = c.z() - halfHeight(cube) - tableTop;
      boolean inside = insideTarget(task, c, DROP_MARGIN);
      if (err.norm() < PLACE_TOLERANCE || !held(cube) || dt > path.duration() + 2.5
          || settled && inside && drop < MAX_DROP) {
        phase(t, Phase.RELEASE); // low enough over the area: a short drop does no harm
      } else if (settled && !inside && !raisedToDrop && placeAbove != null && placeCorrections >= 1) {
        // coming down across the body dragged the cube out of the area (the arm has less reach low):
        // back up to where it was over the area, to let it drop from there
        raisedToDrop = true;
        move(t, Phase.PLACE, MinJerkPath.straight(pos[hand], placeAbove, human(0.5)), 0.05);
      } else if (settled && placeCorrections < 3 && !raisedToDrop) {
        placeCorrections++;
        // corrections accumulate when the robot's hand does not follow: keep them near the nominal
        // palm goal (an unreachable target only drags the arm somewhere else)
        Vec3 nominal = placeGoal.minus(cubeAtGraspOffset);
        Vec3 fix = pos[hand].plus(err).minus(nominal);
        fix = nominal.plus(fix.norm() > MAX_PLACE_CORRECTION ? fix.times(MAX_PLACE_CORRECTION / fix.norm()) : fix);
        move(t, Phase.PLACE, MinJerkPath.straight(pos[hand], fix, human(0.35)), 0);
      }
    }
  }

  /**
   * Lower the cube onto what it is set down on (if asked to, {@link #lowerOnto}), open the hand in place (tip the
   * cube out if it stays in it), then withdraw to the rest pose.
   */
  private void release(double t, double dt, ObjectState cube) {
    if (releaseStep == ReleaseStep.NONE) {
      releaseStep = ReleaseStep.OPENING;
      double lower = lowerClearance < 0 || cube == null ? 0 : Math.min(MAX_LOWER, lowestCorner(cube) - placeSurface - lowerClearance);
      if (lower > 0) { // the cube hangs above where it is set down: lower it onto it, closed, then open
        releaseStep = ReleaseStep.LOWERING;
        path = MinJerkPath.straight(pos[hand], pos[hand].minus(new Vec3(0, 0, lower)), LOWER_S);
      }
    }
    if (releaseStep == ReleaseStep.LOWERING) {
      if (dt < LOWER_S + 0.1) {
        return;
      }
      releaseStep = ReleaseStep.OPENING;
      phase(t, Phase.RELEASE); // now open, from here
      dt = 0;
    }
    if (releaseStep == ReleaseStep.OPENING) {
      trigger = Math.max(0, 1 - dt / OPEN_S);
      if (dt < OPEN_S + 0.1) {
        return;
      }
      if (stuckInHand(cube)) {
        releaseStep = ReleaseStep.TIPPING;
        rotTarget[hand] = fingersTippedUp(rot[hand], TIP_UP);
        move(t, Phase.RELEASE, MinJerkPath.straight(pos[hand], pos[hand].plus(new Vec3(0, 0, TIP_RISE)), human(0.8)), 0);
        return;
      }
    } else if (!path.done(dt) || dt < path.duration() + 0.3) {
      return; // tipping, then a moment for the cube to drop
    }
    // off the cube the way the back of the hand faces first (and up): the open fingers reach past the
    // cube and the palm rests on its edge; pulled back or straight up, the hand dragged or tipped it
    Vec3 back = rot[hand].rotate(Vec3.UNIT_Z).times(-1);
    Vec3 up = pos[hand].plus(back.times(0.05)).plus(new Vec3(0, 0, 0.05));
    rotTarget[hand] = neutral(hand);
    releaseStep = ReleaseStep.LIFTING_CLEAR;
    move(t, Phase.WITHDRAW, MinJerkPath.straight(pos[hand], up, human(0.6)), 0);
  }

  /** The height (m) of the cube's lowest corner, from its seen pose. */
  private static double lowestCorner(ObjectState cube) {
    Quat q = quat(cube);
    return cube.getPose().getPosition().getZ() - halfHeight(cube)
        * (Math.abs(q.rotate(Vec3.UNIT_X).z()) + Math.abs(q.rotate(Vec3.UNIT_Y).z()) + Math.abs(q.rotate(Vec3.UNIT_Z).z()));
  }

  /** The opened hand still holds the cube up off the surface it was set down on, by the palm. */
  private boolean stuckInHand(ObjectState cube) {
    if (cube == null || pos[hand] == null) {
      return false;
    }
    Vec3 c = vec(cube.getPose().getPosition());
    return c.z() - halfHeight(cube) - placeSurface > STUCK_ABOVE && c.distance(pos[hand]) < 0.12;
  }

  /**
   * {@code palm} (x along the fingers) turned about its own across-the-palm axis so that the fingers
   * point {@code angle} rad further up.
   */
  static Quat fingersTippedUp(Quat palm, double angle) {
    Vec3 across = palm.rotate(Vec3.UNIT_Y);
    Quat a = Quat.fromAxisAngle(across, angle).times(palm).normalized();
    Quat b = Quat.fromAxisAngle(across, -angle).times(palm).normalized();
    return a.rotate(Vec3.UNIT_X).z() >= b.rotate(Vec3.UNIT_X).z() ? a : b;
  }

  /** Back at rest: judge the outcome and press success or failure. */
  private void withdraw(double t, double dt, TaskState task, ObjectState cube) {
    boolean liftingClear = releaseStep == ReleaseStep.LIFTING_CLEAR;
    if (liftingClear && path.done(dt)) { // clear of the cube: now back to rest
      releaseStep = ReleaseStep.NONE;
      move(t, Phase.WITHDRAW, curved(pos[hand], rest[hand], 0.02, 0.02, human(0.8)), 0);
    } else if (!liftingClear && path.done(dt) && dt > path.duration() + 0.3) { // let the cube settle
      lastSuccess = task != null && task.getSuccess();
      if (!lastSuccess && repicks < maxRepicks && task != null && task.hasTargetArea() && pickableAgain(cube)) {
        repick(t, cube);
        return;
      }
      press(t, lastSuccess ? OperatorHandsOnControls.SUCCESS : OperatorHandsOnControls.FAILURE);
      phase(t, Phase.JUDGE);
    }
  }

  /**
   * The heading (rad, about z) of one of the cube's horizontal face normals: its yaw when it stands on its
   * bottom face, and as well when it has rolled onto another face.
   */
  static double faceHeading(ObjectState cube) {
    Quat q = quat(cube);
    if (Math.abs(q.rotate(Vec3.UNIT_Z).z()) > Math.sqrt(0.5)) { // on its bottom (or top) face: its yaw
      io.optimus.proto.v1.Quaternion p = cube.getPose().getOrientation();
      return Math.atan2(2 * (p.getW() * p.getZ() + p.getX() * p.getY()), 1 - 2 * (p.getY() * p.getY() + p.getZ() * p.getZ()));
    }
    Vec3 a = q.rotate(Vec3.UNIT_X);
    if (Math.abs(a.z()) > Math.sqrt(0.5)) { // the x axis points up or down: the y axis lies flat
      a = q.rotate(Vec3.UNIT_Y);
    }
    return Math.atan2(a.y(), a.x());
  }

  /** The cube rests on one of its faces (whichever), within 0.2 rad. */
  private static boolean onAFace(ObjectState cube) {
    Quat q = quat(cube);
    double most = 0;
    for (Vec3 axis : new Vec3[] {Vec3.UNIT_X, Vec3.UNIT_Y, Vec3.UNIT_Z}) {
      most = Math.max(most, Math.abs(q.rotate(axis).z()));
    }
    return most > Math.cos(0.2);
  }

  private static Quat quat(ObjectState cube) {
    io.optimus.proto.v1.Quaternion q = cube.getPose().getOrientation();
    Quat r = new Quat(q.getW(), q.getX(), q.getY(), q.getZ());
    return r.norm() > 0 ? r.normalized() : new Quat(1, 0, 0, 0);
  }

  /**
   * The cube is not where it should be, but rests on a face on the table within reach, free: it fell out
   * of the hand on the way or was let go outside the area. A person picks it up again.
   */
  private boolean pickableAgain(ObjectState cube) {
    if (cube == null || !cube.getHeldBy().isEmpty()) {
      return false;
    }
    Vec3 c = vec(cube.getPose().getPosition());
    return Math.abs(c.z() - halfHeight(cube) - tableTop) < 0.01 && onAFace(cube)
        && c.x() > repickMinX && c.x() < REPICK_MAX_X && Math.abs(c.y()) < repickMaxY;
  }

  /**
   * Pick the cube up again, with the hand on its side now (it may have fallen across the midline),
   * from the reach above it: grasp attempts and misses start afresh.
   */
  private void repick(double t, ObjectState cube) {
    repicks++;
    hand = cube.getPose().getPosition().getY() >= 0 ? 0 : 1;
    freshGrasp();
    Vec3 c = vec(cube.getPose().getPosition());
    Vec3 above = c.plus(new Vec3(0, 0, 0.10 + 0.03 * rnd.nextDouble())).plus(aimError(0.015));
    rotTarget[hand] = orientation(cube, hand, REACH_PITCH);
    move(t, Phase.REACH, curved(pos[hand], above, 0.05, 0.04, human(1.1)), pause());
  }

  /** Stop the recording. */
  private void judge(double t, double dt) {
    if (dt > 0.4) {
      if (record) {
        press(t, OperatorHandsOnControls.RECORD);
      }
      phase(t, Phase.STOP_RECORDING);
    }
  }

  /** Let go of the deadman; the episode ends. */
  private void stopRecording(double t, double dt) {
    controls.deadman(Math.max(0, 1 - dt / 0.25)); // let go of the deadman
    if (dt > 0.4) {
      episode++;
      if (lastSuccess) {
        successes++;
      }
      listener.episodeEnded(episode, lastSuccess);
      phase(t, episode >= episodes ? Phase.DONE : Phase.WAIT_RESET);
    }
  }

  /** Wait for a new task layout (or carry on with what is there, or stop). */
  private void waitForReset(double t, double dt, TaskState task, ObjectState cube) {
    boolean fresh = task != null && task.getSeed() != taskSeed && !task.getSuccess();
    if (fresh) {
      phase(t, Phase.WAIT_TASK);
    } else if (dt > 5) { // nobody reset the task: carry on with what is there, or stop
      phase(t, cube != null && !task.getSuccess() ? Phase.WAIT_TASK : Phase.DONE);
    }
  }

  private static boolean insideTarget(TaskState task, Vec3 c, double margin) {
    Vec3 target = vec(task.getTargetArea().getPosition());
    double hx = task.hasTargetSize() && task.getTargetSize().getX() > 0 ? task.getTargetSize().getX() / 2 : 0.07;
    double hy = task.hasTargetSize() && task.getTargetSize().getY() > 0 ? task.getTargetSize().getY() / 2 : 0.07;
    return Math.abs(c.x() - target.x()) <= hx - margin && Math.abs(c.y() - target.y()) <= hy - margin;
  }

  private void startEpisode(double t, TaskState task, ObjectState cube) {
    taskSeed = task.getSeed();
    repicks = 0;
    freshGrasp();
    tableTop = cube.getPose().getPosition().getZ() - halfHeight(cube);
    hand = cube.getPose().getPosition().getY() >= 0 ? 0 : 1;
    for (int h = 0; h < 2; h++) {
      rest[h] = new Vec3(0.16 + 0.04 * rnd.nextDouble(), h == 0 ? 0.26 : -0.26, tableTop + 0.16 + 0.04 * rnd.nextDouble());
      if (pos[h] == null) {
        pos[h] = rest[h];
      }
    }
    if (record) {
      press(t, OperatorHandsOnControls.RECORD);
    }
    // settle into the rest pose (from wherever the hand was), hesitating a moment
    deadmanDelay = 0.5 + 0.3 * rnd.nextDouble();
    move(t, Phase.SETTLE, MinJerkPath.straight(pos[hand], rest[hand], human(0.5)), 0);
  }

  /** Grasp attempts, misses, corrections and the release start afresh (a new episode, or a cube picked up again). */
  private void freshGrasp() {
    attempts = 0;
    misses = 0;
    fumbling = false;
    fumbled = false;
    reachCorrections = 0;
    releaseStep = ReleaseStep.NONE;
  }

  private void press(double t, int button) {
    controls.press(t, button);
  }

  private void phase(double t, Phase next) {
    phase = next;
    phaseStart = t;
  }

  private void move(double t, Phase next, MinJerkPath p, double pause) {
    path = p;
    pauseUntil = t + pause;
    phase(t + pause, next);
  }

  private double human(double nominal) {
    return motion.human(nominal);
  }

  private Vec3 aimError(double max) {
    return motion.aimError(max);
  }

  private MinJerkPath curved(Vec3 from, Vec3 to, double lift, double swing, double duration) {
    return motion.curved(from, to, lift, swing, duration);
  }

  private double pause() {
    return motion.pause();
  }

  /**
   * The relaxed pose of a hand held in front of the body: fingers forward, palm facing the body's
   * midline (a handshake), in the palm convention (x along the fingers, z out of the palm).
   */
  static Quat neutral(int hand) {
    return Quat.fromAxisAngle(Vec3.UNIT_X, hand == 0 ? Math.PI / 2 : -Math.PI / 2);
  }

  /**
   * Palm down over the cube, fingers forward and tilted down by {@link #GRASP_PITCH}, turned to the cube's yaw (the palm frame: x along the
   * fingers, z out of the palm). Quaternions are Hamilton (w, x, y, z).
   */
  public static Quat graspOrientation(ObjectState cube) {
    return graspOrientation(cube, cube.getPose().getPosition().getY() >= 0 ? 0 : 1);
  }

  /**
   * Where hand {@code h}'s palm goes to grasp the cube ({@link #CUBE_IN_PALM}), after {@code misses}
   * grasps that did not take (each retry reaches a little deeper, as people do).
   */
  public static Vec3 graspPalm(ObjectState cube, int h, int misses) {
    return graspPalm(cube, graspOrientation(cube, h), h, misses);
  }

  /** {@link #graspPalm(ObjectState, int, int)} with the palm turned to {@code orientation}. */
  static Vec3 graspPalm(ObjectState cube, Quat orientation, int h, int misses) {
    return vec(cube.getPose().getPosition()).minus(orientation.rotate(cubeInPalm(h, misses)));
  }

  /**
   * Hand {@code h}'s palm orientation to grasp the cube ({@link #graspOrientation(ObjectState)}), with the
   * fingers along one of the cube's faces: the one nearest straight ahead, or, for a cube nearer than
   * {@link #NEAR_X} to the body, the nearest one that turns the fingers towards the midline (not away).
   */
  public static Quat graspOrientation(ObjectState cube, int h) {
    return orientation(cube, h, GRASP_PITCH);
  }

  private static Quat orientation(ObjectState cube, int h, double pitch) {
    return Quat.fromAxisAngle(Vec3.UNIT_Z, graspYaw(cube, h)).times(Quat.fromAxisAngle(Vec3.UNIT_Y, pitch))
        .times(new Quat(0, 1, 0, 0));
  }

  /**
   * The fingers' heading (rad, about z; 0 straight ahead) to grasp the cube with hand {@code h}: along a
   * face, within 45 degrees of straight ahead, except near the body ({@link #NEAR_X}), where fingers that
   * would point away from the midline (the left hand's to the left) turn a face further, to point up to 90
   * degrees towards it: low and close, the elbow then comes out to the side instead of against the torso.
   */
  static double graspYaw(ObjectState cube, int h) {
    double yaw = Math.IEEEremainder(faceHeading(cube), Math.PI / 2);
    double outward = h == 0 ? 1 : -1; // the left hand's outside is +y
    if (cube.getPose().getPosition().getX() < NEAR_X && outward * yaw > 0) {
      yaw -= outward * Math.PI / 2;
    }
    return yaw;
  }

  private static Vec3 cubeInPalm(int h, int misses) {
    double deeper = Math.max(0.4, 1 - RETRY_DEEPER * misses);
    return new Vec3(CUBE_IN_PALM.x(), h == 0 ? CUBE_IN_PALM.y() : -CUBE_IN_PALM.y(), CUBE_IN_PALM.z()).times(deeper);
  }

  /**
   * The working hand holds the cube: the robot says so ({@code held_by}: the kinematic world's grasp rule,
   * or the physics world's hand touching the lifted cube), or it is seen lifted off the table near the palm.
   */
  private boolean held(ObjectState cube) {
    if (cube == null) {
      return false;
    }
    Vec3 c = vec(cube.getPose().getPosition());
    return reportedHeld(cube)
        || c.z() - halfHeight(cube) - tableTop > SEEN_LIFTED && pos[hand] != null && c.distance(pos[hand]) < 0.15;
  }

  /** The robot reports the working hand holding the cube. */
  private boolean reportedHeld(ObjectState cube) {
    return HumanMotion.heldBy(cube, hand);
  }

  private static double halfHeight(ObjectState cube) {
    return HumanMotion.halfHeight(cube);
  }

  static ObjectState find(TaskState task, String name) {
    return HumanMotion.find(task, name);
  }

  private static Vec3 vec(io.optimus.proto.v1.Vector3 v) {
    return HumanMotion.vec(v);
  }
}

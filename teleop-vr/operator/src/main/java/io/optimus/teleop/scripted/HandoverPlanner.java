package io.optimus.teleop.scripted;

import static io.optimus.teleop.scripted.HumanMotion.find;
import static io.optimus.teleop.scripted.HumanMotion.halfHeight;
import static io.optimus.teleop.scripted.HumanMotion.heldBy;
import static io.optimus.teleop.scripted.HumanMotion.position;
import static io.optimus.teleop.scripted.HumanMotion.vec;

import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.ObjectState;
import io.optimus.proto.v1.TaskState;
import java.util.SplittableRandom;

/**
 * What a person does in the handover task (the bimanual task of the ALOHA papers), so that it works by
 * contact and friction (the physics world) as well as by the kinematic world's grasp rule: the hand on
 * the cube's side (the giver) picks it from above as in pick-and-place ({@link PickPlacePlanner#graspPalm}:
 * fingers hooked over its far face, thumb behind it; the grasp checked by a test lift). As it lifts the
 * cube, the other hand (the taker) holds its palm out flat, fingers forward, in front of the chest past
 * the midline; the giver brings the cube straight over that palm as it sees it (the arm puts it short of
 * and above where it is sent), lines it up 4 cm over it and sets it down on it; the taker curls its
 * fingers, and once the cube is seen lying on the palm (or the robot reports the taker holding it) the
 * giver opens and backs off upwards. The taker carries the cube over the target area on its side, as low
 * as its arm goes palm up, opens, tips its fingers down so the cube slides off their tips onto the table
 * (in the kinematic world it drops as the hand opens), pulls them back out from under it and withdraws.
 *
 * <p>Why so: held by friction, the giver's hook grip does not last (held still over the midline the cube
 * slid out past the thumb within 1-2 s), so the taker waits for the cube rather than the other way round;
 * a palm turned towards the midline lets the cube slide off its edge. The self-collision guard keeps the
 * hands' capsules 1 cm apart (a hand is about a 4 cm sphere around the middle of its palm box): with the
 * cube between them, one above, one below, the hands stay clear of each other. Movements follow
 * minimum-jerk profiles with seeded durations, via points, aim errors, pauses and tremor ({@link HumanMotion}).
 */
public final class HandoverPlanner implements ScriptedPlanner {
  public static final String CUBE = PickPlacePlanner.CUBE;
  // The giver picks with pick-and-place's contact grasp, so it shares that grasp's attempts, aim error and
  // reach tolerance rather than copies of them.
  static final int MAX_GRASP_ATTEMPTS = PickPlacePlanner.MAX_GRASP_ATTEMPTS;
  static final int MAX_TAKE_ATTEMPTS = 3;
  static final double AIM_ERROR_MAX = PickPlacePlanner.AIM_ERROR_MAX;
  static final double REACH_TOLERANCE = PickPlacePlanner.REACH_TOLERANCE;
  /** How close (m) the taker's palm, as seen, must come under the cube before it closes. */
  static final double TAKE_TOLERANCE = 0.01;
  /** Seen further than this (m) from under the cube, the taker's palm is not believed: no correction. */
  static final double MAX_TAKE_ERROR = 0.25;
  static final int MAX_TAKE_CORRECTIONS = 6;
  /** The giver's corrections keep its palm within this distance (m) of where it first brought the cube. */
  static final double GIVER_CORRECTION_S = 0.7;
  static final double MAX_MEET_CORRECTION = 0.3;
  /** The taker's palm seen this close (m) to where it takes the cube: the giver may let go. */
  static final double TAKE_IN_PLACE = 0.025;
  static final double MAX_SEEN_ERROR = 0.12;
  static final double MAX_REACH_CORRECTION = 0.10;
  static final double MAX_PLACE_CORRECTION = 0.15;
  static final double WRIST_RATE = 3.0;
  static final double SETTLE_FOLLOW_S = 0.8;
  static final double REST_TOLERANCE = 0.04;
  /** The palm link's origin lies this far (m) out of the palm's surface (the optimus hand). */
  static final double PALM_ORIGIN_OUT = 0.015;
  /** The taker's palm surface comes this far (m) under the cube's bottom: it takes the cube's weight only when the giver lets go. */
  static final double TAKE_GAP = 0.008;
  /** How far the taker's fingers close (trigger) around the cube: up its inner face, not over its top. */
  static final double TAKE_CLOSURE = 0.75;
  /**
   * The meeting point: this far forward (m) and above the table, plus up to 4 cm. Nearer the chest the
   * taker's upper arm came within the guard's margin of the torso and the last centimetres were refused.
   */
  static final double MEET_X = 0.38;
  /**
   * The meeting point lies this far (m, plus up to 4 cm) past the midline on the taker's side: the giver
   * reaches across the body as in pick-and-place, the taker need not. At 3 cm the guard kept the flat
   * palm-up taker's upper arm off the torso (kinematic 38/50, 48/50 at 9 cm; physics seeds 1-16: the cube
   * reached the taker's palm in 4, at 9 cm in 10).
   */
  static final double MEET_SIDE = 0.09;
  static final double MEET_HEIGHT = 0.12;
  /** The taker's palm origin this far (m) ahead of the cube's centre: the cube on the palm, short of the finger roots. */
  static final double TAKE_AHEAD = 0.01;
  /** The giver lines the cube up this high (m) over its rest on the taker's palm, then lowers it. */
  static final double ALIGN_ABOVE = 0.04;
  /** ... and lowers it this much (m) further, onto the palm (the giver's fingertips may touch the palm first). */
  static final double SET_DOWN_PRESS = 0.005;
  /** The cube seen this close (m) to its rest on the taker's palm lies on it. */
  static final double REST_ON_PALM = 0.025;
  /**
   * The taker's palm, fingers forward, is turned this far (rad) from facing up towards the midline. Flat:
   * turned (0.8, for the guard reaching under the cube in the kinematic world), a cube set on it in the
   * physics world slid off its edge (seeds 1 and 4, 0.3 rad too).
   */
  static final double TAKE_ROLL = 0.0;
  /** The carried cube's bottom this high (m) over the table when the taker lets it slide off. */
  static final double PLACE_HEIGHT = 0.05;
  /**
   * How far (rad) the open hand tips its fingers down to let the cube slide off their tips. Palm up, the
   * hand does not get lower than 11-13 cm over the table by the area: dropped from there, the cube bounced
   * 7-12 cm away; poured off the fingertips it falls 4 cm (the arm tips some 25 degrees of it).
   */
  static final double POUR_ANGLE = 1.1;
  /** The poured cube slides forward along the fingers: hold it this far (m) nearer the body than the area's centre. */
  static final double POUR_BEHIND = 0.03;
  /** After pouring, the hand pulls its fingertips this far (m) back out from under the cube before it turns back. */
  static final double PULL_BACK = 0.10;

  public enum Phase {
    WAIT_TASK, SETTLE, REACH, DESCEND, CORRECT, CLOSE, VERIFY, REGRASP, LIFT, MEET, GIVE_ALIGN, GIVE_LOWER, TAKE_CLOSE,
    TAKE_VERIFY, GIVE_OPEN, GIVE_BACK, CARRY, PLACE, RELEASE, TIP, WITHDRAW, JUDGE, STOP_RECORDING, WAIT_RESET, DONE
  }

  private final HumanMotion human;
  /** The deadman and the record / success / failure buttons. */
  private final OperatorHandsOnControls controls;
  private final int episodes;
  private final boolean record;
  private final PickPlacePlanner.Listener listener;

  private Phase phase = Phase.WAIT_TASK;
  private double phaseStart;
  private double pauseUntil;
  private int giver;
  private int taker;
  private final Vec3[] rest = new Vec3[2];
  private final Vec3[] pos = new Vec3[2];
  private final MinJerkPath[] path = new MinJerkPath[2];
  private final double[] pathStart = new double[2];
  private final double[] trigger = new double[2];
  private final Quat[] rot = {PickPlacePlanner.neutral(0), PickPlacePlanner.neutral(1)};
  private final Quat[] rotTarget = {PickPlacePlanner.neutral(0), PickPlacePlanner.neutral(1)};
  private double lastTick = Double.NaN;
  private double deadmanDelay;
  private double tableTop;
  private double half = 0.0225; // the cube's half height
  private Vec3 cubeOffset = Vec3.ZERO; // cube centre - working palm, when held
  private Vec3 meet = Vec3.ZERO;
  private Vec3 placeGoal = Vec3.ZERO;
  private int corrections;
  private int attempts;
  private int misses;
  private boolean testLifted;
  private boolean pulling;
  private Vec3 cubeAtClose = Vec3.ZERO;
  private int takeAttempts;
  private PalmFeedback palms = PalmFeedback.none();
  private int episode;
  private int successes;
  private long taskSeed = Long.MIN_VALUE;
  private boolean lastSuccess;

  public HandoverPlanner(long seed, int episodes, boolean record, PickPlacePlanner.Listener listener) {
    if (episodes < 1) {
      throw new IllegalArgumentException("episodes must be at least 1, not " + episodes);
    }
    this.human = new HumanMotion(new SplittableRandom(seed));
    this.controls = new OperatorHandsOnControls(human);
    this.episodes = episodes;
    this.record = record;
    this.listener = listener == null ? (e, s) -> { } : listener;
  }

  @Override
  public Phase phase() {
    return phase;
  }

  /** The hand that picks the cube (0 left, 1 right); the other places it. */
  public int giver() {
    return giver;
  }

  /** Where the operator sends hand {@code h}'s palm now, in the robot's frame (a trace). */
  Vec3 sentPalm(int h) {
    return pos[h];
  }

  @Override
  public int episodesDone() {
    return episode;
  }

  @Override
  public int successes() {
    return successes;
  }

  @Override
  public boolean finished() {
    return phase == Phase.DONE;
  }

  @Override
  public void tick(double t, TaskState task, ControlMode robotMode, PalmFeedback palms, PickPlacePlanner.Output out) {
    this.palms = palms == null ? PalmFeedback.none() : palms;
    ObjectState cube = find(task, CUBE);
    if (t >= pauseUntil) {
      step(t, task, cube);
    }
    controls.apply(t, robotMode, out);
    double turn = Double.isNaN(lastTick) ? 1 : Math.min(1, Math.max(0, t - lastTick) * WRIST_RATE);
    for (int h = 0; h < 2; h++) {
      if (pos[h] == null) {
        pos[h] = new Vec3(0.15, h == 0 ? 0.28 : -0.28, 0.9);
      }
      if (path[h] != null && t >= pathStart[h]) {
        pos[h] = path[h].at(t - pathStart[h]);
      }
      rot[h] = rot[h].slerp(rotTarget[h], turn).normalized();
      out.palm[h] = new Pose3(pos[h].plus(human.tremor(t, h)), rot[h]);
      out.trigger[h] = trigger[h];
    }
    lastTick = t;
    if (cube != null) {
      boolean placing = phase.ordinal() >= Phase.GIVE_BACK.ordinal() && task.hasTargetArea();
      boolean meeting = phase.ordinal() >= Phase.MEET.ordinal();
      out.lookAt = placing ? vec(task.getTargetArea().getPosition()) : meeting ? meet : position(cube);
    }
  }

  private void step(double t, TaskState task, ObjectState cube) {
    double dt = t - phaseStart;
    boolean needsTask = phase.ordinal() >= Phase.SETTLE.ordinal() && phase.ordinal() <= Phase.TIP.ordinal();
    if (needsTask && (cube == null || !task.hasTargetArea())) {
      return; // no task state yet (or it vanished): hold still
    }
    switch (phase) {
      case WAIT_TASK -> {
        if (cube != null && !task.getSuccess() && cube.getHeldBy().isEmpty() && task.hasTargetArea()) {
          startEpisode(t, task, cube);
        }
      }
      case SETTLE -> settle(t, dt, cube);
      case REACH -> {
        if (done(giver, t)) {
          rotTarget[giver] = giverGrasp(cube);
          double err = human.uniform() < 0.3 ? AIM_ERROR_MAX : 0.02; // now and then clearly off
          moveTo(t, Phase.DESCEND, giver, MinJerkPath.straight(pos[giver], graspAbove(cube).plus(human.aimError(err)),
              human.human(0.6)), 0);
        }
      }
      case DESCEND -> {
        if (done(giver, t)) { // look, see the error, correct towards the cube as it is now
          corrections = 0;
          moveTo(t, Phase.CORRECT, giver, MinJerkPath.straight(pos[giver], graspAbove(cube).plus(human.aimError(0.004)),
              human.human(0.35)), 0.05 + 0.15 * human.uniform());
        }
      }
      case CORRECT -> {
        if (correct(t, giver, graspAbove(cube), REACH_TOLERANCE, 6)) {
          // aligned just above: the last centimetres straight down, then close
          cubeAtClose = position(cube);
          moveTo(t, Phase.CLOSE, giver, MinJerkPath.straight(pos[giver], pos[giver].minus(PickPlacePlanner.HOVER),
              human.human(0.3)), 0);
        }
      }
      case CLOSE -> {
        // rest on the cube, then close slowly: the robot's fingers lag the trigger (as pick-and-place)
        double settle = path[giver].duration() + PickPlacePlanner.CLOSE_SETTLE_S;
        trigger[giver] = Math.max(0, Math.min(1, (dt - settle) / 0.9));
        if (dt >= settle + 0.9) {
          attempts++;
          testLifted = false;
          phase(t, Phase.VERIFY);
        }
      }
      case VERIFY -> verify(t, dt, cube);
      case REGRASP -> {
        if (done(giver, t)) {
          rotTarget[giver] = giverGrasp(cube);
          corrections = 0;
          moveTo(t, Phase.CORRECT, giver, MinJerkPath.straight(pos[giver], graspAbove(cube).plus(human.aimError(0.004)),
              human.human(0.45)), 0.05);
        }
      }
      case LIFT -> {
        if (done(giver, t) && done(taker, t)) {
          meet(t);
        }
      }
      case MEET -> {
        if (done(giver, t) && done(taker, t)) {
          corrections = 0;
          phase(t, Phase.GIVE_ALIGN);
        }
      }
      case GIVE_ALIGN -> {
        if (restsOnTakersPalm(cube)) { // it came to rest on the palm already (the held-out palm rises as the arm settles)
          phase(t, Phase.TAKE_CLOSE);
        } else if (alignOverPalm(t, cube)) { // over the palm: set the cube down on it, slowly
          Vec3 down = pos[giver].minus(new Vec3(0, 0, ALIGN_ABOVE + SET_DOWN_PRESS));
          moveTo(t, Phase.GIVE_LOWER, giver, MinJerkPath.straight(pos[giver], down, human.human(0.8)), 0.05);
        }
      }
      case GIVE_LOWER -> {
        if (restsOnTakersPalm(cube) && done(giver, t) || done(giver, t) && t - pathStart[giver] > path[giver].duration() + 0.2) {
          phase(t, Phase.TAKE_CLOSE);
        }
      }
      case TAKE_CLOSE -> {
        trigger[taker] = TAKE_CLOSURE * Math.min(1, dt / 0.6);
        if (dt >= 0.9) {
          takeAttempts++;
          phase(t, Phase.TAKE_VERIFY);
        }
      }
      case TAKE_VERIFY -> takeVerify(t, dt, cube);
      case GIVE_OPEN -> {
        trigger[giver] = Math.max(0, 1 - dt / 0.3);
        if (dt >= 0.6) { // open: back off upwards, out of the cube's way
          Vec3 up = pos[giver].plus(new Vec3(-0.03, 0, 0.07));
          moveTo(t, Phase.GIVE_BACK, giver, MinJerkPath.straight(pos[giver], up, human.human(0.5)), 0);
        }
      }
      case GIVE_BACK -> {
        if (done(giver, t) && t - pathStart[giver] > path[giver].duration() + 0.2) {
          if (!takerHolds(cube)) { // it went with the giver's hand, or fell
            giveUp(t);
            return;
          }
          // the giver goes to rest; the taker carries the cube over the target area, low
          rotTarget[giver] = PickPlacePlanner.neutral(giver);
          moveTo(t, Phase.CARRY, giver, human.curved(pos[giver], rest[giver], 0.03, 0.03, human.human(1.0)), 0);
          cubeOffset = position(cube).minus(pos[taker]);
          placeGoal = placeCentre(task, cube);
          Vec3 above = placeGoal.minus(cubeOffset).plus(new Vec3(0, 0, 0.06 + 0.03 * human.uniform()))
              .plus(human.aimError(0.01));
          moveTo(t, Phase.CARRY, taker, human.curved(pos[taker], above, 0.03, 0.03, human.human(1.1)), human.pause());
        }
      }
      case CARRY -> {
        if (done(taker, t)) {
          corrections = 0;
          Vec3 palmGoal = placeGoal.minus(cubeOffset).plus(human.aimError(0.008));
          moveTo(t, Phase.PLACE, taker, MinJerkPath.straight(pos[taker], palmGoal, human.human(0.6)), 0.05);
        }
      }
      case PLACE -> place(t, cube);
      case RELEASE -> {
        trigger[taker] = Math.max(0, TAKE_CLOSURE * (1 - dt / 0.25));
        if (dt >= 0.4) { // open: tip the palm towards the body and let the cube slide off its edge
          rotTarget[taker] = tipped(taker);
          moveTo(t, Phase.TIP, taker, MinJerkPath.straight(pos[taker], pos[taker], human.human(0.4)), 0);
        }
      }
      case TIP -> {
        if (done(taker, t) && dt > 0.9) {
          // poured: the cube lies on the fingertips; pull them out from under it backwards, then go
          Vec3 away = pos[taker].plus(new Vec3(-PULL_BACK, 0, 0.01));
          pulling = true; // the wrist turns back only once the fingertips are out from under the cube
          moveTo(t, Phase.WITHDRAW, taker, new MinJerkPath(pos[taker], away, rest[taker], human.human(1.1)), 0);
        }
      }
      case WITHDRAW -> {
        if (pulling && t - pathStart[taker] > 0.45 * path[taker].duration()) {
          pulling = false;
          rotTarget[taker] = PickPlacePlanner.neutral(taker);
        }
        if (done(taker, t) && done(giver, t) && t - pathStart[taker] > path[taker].duration() + 0.4) {
          lastSuccess = task != null && task.getSuccess();
          press(t, lastSuccess ? OperatorHandsOnControls.SUCCESS : OperatorHandsOnControls.FAILURE);
          phase(t, Phase.JUDGE);
        }
      }
      case JUDGE -> {
        if (dt > 0.4) {
          if (record) {
            press(t, OperatorHandsOnControls.RECORD);
          }
          phase(t, Phase.STOP_RECORDING);
        }
      }
      case STOP_RECORDING -> {
        controls.deadman(Math.max(0, 1 - dt / 0.25));
        if (dt > 0.4) {
          episode++;
          if (lastSuccess) {
            successes++;
          }
          listener.episodeEnded(episode, lastSuccess);
          phase(t, episode >= episodes ? Phase.DONE : Phase.WAIT_RESET);
        }
      }
      case WAIT_RESET -> {
        boolean fresh = task != null && task.getSeed() != taskSeed && !task.getSuccess();
        if (fresh) {
          phase(t, Phase.WAIT_TASK);
        } else if (dt > 5) {
          phase(t, cube != null && !task.getSuccess() ? Phase.WAIT_TASK : Phase.DONE);
        }
      }
      case DONE -> { }
    }
  }

  private void startEpisode(double t, TaskState task, ObjectState cube) {
    taskSeed = task.getSeed();
    attempts = 0;
    pulling = false;
    misses = 0;
    takeAttempts = 0;
    corrections = 0;
    giver = cube.getPose().getPosition().getY() >= 0 ? 0 : 1;
    taker = 1 - giver;
    half = halfHeight(cube);
    tableTop = cube.getPose().getPosition().getZ() - half;
    for (int h = 0; h < 2; h++) {
      rest[h] = new Vec3(0.16 + 0.04 * human.uniform(), h == 0 ? 0.26 : -0.26, tableTop + 0.16 + 0.04 * human.uniform());
      if (pos[h] == null) {
        pos[h] = rest[h];
      }
      trigger[h] = 0;
      rotTarget[h] = PickPlacePlanner.neutral(h);
    }
    // in front of the chest, just past the middle on the taker's side, above the table
    double toTaker = taker == 0 ? 1 : -1;
    meet = new Vec3(MEET_X + 0.03 * human.uniform(), toTaker * (MEET_SIDE + 0.04 * human.uniform()),
        tableTop + MEET_HEIGHT + 0.04 * human.uniform());
    if (record) {
      press(t, OperatorHandsOnControls.RECORD);
    }
    deadmanDelay = 0.5 + 0.3 * human.uniform();
    moveTo(t, Phase.SETTLE, 0, MinJerkPath.straight(pos[0], rest[0], human.human(0.5)), 0);
    moveTo(t, Phase.SETTLE, 1, MinJerkPath.straight(pos[1], rest[1], human.human(0.5)), 0);
  }

  /** Look at the scene, take the deadman, wait for the hands to come to rest, then reach out with the giver. */
  private void settle(double t, double dt, ObjectState cube) {
    controls.deadman(Math.max(0, Math.min(1, (dt - deadmanDelay) / 0.1)));
    if (dt < deadmanDelay + 0.1) {
      return;
    }
    double engaged = dt - deadmanDelay - 0.1;
    Vec3 seen = palms.palm(giver);
    boolean arrived = seen == null ? engaged > SETTLE_FOLLOW_S : seen.distance(rest[giver]) < REST_TOLERANCE;
    if (done(giver, t) && (arrived || engaged > SETTLE_FOLLOW_S + 1.5)) {
      Vec3 above = position(cube).plus(new Vec3(0, 0, 0.10 + 0.03 * human.uniform())).plus(human.aimError(0.015));
      rotTarget[giver] = HumanMotion.graspOrientation(cube, PickPlacePlanner.REACH_PITCH); // tilting further on the way down
      moveTo(t, Phase.REACH, giver, human.curved(pos[giver], above, 0.05, 0.04, human.human(1.1)), human.pause());
    }
  }

  /** Where the giver's palm is aligned, just above its grasp of the cube (each missed grasp reaching deeper). */
  private Vec3 graspAbove(ObjectState cube) {
    return PickPlacePlanner.graspPalm(cube, giverGrasp(cube), giver, misses).plus(PickPlacePlanner.HOVER);
  }

  /**
   * The giver's palm for the grasp: fingers along the cube's face nearest straight ahead. Not pick-and-place's
   * turn towards the midline for cubes near the body: the giver then carries the cube across to the taker with
   * its fingers pointing at it, and seeds 3 and 5 are no longer handed over.
   */
  private static Quat giverGrasp(ObjectState cube) {
    return HumanMotion.graspOrientation(cube, PickPlacePlanner.GRASP_PITCH);
  }

  /**
   * Nudges hand {@code h}'s palm (as seen) onto {@code want}, in moderation; true when it is there (or the
   * operator stops correcting: a seen error beyond belief, corrections accumulated too far, too many, too long).
   */
  private boolean correct(double t, int h, Vec3 want, double tolerance, int maxCorrections) {
    if (!done(h, t)) {
      return false;
    }
    Vec3 seen = palms.palm(h);
    Vec3 err = seen == null ? Vec3.ZERO : want.minus(seen);
    Vec3 nudged = pos[h].plus(err.times(0.8));
    boolean plausible = err.norm() <= MAX_SEEN_ERROR;
    boolean bounded = nudged.minus(want).norm() <= MAX_REACH_CORRECTION;
    double since = t - pathStart[h] - path[h].duration();
    if (seen == null || !plausible || !bounded || err.norm() < tolerance || since > 2.5 || corrections >= maxCorrections) {
      return true;
    }
    if (since > 0.4) {
      corrections++;
      moveTo(t, phase, h, MinJerkPath.straight(pos[h], nudged, human.human(0.35)), 0);
    }
    return false;
  }

  /**
   * Brings the cube (as seen) over the taker's palm (as seen), {@link #ALIGN_ABOVE} higher than it would
   * rest on it: the giver moves, the taker holds its palm still where its arm put it (held out palm up, it
   * comes short of where it is sent, and moving it in under the cube knocked the cube out of the giver's
   * fingers). True once there, or the operator stops correcting (as {@link #correct}).
   */
  private boolean alignOverPalm(double t, ObjectState cube) {
    if (!done(giver, t)) {
      return false;
    }
    Vec3 seen = palms.palm(taker);
    Vec3 err = seen == null ? Vec3.ZERO : cubeOver(seen).minus(position(cube));
    double since = t - pathStart[giver] - path[giver].duration();
    if (seen == null || err.norm() > MAX_TAKE_ERROR || err.norm() < TAKE_TOLERANCE || since > 2.5
        || corrections >= MAX_TAKE_CORRECTIONS || !lifted(cube, giver)) {
      return true;
    }
    if (since > 0.3) {
      corrections++;
      Vec3 goal = pos[giver].plus(err.norm() > MAX_MEET_CORRECTION ? err.times(MAX_MEET_CORRECTION / err.norm()) : err);
      moveTo(t, Phase.GIVE_ALIGN, giver, MinJerkPath.straight(pos[giver], goal, human.human(GIVER_CORRECTION_S)), 0);
    }
    return false;
  }

  /** Where the cube's centre is to be, {@link #ALIGN_ABOVE} over its rest on the taker's palm seen at {@code palm}. */
  private Vec3 cubeOver(Vec3 palm) {
    return restOn(palm).plus(new Vec3(0, 0, ALIGN_ABOVE));
  }

  /** Where the cube's centre rests on the taker's palm seen at {@code palm}: on its surface, a little towards the fingers. */
  private Vec3 restOn(Vec3 palm) {
    Quat q = takeOrientation(taker);
    return palm.plus(q.rotate(new Vec3(TAKE_AHEAD, 0, half - PALM_ORIGIN_OUT)));
  }

  /** The cube is seen where it would rest on the taker's palm (lying on it). */
  private boolean restsOnTakersPalm(ObjectState cube) {
    Vec3 seen = palms.palm(taker);
    return seen != null && restOn(seen).distance(position(cube)) < REST_ON_PALM;
  }

  /**
   * Did the giver's grasp take? The robot may say so (the kinematic world's grasp rule); else lift a
   * little and watch the cube come along. Then lift; else open, back off and try again (or give up).
   */
  private void verify(double t, double dt, ObjectState cube) {
    if (heldBy(cube, giver) || testLifted && done(giver, t) && lifted(cube, giver)) {
      cubeOffset = position(cube).minus(pos[giver]);
      Vec3 up = pos[giver].plus(new Vec3(0, 0, 0.10 + 0.04 * human.uniform() - (testLifted ? PickPlacePlanner.TEST_LIFT : 0)));
      // the taker holds its palm out where the cube is to go meanwhile: the giver's grip by friction
      // does not last (held still over the midline, the cube slid out past the thumb within 1-2 s)
      rotTarget[taker] = takeOrientation(taker);
      moveTo(t, Phase.LIFT, taker, human.curved(pos[taker], takePoint(meet), 0.02, 0.02, human.human(1.2)), 0);
      moveTo(t, Phase.LIFT, giver, MinJerkPath.straight(pos[giver], up, human.human(0.6)), 0.05);
    } else if (!testLifted && dt > 0.3) { // let the fingers settle on it, then try
      testLifted = true;
      moveTo(t, Phase.VERIFY, giver, MinJerkPath.straight(pos[giver], pos[giver].plus(new Vec3(0, 0, PickPlacePlanner.TEST_LIFT)),
          human.human(0.4)), 0);
    } else if (testLifted && done(giver, t) && t - pathStart[giver] > path[giver].duration() + 0.25) {
      // it did not take: open, back off, try again; a cube that did not budge was closed short of: reach deeper
      misses += position(cube).distance(cubeAtClose) > 0.01 ? 0 : 1;
      trigger[giver] = 0;
      if (attempts >= MAX_GRASP_ATTEMPTS) {
        giveUp(t);
      } else {
        moveTo(t, Phase.REGRASP, giver, MinJerkPath.straight(pos[giver], pos[giver].plus(new Vec3(0, 0, 0.05)),
            human.human(0.35)), 0.1);
      }
    }
  }

  /** The cube is off the table, near hand {@code h}'s palm: it came along (seen, or reported held). */
  private boolean lifted(ObjectState cube, int h) {
    Vec3 c = position(cube);
    Vec3 palm = palms.palm(h) != null ? palms.palm(h) : pos[h];
    return heldBy(cube, h) || c.z() - halfHeight(cube) - tableTop > PickPlacePlanner.SEEN_LIFTED && c.distance(palm) < 0.15;
  }

  /** The taker has the cube: the robot says so, or it is seen off the table resting on the taker's palm. */
  private boolean takerHolds(ObjectState cube) {
    if (heldBy(cube, taker)) {
      return true;
    }
    Vec3 c = position(cube);
    Vec3 palm = palms.palm(taker) != null ? palms.palm(taker) : pos[taker];
    return c.z() - halfHeight(cube) - tableTop > 0.04 && c.distance(palm) < 0.06 && !heldBy(cube, giver);
  }

  /** Lifted: bring the cube to the middle; the taker comes to wait beside and below it, palm up. */
  private void meet(double t) {
    Vec3 seenTaker = palms.palm(taker);
    Vec3 palm = seenTaker != null ? seenTaker : pos[taker]; // as the taker's arm put it (short of where it was sent)
    Vec3 palmGoal = cubeOver(palm).minus(cubeOffset).plus(human.aimError(0.005));
    moveTo(t, Phase.MEET, giver, human.curved(pos[giver], palmGoal, 0.03, 0.03, human.human(1.0)), 0);
  }

  /** Fingers forward, the palm facing up and turned {@link #TAKE_ROLL} towards the midline: a hand held out to receive. */
  static Quat takeOrientation(int hand) {
    return Quat.fromAxisAngle(Vec3.UNIT_X, hand == 0 ? TAKE_ROLL : -TAKE_ROLL);
  }

  /** The taking orientation tipped fingers down ({@link #POUR_ANGLE}): the cube slides down the fingers, off their tips. */
  static Quat tipped(int hand) {
    return Quat.fromAxisAngle(Vec3.UNIT_Y, POUR_ANGLE).times(takeOrientation(hand));
  }

  /** Where the taker's palm goes to take the cube: under its centre, the palm's surface just under its bottom. */
  private Vec3 takePoint(ObjectState cube) {
    return takePoint(position(cube));
  }

  private Vec3 takePoint(Vec3 cubeCentre) {
    Vec3 ahead = takeOrientation(taker).rotate(new Vec3(TAKE_AHEAD, 0, 0));
    return cubeCentre.plus(ahead).plus(new Vec3(0, 0, -(half - PALM_ORIGIN_OUT + TAKE_GAP)));
  }

  /**
   * Closed under the cube: once the robot reports the taker holding it, or its palm is seen right under
   * the cube, the giver may let go; else back out a little and come in again.
   */
  private void takeVerify(double t, double dt, ObjectState cube) {
    Vec3 seen = palms.palm(taker);
    boolean inPlace = seen != null && seen.distance(takePoint(cube)) < TAKE_IN_PLACE;
    if (heldBy(cube, taker) || inPlace && dt > 0.2) {
      phase(t, Phase.GIVE_OPEN);
    } else if (dt > 0.4) {
      trigger[taker] = 0;
      if (takeAttempts >= MAX_TAKE_ATTEMPTS) {
        giveUp(t);
      } else if (lifted(cube, giver)) { // the giver still has it: lift it off again and line it up anew
        corrections = 0;
        Vec3 up = pos[giver].plus(new Vec3(0, 0, ALIGN_ABOVE));
        moveTo(t, Phase.GIVE_ALIGN, giver, MinJerkPath.straight(pos[giver], up, human.human(0.5)), 0.1);
      } else {
        giveUp(t);
      }
    }
  }

  /** Where the cube's centre goes before it slides off the fingers: over the target, a little nearer the body, low. */
  private Vec3 placeCentre(TaskState task, ObjectState cube) {
    Vec3 target = vec(task.getTargetArea().getPosition());
    return target.plus(new Vec3(-POUR_BEHIND, 0, halfHeight(cube) + PLACE_HEIGHT));
  }

  /** Watch the carried cube and open once it is where it should be (or after a few corrections). */
  private void place(double t, ObjectState cube) {
    if (!done(taker, t)) {
      return;
    }
    Vec3 c = position(cube);
    Vec3 err = placeGoal.minus(c);
    double since = t - pathStart[taker] - path[taker].duration();
    boolean settled = since > 0.3;
    if (err.norm() < 0.015 || !takerHolds(cube) || since > 2.5 || settled && corrections >= 3) {
      phase(t, Phase.RELEASE);
    } else if (settled) {
      corrections++;
      Vec3 nominal = placeGoal.minus(cubeOffset);
      Vec3 fix = pos[taker].plus(err).minus(nominal);
      fix = nominal.plus(fix.norm() > MAX_PLACE_CORRECTION ? fix.times(MAX_PLACE_CORRECTION / fix.norm()) : fix);
      moveTo(t, Phase.PLACE, taker, MinJerkPath.straight(pos[taker], fix, human.human(0.35)), 0);
    }
  }

  /** Open both hands and go back to rest: the episode failed. */
  private void giveUp(double t) {
    trigger[0] = trigger[1] = 0;
    for (int h = 0; h < 2; h++) {
      rotTarget[h] = PickPlacePlanner.neutral(h);
      Vec3 up = pos[h].plus(new Vec3(0, 0, 0.06));
      moveTo(t, Phase.WITHDRAW, h, new MinJerkPath(pos[h], up, rest[h], human.human(1.0)), 0.1);
    }
  }

  private boolean done(int h, double t) {
    return path[h] == null || t >= pathStart[h] && path[h].done(t - pathStart[h]);
  }

  private void press(double t, int button) {
    controls.press(t, button);
  }

  private void phase(double t, Phase next) {
    phase = next;
    phaseStart = t;
  }

  /** Hand {@code h} follows {@code p} after {@code pause}; the phase becomes {@code next}. */
  private void moveTo(double t, Phase next, int h, MinJerkPath p, double pause) {
    path[h] = p;
    pathStart[h] = t + pause;
    pos[h] = p.from();
    phase(t, next);
  }
}

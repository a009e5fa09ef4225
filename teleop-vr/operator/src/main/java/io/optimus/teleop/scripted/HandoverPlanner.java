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
 * What a person does in the handover task (the bimanual task of the ALOHA papers): the hand on the
 * cube's side (the giver) reaches it along a curved path, comes down a little off, corrects from
 * what it sees, closes, checks the grasp took (else backs off and tries again), lifts and brings the
 * cube to the middle, where the other hand (the taker) has come to wait beside it; the taker moves in
 * from its side, palm towards the cube, closes, and once it holds the cube the giver opens and
 * withdraws; the taker carries the cube over the target area on its side, sets it down (correcting
 * from what it sees), opens and withdraws. Movements follow minimum-jerk profiles with seeded
 * durations, via points, aim errors, pauses and tremor ({@link HumanMotion}).
 *
 * <p>The hands never touch: the giver holds the cube from above, the taker takes it from below and
 * beside ({@link #TAKE_SIDE}, {@link #TAKE_DROP}), palm turned half up towards it, where the bridge's
 * self-collision guard (1 cm between hand capsules) lets it be; closer from the side, the guard
 * refused the taker's last centimetres.
 */
public final class HandoverPlanner implements ScriptedPlanner {
  public static final String CUBE = "cube";
  static final int MAX_GRASP_ATTEMPTS = 4;
  static final int MAX_TAKE_ATTEMPTS = 3;
  static final double AIM_ERROR_MAX = 0.035;
  static final double REACH_TOLERANCE = 0.025;
  static final double PLACE_TOLERANCE = 0.015;
  static final double MAX_SEEN_ERROR = 0.12;
  static final double MAX_REACH_CORRECTION = 0.10;
  static final double MAX_PLACE_CORRECTION = 0.15;
  static final double WRIST_RATE = 3.0;
  static final double SETTLE_FOLLOW_S = 0.8;
  static final double REST_TOLERANCE = 0.04;
  static final double GRASP_PITCH = 0.4;
  /** The taker's palm beside (m, towards its own side) and below the cube's centre when it closes. */
  static final double TAKE_SIDE = 0.05;
  static final double TAKE_DROP = 0.01;
  /**
   * The meeting point: this far forward (m) and above the table, plus up to 4 cm. Nearer the chest the
   * taker's upper arm came within the guard's margin of the torso and the last centimetres were refused.
   */
  static final double MEET_X = 0.40;
  /**
   * The meeting point lies this far (m, plus up to 4 cm) past the midline on the taker's side: the giver
   * reaches across the body as in pick-and-place, the taker need not (reaching in to the midline its
   * upper arm came within the guard's margin of the torso).
   */
  static final double MEET_SIDE = 0.08;
  static final double MEET_HEIGHT = 0.10;
  /** Where the taker waits before moving in: this much further out (m). */
  static final double WAIT_SIDE = 0.07;

  public enum Phase {
    WAIT_TASK, SETTLE, REACH, DESCEND, CORRECT, CLOSE, VERIFY, REGRASP, LIFT, MEET, TAKE, TAKE_CORRECT, TAKE_CLOSE,
    TAKE_VERIFY, GIVE_OPEN, CARRY, PLACE, RELEASE, WITHDRAW, JUDGE, STOP_RECORDING, WAIT_RESET, DONE
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
  private Vec3 cubeOffset = Vec3.ZERO; // cube centre - working palm, when held
  private Vec3 meet = Vec3.ZERO;
  private Vec3 placeGoal = Vec3.ZERO;
  private int corrections;
  private int attempts;
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
      boolean placing = phase.ordinal() >= Phase.GIVE_OPEN.ordinal() && task.hasTargetArea();
      boolean meeting = phase.ordinal() >= Phase.MEET.ordinal();
      out.lookAt = placing ? vec(task.getTargetArea().getPosition()) : meeting ? meet : position(cube);
    }
  }

  private void step(double t, TaskState task, ObjectState cube) {
    double dt = t - phaseStart;
    boolean needsTask = phase.ordinal() >= Phase.SETTLE.ordinal() && phase.ordinal() <= Phase.PLACE.ordinal();
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
          double err = human.uniform() < 0.3 ? AIM_ERROR_MAX : 0.02; // now and then clearly off
          moveTo(t, Phase.DESCEND, giver, MinJerkPath.straight(pos[giver], position(cube).plus(human.aimError(err)),
              human.human(0.6)), 0);
        }
      }
      case DESCEND -> {
        if (done(giver, t)) { // look, see the error, correct towards the cube as it is now
          corrections = 0;
          moveTo(t, Phase.CORRECT, giver, MinJerkPath.straight(pos[giver], position(cube).plus(human.aimError(0.004)),
              human.human(0.35)), 0.05 + 0.15 * human.uniform());
        }
      }
      case CORRECT -> correct(t, dt, giver, position(cube), Vec3.ZERO, Phase.CLOSE);
      case CLOSE -> {
        trigger[giver] = Math.min(1, dt / 0.3);
        if (dt >= 0.3) {
          attempts++;
          phase(t, Phase.VERIFY);
        }
      }
      case VERIFY -> verify(t, dt, cube);
      case REGRASP -> {
        if (done(giver, t)) {
          rotTarget[giver] = HumanMotion.graspOrientation(cube, GRASP_PITCH);
          corrections = 0;
          moveTo(t, Phase.CORRECT, giver, MinJerkPath.straight(pos[giver], position(cube).plus(human.aimError(0.004)),
              human.human(0.45)), 0.05);
        }
      }
      case LIFT -> {
        if (done(giver, t)) {
          meet(t);
        }
      }
      case MEET -> {
        if (done(giver, t) && done(taker, t)) {
          // move in beside the cube as it is now, palm towards it
          Vec3 at = takePoint(position(cube));
          moveTo(t, Phase.TAKE, taker, MinJerkPath.straight(pos[taker], at, human.human(0.5)), human.pause());
        }
      }
      case TAKE -> {
        if (done(taker, t)) {
          corrections = 0;
          phase(t, Phase.TAKE_CORRECT);
        }
      }
      case TAKE_CORRECT -> correct(t, dt, taker, position(cube), takePoint(Vec3.ZERO), Phase.TAKE_CLOSE);
      case TAKE_CLOSE -> {
        trigger[taker] = Math.min(1, dt / 0.3);
        if (dt >= 0.3) {
          takeAttempts++;
          phase(t, Phase.TAKE_VERIFY);
        }
      }
      case TAKE_VERIFY -> takeVerify(t, dt, cube);
      case GIVE_OPEN -> {
        trigger[giver] = Math.max(0, 1 - dt / 0.25);
        if (dt >= 0.35) {
          if (!heldBy(cube, taker)) { // it went with the giver's hand, or fell
            giveUp(t);
            return;
          }
          // the giver backs off and goes to rest; the taker carries the cube over the target area
          Vec3 away = pos[giver].plus(new Vec3(-0.03, giver == 0 ? 0.08 : -0.08, 0.06));
          rotTarget[giver] = PickPlacePlanner.neutral(giver);
          moveTo(t, Phase.CARRY, giver, new MinJerkPath(pos[giver], away, rest[giver], human.human(1.2)), 0);
          cubeOffset = position(cube).minus(pos[taker]);
          Vec3 target = vec(task.getTargetArea().getPosition());
          Vec3 palmGoal = target.plus(new Vec3(0, 0, halfHeight(cube))).minus(cubeOffset);
          Vec3 above = palmGoal.plus(new Vec3(0, 0, 0.08 + 0.04 * human.uniform())).plus(human.aimError(0.01));
          moveTo(t, Phase.CARRY, taker, human.curved(pos[taker], above, 0.04, 0.04, human.human(1.1)), human.pause());
        }
      }
      case CARRY -> {
        if (done(taker, t)) {
          Vec3 target = vec(task.getTargetArea().getPosition());
          placeGoal = target.plus(new Vec3(0, 0, halfHeight(cube) + 0.004 + 0.006 * human.uniform()));
          corrections = 0;
          Vec3 palmGoal = placeGoal.minus(cubeOffset).plus(human.aimError(0.012));
          moveTo(t, Phase.PLACE, taker, MinJerkPath.straight(pos[taker], palmGoal, human.human(0.7)), 0.05);
        }
      }
      case PLACE -> place(t, dt, cube);
      case RELEASE -> {
        trigger[taker] = Math.max(0, 1 - dt / 0.25);
        if (dt >= 0.35) {
          Vec3 up = pos[taker].plus(new Vec3(-0.03, taker == 0 ? 0.04 : -0.04, 0.10));
          rotTarget[taker] = PickPlacePlanner.neutral(taker);
          moveTo(t, Phase.WITHDRAW, taker, new MinJerkPath(pos[taker], up, rest[taker], human.human(1.1)), 0);
        }
      }
      case WITHDRAW -> {
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
    takeAttempts = 0;
    corrections = 0;
    giver = cube.getPose().getPosition().getY() >= 0 ? 0 : 1;
    taker = 1 - giver;
    double tableTop = cube.getPose().getPosition().getZ() - halfHeight(cube);
    for (int h = 0; h < 2; h++) {
      rest[h] = new Vec3(0.16 + 0.04 * human.uniform(), h == 0 ? 0.26 : -0.26, tableTop + 0.16 + 0.04 * human.uniform());
      if (pos[h] == null) {
        pos[h] = rest[h];
      }
      trigger[h] = 0;
      rotTarget[h] = PickPlacePlanner.neutral(h);
    }
    // in front of the chest, just past the middle on the taker's side, a little above the table
    double toTaker = taker == 0 ? 1 : -1;
    meet = new Vec3(MEET_X + 0.04 * human.uniform(), toTaker * (MEET_SIDE + 0.04 * human.uniform()),
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
      rotTarget[giver] = HumanMotion.graspOrientation(cube, GRASP_PITCH);
      moveTo(t, Phase.REACH, giver, human.curved(pos[giver], above, 0.05, 0.04, human.human(1.1)), human.pause());
    }
  }

  /**
   * Nudges hand {@code h}'s palm (as seen) onto {@code goal + offset}, in moderation, then goes on to
   * {@code next}: a seen error beyond belief or an accumulated correction too far is not followed.
   */
  private void correct(double t, double dt, int h, Vec3 goal, Vec3 offset, Phase next) {
    if (!done(h, t)) {
      return;
    }
    Vec3 want = goal.plus(offset);
    Vec3 seen = palms.palm(h);
    Vec3 err = seen == null ? Vec3.ZERO : want.minus(seen);
    Vec3 nudged = pos[h].plus(err.times(0.8));
    boolean plausible = err.norm() <= MAX_SEEN_ERROR;
    boolean bounded = nudged.minus(want).norm() <= MAX_REACH_CORRECTION;
    double since = t - pathStart[h] - path[h].duration();
    if (seen == null || !plausible || !bounded || err.norm() < REACH_TOLERANCE || since > 2.5 || corrections >= 4) {
      phase(t, next);
    } else if (since > 0.4) {
      corrections++;
      moveTo(t, phase, h, MinJerkPath.straight(pos[h], nudged, human.human(0.35)), 0);
    }
  }

  private void verify(double t, double dt, ObjectState cube) {
    if (heldBy(cube, giver)) {
      cubeOffset = position(cube).minus(pos[giver]);
      Vec3 up = pos[giver].plus(new Vec3(0, 0, 0.10 + 0.04 * human.uniform()));
      moveTo(t, Phase.LIFT, giver, MinJerkPath.straight(pos[giver], up, human.human(0.6)), 0.05);
    } else if (dt > 0.4) { // it did not take: open, back off, try again
      trigger[giver] = 0;
      if (attempts >= MAX_GRASP_ATTEMPTS) {
        giveUp(t);
      } else {
        moveTo(t, Phase.REGRASP, giver, MinJerkPath.straight(pos[giver], pos[giver].plus(new Vec3(0, 0, 0.05)),
            human.human(0.35)), 0.1);
      }
    }
  }

  /** Lifted: bring the cube to the middle; the taker comes to wait beside it, palm towards it. */
  private void meet(double t) {
    Vec3 palmGoal = meet.minus(cubeOffset).plus(human.aimError(0.01));
    moveTo(t, Phase.MEET, giver, human.curved(pos[giver], palmGoal, 0.03, 0.03, human.human(1.0)), human.pause());
    Vec3 wait = takePoint(meet).plus(new Vec3(0, taker == 0 ? WAIT_SIDE : -WAIT_SIDE, 0.02));
    rotTarget[taker] = takeOrientation(taker); // fingers forward, palm half up, towards the middle
    moveTo(t, Phase.MEET, taker, human.curved(pos[taker], wait, 0.03, 0.02, human.human(1.0)), human.pause());
  }

  /** Fingers forward, the palm turned from facing the midline half way to facing up. */
  static Quat takeOrientation(int hand) {
    return PickPlacePlanner.neutral(hand);
  }

  /** Where the taker's palm goes to hold a cube centred at {@code c}: beside it on the taker's side, a little lower. */
  private Vec3 takePoint(Vec3 c) {
    return c.plus(new Vec3(0, taker == 0 ? TAKE_SIDE : -TAKE_SIDE, -TAKE_DROP));
  }

  private void takeVerify(double t, double dt, ObjectState cube) {
    if (heldBy(cube, taker)) {
      phase(t, Phase.GIVE_OPEN);
    } else if (dt > 0.4) {
      trigger[taker] = 0;
      if (takeAttempts >= MAX_TAKE_ATTEMPTS) {
        giveUp(t);
      } else { // back out a little and come in again
        Vec3 back = pos[taker].plus(new Vec3(0, taker == 0 ? 0.04 : -0.04, 0));
        moveTo(t, Phase.MEET, taker, MinJerkPath.straight(pos[taker], back, human.human(0.35)), 0.1);
      }
    }
  }

  /** Watch the carried cube and let go once it sits where it should (or after a few corrections). */
  private void place(double t, double dt, ObjectState cube) {
    if (!done(taker, t)) {
      return;
    }
    Vec3 c = position(cube);
    Vec3 err = placeGoal.minus(c);
    double since = t - pathStart[taker] - path[taker].duration();
    boolean settled = since > 0.3;
    if (err.norm() < PLACE_TOLERANCE || !heldBy(cube, taker) || since > 2.5 || settled && corrections >= 3) {
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
      moveTo(t, Phase.WITHDRAW, h, human.curved(pos[h], rest[h], 0.08, 0.02, human.human(1.0)), 0.1);
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

package io.optimus.teleop.scripted;

import static io.optimus.teleop.scripted.HumanMotion.find;
import static io.optimus.teleop.scripted.HumanMotion.halfHeight;
import static io.optimus.teleop.scripted.HumanMotion.heldBy;
import static io.optimus.teleop.scripted.HumanMotion.position;

import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Vec3;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.ObjectState;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.TaskState;
import io.optimus.proto.v1.Vector3;
import java.util.Locale;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a person does in the handover task (the bimanual task of the ALOHA papers) so that it works by
 * contact and friction (the physics world) as well as by the kinematic world's grasp rule: the hand on the
 * cube's side (the giver) picks the cube and sets it down on the table in front of the chest, 10-13 cm past
 * the midline on the other side (the hand-off spot); the other hand (the taker) picks it up from there and places
 * it in the target area on its side. Each hand does an ordinary pick-and-place ({@link PickPlacePlanner}, its
 * contact grasp, test lift, regrasps, set-down and tip-out release, and its second picks of a cube that fell):
 * the giver's sees the hand-off spot as its target area, the taker's the task's. Both hands hold the cube in
 * turn, as the task requires ({@code handsThatHeld}).
 *
 * <p>Why through the table: held by friction, the giver's hook grip (middle and ring fingertips against the
 * thumb's base) does not last while carried across the body (the cube slid out within 1-2 s), and the palm-up
 * taker of the hand-to-hand transfer could neither keep the cube on its palm nor get low by the area (physics,
 * seeds 1-50: 5 handed over and placed; see benchmarks/scripted-tasks.md, session 32 and 33).
 */
public final class HandoverPlanner implements ScriptedPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(HandoverPlanner.class);
  public static final String CUBE = PickPlacePlanner.CUBE;
  /**
   * The hand-off spot's centre: this far forward (m), plus up to {@link #HANDOFF_SPAN}. The giver's cube slips
   * back towards the body as it is set down (physics: 5-15 cm); from 0.36 m it ended out of the taker's reach
   * (seeds 2, 4, 6-9, 11, 12, 15: with 0.42, the carry tipped and the place aimed ahead, 8 of 9 placed, against 0).
   */
  static final double HANDOFF_X = 0.42;
  /**
   * Both hands carry and set the cube down with the fingers tipped up this far (rad,
   * {@link PickPlacePlanner#setDownTilt}, the stack's): its near bottom edge, not the fingertips hooked under
   * its far edge, meets the table first (physics, those nine seeds: 8 placed, 6 without the tilt).
   */
  static final double SET_DOWN_TILT = 0.5;
  /**
   * The taker aims the cube this far (m) forward of the area's centre: set down on its own side near the body,
   * the cube came to rest 4-8 cm nearer the body than it was lined up (seeds 6, 11, 15).
   */
  static final double PLACE_AHEAD = 0.03;
  /** ... and this far (m, plus up to {@link #HANDOFF_SPAN}) past the midline on the taker's side. */
  static final double HANDOFF_SIDE = 0.10;
  static final double HANDOFF_SPAN = 0.03;
  /** The hand-off spot's side (m) as the giver sees it (it lines the cube up within a fraction of this). */
  static final double HANDOFF_SIZE = 0.10;
  /**
   * Handed off: the cube rests free on the table past the midline on the taker's side by at least this much
   * (m), within the taker's reach (as a dropped cube is picked again: {@link PickPlacePlanner#REPICK_MIN_X}).
   */
  static final double HANDED_PAST_MIDLINE = 0.01;
  /** The taker's first movements blend in from where the hands were over this long (s): no jump to its rest pose. */
  static final double BLEND_S = 0.6;

  /**
   * The giver's pick (REACH .. LIFT, as pick-and-place), its set-down at the hand-off spot (GIVE_*), the taker's
   * pick (TAKE_*), its carry, place and withdrawal (CARRY .. WITHDRAW, as pick-and-place), then the judgement.
   */
  public enum Phase {
    WAIT_TASK, SETTLE, REACH, DESCEND, CORRECT, CLOSE, VERIFY, REGRASP, LIFT, GIVE_CARRY, GIVE_PLACE, GIVE_RELEASE,
    GIVE_WITHDRAW, TAKE_SETTLE, TAKE_REACH, TAKE_DESCEND, TAKE_CORRECT, TAKE_CLOSE, TAKE_VERIFY, TAKE_REGRASP, TAKE_LIFT,
    CARRY, PLACE, RELEASE, WITHDRAW, JUDGE, STOP_RECORDING, WAIT_RESET, DONE
  }

  private final SplittableRandom rnd;
  private final HumanMotion human;
  /** The deadman (held from the giver's first press to the episode's end) and the record / success / failure buttons. */
  private final OperatorHandsOnControls controls;
  private final int episodes;
  private final boolean record;
  private final PickPlacePlanner.Listener listener;
  /** The active hand's pick-and-place (the giver's, then the taker's); its buttons and deadman are not passed on. */
  private PickPlacePlanner hand;
  private boolean taking;
  private final PickPlacePlanner.Output sub = new PickPlacePlanner.Output();

  private Phase phase = Phase.WAIT_TASK;
  private double phaseStart;
  private int giver;
  private int taker;
  private Vec3 handoff = Vec3.ZERO;
  private double tableTop;
  /** The giver held the cube (reported, or seen lifted near its palm) this episode. */
  private boolean giverHeld;
  private boolean deadmanHeld;
  private double blendStart;
  private final Pose3[] last = new Pose3[2];
  private final double[] trigger = new double[2];
  private Vec3 lookAt = new Vec3(0.4, 0, 0.8);
  private final Pose3[] blendFrom = new Pose3[2];
  private PalmFeedback palms = PalmFeedback.none();
  private ObjectState lastCube;
  /**
   * The giver sees the scene this far (m) forward of where it is ({@link #giverShift}); its palms, as seen, too.
   */
  private double shift;
  private final PalmFeedback shifted = h -> {
    Vec3 p = palms.palm(h);
    return p == null ? null : p.plus(new Vec3(shift, 0, 0));
  };
  private int episode;
  private int successes;
  private long taskSeed = Long.MIN_VALUE;
  private boolean lastSuccess;

  public HandoverPlanner(long seed, int episodes, boolean record, PickPlacePlanner.Listener listener) {
    if (episodes < 1) {
      throw new IllegalArgumentException("episodes must be at least 1, not " + episodes);
    }
    this.rnd = new SplittableRandom(seed);
    this.human = new HumanMotion(new SplittableRandom(rnd.nextLong()));
    this.controls = new OperatorHandsOnControls(human);
    this.episodes = episodes;
    this.record = record;
    this.listener = listener == null ? (e, s) -> { } : listener;
  }

  @Override
  public Phase phase() {
    return phase;
  }

  /** The hand that picks the cube first (0 left, 1 right); the other places it. */
  public int giver() {
    return giver;
  }

  /** Where the operator sends hand {@code h}'s palm now, in the robot's frame (a trace). */
  Vec3 sentPalm(int h) {
    return last[h] == null ? null : last[h].translation();
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
    lastCube = cube;
    double dt = t - phaseStart;
    switch (phase) {
      case WAIT_TASK -> {
        if (cube != null && !task.getSuccess() && cube.getHeldBy().isEmpty() && task.hasTargetArea()) {
          startEpisode(t, task, cube);
        }
      }
      case JUDGE -> {
        if (dt > 0.4) {
          if (record) {
            controls.press(t, OperatorHandsOnControls.RECORD);
          }
          phase(t, Phase.STOP_RECORDING);
        }
      }
      case STOP_RECORDING -> {
        deadmanHeld = false;
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
      default -> run(t, task, robotMode, cube);
    }
    if (deadmanHeld) {
      controls.deadman(1);
    }
    controls.apply(t, robotMode, out);
    for (int h = 0; h < 2; h++) {
      if (last[h] == null) { // before the first episode: hands down at the sides
        last[h] = new Pose3(new Vec3(0.15, h == 0 ? 0.28 : -0.28, 0.9), PickPlacePlanner.neutral(h));
      }
      out.palm[h] = last[h];
      out.trigger[h] = trigger[h];
    }
    out.lookAt = lookAt;
  }

  /** One tick of the active hand's pick-and-place, and the step from the giver's to the taker's. */
  private void run(double t, TaskState task, ControlMode robotMode, ObjectState cube) {
    if (!taking) {
      boolean off = handedOff(cube);
      hand.tick(t, task == null ? null : towardsHandoff(task, off), robotMode, shifted, sub);
      for (int h = 0; h < 2; h++) { // back from the giver's shifted view (hands it did not move stay as they were)
        if (sub.palm[h] != null && h == hand.hand()) {
          sub.palm[h] = new Pose3(sub.palm[h].translation().minus(new Vec3(shift, 0, 0)), sub.palm[h].rotation());
        }
      }
      sub.lookAt = sub.lookAt.minus(new Vec3(shift, 0, 0));
      if (cube != null && (heldBy(cube, giver) || liftedNear(cube, giver))) {
        giverHeld = true;
      }
      deadmanHeld |= sub.deadman;
      follow(t);
      phase(t, given(hand.phase()));
      if (hand.phase().ordinal() >= PickPlacePlanner.Phase.JUDGE.ordinal()) {
        if (off) { // the cube lies on the taker's side: the taker picks it up and places it
          taking = true;
          blendFrom(t);
          hand = new PickPlacePlanner(rnd.nextLong(), 1, false, null).setDownTilt(SET_DOWN_TILT);
          phase(t, Phase.TAKE_SETTLE);
        } else { // the giver gave up (or the cube is out of reach)
          judge(t, task);
        }
      }
      return;
    }
    hand.tick(t, task == null || !task.hasTargetArea() ? task : aimedAhead(task), robotMode, palms, sub);
    follow(t);
    PickPlacePlanner.Phase p = hand.phase();
    if (p.ordinal() >= PickPlacePlanner.Phase.JUDGE.ordinal()) {
      judge(t, task);
    } else if (p != PickPlacePlanner.Phase.WAIT_TASK) {
      phase(t, taken(p));
    }
  }

  /** A new pick-and-place starts from its own rest poses: blend its palms in from where they are now. */
  private void blendFrom(double t) {
    blendStart = t;
    blendFrom[0] = last[0];
    blendFrom[1] = last[1];
  }

  /** The outputs of the active pick-and-place (its first {@link #BLEND_S} blended in from where the hands were). */
  private void follow(double t) {
    double u = Math.min(1, Math.max(0, (t - blendStart) / BLEND_S));
    double s = u * u * u * (10 - 15 * u + 6 * u * u); // minimum jerk
    for (int h = 0; h < 2; h++) {
      Pose3 p = sub.palm[h];
      if (p == null) {
        continue;
      }
      if (s < 1 && blendFrom[h] != null) {
        Pose3 a = blendFrom[h];
        Vec3 x = a.translation().plus(p.translation().minus(a.translation()).times(s));
        p = new Pose3(x, a.rotation().slerp(p.rotation(), s).normalized());
      }
      last[h] = p;
    }
    trigger[0] = sub.trigger[0];
    trigger[1] = sub.trigger[1];
    lookAt = sub.lookAt;
  }

  /** Back at rest: judge the outcome (the task's predicate) and press success or failure. */
  private void judge(double t, TaskState task) {
    lastSuccess = task != null && task.getSuccess();
    trigger[0] = trigger[1] = 0;
    controls.press(t, lastSuccess ? OperatorHandsOnControls.SUCCESS : OperatorHandsOnControls.FAILURE);
    phase(t, Phase.JUDGE);
  }

  private void startEpisode(double t, TaskState task, ObjectState cube) {
    taskSeed = task.getSeed();
    giver = cube.getPose().getPosition().getY() >= 0 ? 0 : 1;
    taker = 1 - giver;
    tableTop = cube.getPose().getPosition().getZ() - halfHeight(cube);
    double toTaker = taker == 0 ? 1 : -1;
    handoff = new Vec3(HANDOFF_X + HANDOFF_SPAN * human.uniform(), toTaker * (HANDOFF_SIDE + HANDOFF_SPAN * human.uniform()),
        task.getTargetArea().getPosition().getZ());
    giverHeld = false;
    deadmanHeld = false;
    shift = giverShift(cube, giver);
    taking = false;
    blendFrom(t);
    hand = new PickPlacePlanner(rnd.nextLong(), 1, false, null).setDownTilt(SET_DOWN_TILT);
    if (record) {
      controls.press(t, OperatorHandsOnControls.RECORD);
    }
    phase(t, Phase.SETTLE);
  }

  /**
   * How far forward (m) the giver sees the scene: so far that pick-and-place grasps the cube along its face
   * nearest straight ahead, not turned towards the midline as it does for a cube nearer than
   * {@link PickPlacePlanner#NEAR_X} whose nearest face points outwards. The handover's cube lies far out to
   * the side (|y| 0.25-0.30 m): turned inwards there, the arm could not bring the palm down onto it (kinematic,
   * seeds 1-50: 6 giver grasps never took). Everything the giver sees and does is shifted alike.
   */
  static double giverShift(ObjectState cube, int giver) {
    double ahead = Math.IEEEremainder(PickPlacePlanner.faceHeading(cube), Math.PI / 2);
    double x = cube.getPose().getPosition().getX();
    boolean turned = Math.abs(PickPlacePlanner.graspYaw(cube, giver) - ahead) > 1e-9;
    return turned ? Math.max(0, PickPlacePlanner.NEAR_X + 0.005 - x) : 0;
  }

  /**
   * The task as the giver sees it: the hand-off spot is its target area, reached ({@code success}) once the cube
   * lies there. A cube that fell on the giver's side on the way is then picked again by the giver.
   */
  private TaskState towardsHandoff(TaskState task, boolean handedOff) {
    TaskState.Builder b = task.toBuilder();
    for (int i = 0; i < b.getObjectsCount(); i++) {
      ObjectState o = b.getObjects(i);
      if (shift != 0 && o.getName().equals(CUBE)) {
        ObjectState.Builder ob = o.toBuilder();
        ob.getPoseBuilder().getPositionBuilder().setX(o.getPose().getPosition().getX() + shift);
        b.setObjects(i, ob);
      }
    }
    return b
        .setTargetArea(Pose.newBuilder().setPosition(Vector3.newBuilder().setX(handoff.x() + shift).setY(handoff.y()).setZ(handoff.z()))
            .setOrientation(io.optimus.proto.v1.Quaternion.newBuilder().setW(1)))
        .setTargetSize(Vector3.newBuilder().setX(HANDOFF_SIZE).setY(HANDOFF_SIZE))
        .setSuccess(handedOff)
        .build();
  }

  /** The task as the taker sees it: the area {@link #PLACE_AHEAD} further forward (its success as it is). */
  private static TaskState aimedAhead(TaskState task) {
    TaskState.Builder b = task.toBuilder();
    b.getTargetAreaBuilder().getPositionBuilder().setX(task.getTargetArea().getPosition().getX() + PLACE_AHEAD);
    return b.build();
  }

  /** The giver held the cube and it now rests free on the table past the midline on the taker's side, within its reach. */
  private boolean handedOff(ObjectState cube) {
    if (cube == null || !giverHeld || !cube.getHeldBy().isEmpty() || cube.getGrasped()) {
      return false;
    }
    Vec3 c = position(cube);
    double toTaker = taker == 0 ? 1 : -1;
    return Math.abs(c.z() - halfHeight(cube) - tableTop) < 0.01 && toTaker * c.y() > HANDED_PAST_MIDLINE
        && c.x() > PickPlacePlanner.REPICK_MIN_X && c.x() < PickPlacePlanner.REPICK_MAX_X
        && Math.abs(c.y()) < PickPlacePlanner.REPICK_MAX_Y;
  }

  /** The cube is off the table near hand {@code h}'s palm (as seen). */
  private boolean liftedNear(ObjectState cube, int h) {
    Vec3 palm = palms.palm(h);
    Vec3 c = position(cube);
    return palm != null && c.z() - halfHeight(cube) - tableTop > PickPlacePlanner.SEEN_LIFTED && c.distance(palm) < 0.15;
  }

  /** The giver's pick-and-place phase as a phase of the handover. */
  static Phase given(PickPlacePlanner.Phase p) {
    return switch (p) {
      case WAIT_TASK, SETTLE -> Phase.SETTLE;
      case REACH -> Phase.REACH;
      case DESCEND -> Phase.DESCEND;
      case CORRECT -> Phase.CORRECT;
      case CLOSE -> Phase.CLOSE;
      case VERIFY -> Phase.VERIFY;
      case REGRASP -> Phase.REGRASP;
      case LIFT -> Phase.LIFT;
      case CARRY -> Phase.GIVE_CARRY;
      case PLACE -> Phase.GIVE_PLACE;
      case RELEASE -> Phase.GIVE_RELEASE;
      default -> Phase.GIVE_WITHDRAW;
    };
  }

  /** The taker's pick-and-place phase as a phase of the handover. */
  static Phase taken(PickPlacePlanner.Phase p) {
    return switch (p) {
      case WAIT_TASK, SETTLE -> Phase.TAKE_SETTLE;
      case REACH -> Phase.TAKE_REACH;
      case DESCEND -> Phase.TAKE_DESCEND;
      case CORRECT -> Phase.TAKE_CORRECT;
      case CLOSE -> Phase.TAKE_CLOSE;
      case VERIFY -> Phase.TAKE_VERIFY;
      case REGRASP -> Phase.TAKE_REGRASP;
      case LIFT -> Phase.TAKE_LIFT;
      case CARRY -> Phase.CARRY;
      case PLACE -> Phase.PLACE;
      case RELEASE -> Phase.RELEASE;
      default -> Phase.WITHDRAW;
    };
  }

  private void phase(double t, Phase next) {
    if (next != phase) {
      phase = next;
      phaseStart = t;
      if (LOG.isDebugEnabled()) {
        LOG.debug(trace(t));
      }
    }
  }

  /** A phase change with what the operator sees (a trace: the cube, who holds it, both palms as seen and as sent). */
  private String trace(double t) {
    ObjectState c = lastCube;
    String cube = c == null ? "none" : String.format(Locale.ROOT, "(%.3f %.3f %.3f) held '%s'%s", c.getPose().getPosition().getX(),
        c.getPose().getPosition().getY(), c.getPose().getPosition().getZ(), c.getHeldBy(), c.getGrasped() ? " grasped" : "");
    return String.format(Locale.ROOT, "episode %d t=%.2f %s giver %d cube %s seen %s %s sent %s %s trigger %.2f %.2f", episode + 1, t,
        phase, giver, cube, palms.palm(0), palms.palm(1), last[0] == null ? null : last[0].translation(),
        last[1] == null ? null : last[1].translation(), trigger[0], trigger[1])
        + (phase == Phase.JUDGE ? (lastSuccess ? " success" : " failure") : "");
  }
}

package io.optimus.policy.engine;

import io.optimus.bridge.control.ActionSource;
import io.optimus.bridge.control.BlendedSource;
import io.optimus.bridge.control.ControlContext;
import io.optimus.bridge.control.ReceivedFrame;
import io.optimus.bridge.control.TeleopActionSource;
import io.optimus.proto.v1.EpisodeSourceKind;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.teleop.scripted.TakeoverRule;
import io.optimus.teleop.scripted.TaskProgress;

/**
 * A learner (the policy) driving under a {@link ScriptedExpert}'s supervision, for one simulated episode:
 * every tick the learner drives and the {@link TakeoverRule} judges it against the expert; once the rule
 * fires, the expert drives to the end of the episode through the bridge's teleop source, switched in the
 * way an operator's takeover switches ({@link BlendedSource}: from the command in force, no jump; the
 * supervisor's limits bound each step besides). The expert's frames reach the teleop source directly
 * rather than through the operator inbox: the robot stays engaged unattended, as in policy evaluation.
 */
public final class SupervisedSource implements ActionSource, io.optimus.policy.eval.CameraListener {
  /** Told once, on the tick the expert takes over. */
  @FunctionalInterface
  public interface Listener {
    void tookOver(long nowNs, String reason);
  }

  private final ActionSource learner;
  private final ScriptedExpert expert;
  private final TakeoverRule.Watch watch;
  private final BlendedSource expertDrive;
  private final long framePeriodNs = (long) (1e9 / ScriptedExpert.RATE_HZ);
  private final double[] scratch;
  private final TaskProgress progress = new TaskProgress();
  private Listener listener = (t, r) -> { };
  private ReceivedFrame latest;
  private boolean fresh;
  private long nextFrameNs = Long.MIN_VALUE;
  private long takeoverNs = -1;
  private String reason;
  private double maxDeviationM;
  /** The expert's own command chain (null unless asked for) and its latest command. */
  private final TeleopActionSource shadow;
  private final double[] shadowQ;
  private boolean hasShadow;

  public SupervisedSource(ActionSource learner, ScriptedExpert expert, TakeoverRule rule, int dof) {
    this(learner, expert, rule, dof, false);
  }

  /**
   * @param shadow also run the expert's own command chain beside the learner ({@link #expertTarget}): the
   *     retargeter fed the expert's frames and seeded from its own last output, as if it had driven all along
   */
  public SupervisedSource(ActionSource learner, ScriptedExpert expert, TakeoverRule rule, int dof, boolean shadow) {
    this.learner = learner;
    this.expert = expert;
    this.watch = rule.watch();
    this.expertDrive = new BlendedSource(expert.teleop(), BLEND_S, dof);
    this.scratch = new double[dof];
    this.shadow = shadow ? expert.newTeleop() : null;
    this.shadowQ = new double[dof];
  }

  /** Every camera's frames go on to the learner (a policy that sees the wrists). */
  @Override
  public void camera(io.optimus.proto.v1.CameraFrame frame) {
    if (learner instanceof io.optimus.policy.eval.CameraListener l) {
      l.camera(frame);
    }
  }

  /** How long a takeover blends from the learner's command to the expert's (as the bridge's takeover). */
  public static final double BLEND_S = 0.5;

  public SupervisedSource listener(Listener l) {
    this.listener = l;
    return this;
  }

  /** Whether the expert took over, when (simulated monotonic ns; -1: never) and why. */
  public boolean tookOver() {
    return takeoverNs >= 0;
  }

  public long takeoverNs() {
    return takeoverNs;
  }

  /** The largest deviation from the expert (m) while the learner drove ({@link ScriptedExpert#deviationM}). */
  public double maxDeviationM() {
    return maxDeviationM;
  }

  public String reason() {
    return reason;
  }

  /**
   * The expert's own command now, while the learner drives, into {@code out}: its frames retargeted from
   * its own last command, as if it had driven the robot all along (not from the learner's command, which
   * would carry the learner's errors into the label); false without a shadow chain, before the expert's
   * first frame, or once it has taken over.
   */
  public boolean expertTarget(double[] out) {
    if (!hasShadow || tookOver()) {
      return false;
    }
    System.arraycopy(shadowQ, 0, out, 0, out.length);
    return true;
  }

  /** One step of the expert's own chain: the retargeter continues from its last command, not the learner's. */
  private boolean shadowStep(ControlContext ctx) {
    double[] commanded = ctx.commanded;
    if (hasShadow) {
      ctx.commanded = shadowQ;
    }
    ReceivedFrame op = ctx.operator;
    boolean isNew = ctx.operatorIsNew;
    ctx.operator = latest;
    ctx.operatorIsNew = true;
    try {
      return shadow.target(ctx, shadowQ);
    } finally {
      ctx.commanded = commanded;
      ctx.operator = op;
      ctx.operatorIsNew = isNew;
    }
  }

  @Override
  public String name() {
    return tookOver() ? expert.name() : learner.name();
  }

  @Override
  public EpisodeSourceKind kind() {
    return tookOver() ? EpisodeSourceKind.EPISODE_SOURCE_KIND_SCRIPTED : learner.kind();
  }

  @Override
  public void activate(ControlContext ctx) {
    learner.activate(ctx);
    expert.teleop().activate(ctx);
    if (shadow != null) {
      shadow.activate(ctx);
    }
  }

  @Override
  public boolean target(ControlContext ctx, double[] target) {
    if (ctx.nowNs >= nextFrameNs) {
      OperatorFrame f = expert.frame(ctx.nowNs, ctx.task, ctx.measured.position);
      latest = new ReceivedFrame(f, ctx.nowNs);
      fresh = true;
      nextFrameNs = (nextFrameNs == Long.MIN_VALUE ? ctx.nowNs : nextFrameNs) + framePeriodNs;
    }
    if (tookOver()) {
      return withExpertFrame(ctx, expertDrive, target);
    }
    // the retargeter follows the expert's frames all along (calibration, IK state), its target unused
    if (fresh && shadow != null) {
      hasShadow = shadowStep(ctx) || hasShadow;
    }
    if (fresh && withExpertFrame(ctx, expert.teleop(), scratch)) {
      expert.wanted(scratch);
    }
    boolean driving = learner.target(ctx, target);
    boolean done = ctx.task != null && ctx.task.getSuccess();
    double deviation = expert.deviationM();
    if (deviation > maxDeviationM) {
      maxDeviationM = deviation;
    }
    String why = watch.judge(ctx.dt, deviation, expert.phase(), expert.episodeEnded(), done, progress.of(ctx.task));
    if (why == null) {
      return driving;
    }
    takeoverNs = ctx.nowNs;
    reason = why;
    expertDrive.activate(ctx);
    listener.tookOver(ctx.nowNs, why);
    return withExpertFrame(ctx, expertDrive, target);
  }

  /** Runs {@code source} with the expert's latest frame as the operator's (the context's own restored after). */
  private boolean withExpertFrame(ControlContext ctx, ActionSource source, double[] out) {
    ReceivedFrame op = ctx.operator;
    boolean isNew = ctx.operatorIsNew;
    ctx.operator = latest;
    ctx.operatorIsNew = fresh;
    try {
      return latest != null && source.target(ctx, out);
    } finally {
      fresh = false; // the retargeter has taken this frame
      ctx.operator = op;
      ctx.operatorIsNew = isNew;
    }
  }

  @Override
  public void close() {
    learner.close();
    expert.teleop().close();
    if (shadow != null) {
      shadow.close();
    }
  }
}

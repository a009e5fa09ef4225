package io.optimus.bridge.control;

import io.optimus.proto.v1.EpisodeSourceKind;

/**
 * Teleoperation: retargets the newest operator frame. Runs the retargeter once per new frame
 * (with the time since the previous one) and keeps that target between frames, so a 90 Hz operator
 * on a 250 Hz loop costs 90 retargets a second; the supervisor interpolates under its limits.
 */
public final class TeleopActionSource implements ActionSource {
  private final Retargeter retargeter;
  private final double[] last;
  private boolean haveTarget;
  private long lastRetargetNs;
  /** The operator session of the last frame retargeted (null before the first). */
  private String session;

  public TeleopActionSource(Retargeter retargeter, int dof) {
    this.retargeter = retargeter;
    this.last = new double[dof];
  }

  @Override
  public String name() {
    return "teleop";
  }

  @Override
  public EpisodeSourceKind kind() {
    return EpisodeSourceKind.EPISODE_SOURCE_KIND_TELEOP;
  }

  @Override
  public String limitedJoint() {
    return retargeter.limitedJoint();
  }

  @Override
  public io.optimus.motion.retarget.LiveCloseness closeness() {
    return retargeter.closeness();
  }

  @Override
  public void activate(ControlContext ctx) {
    haveTarget = false;
  }

  @Override
  public boolean target(ControlContext ctx, double[] target) {
    if (ctx.operator == null) {
      return false;
    }
    if (ctx.operatorIsNew || !haveTarget) {
      String frameSession = ctx.operator.frame().getSessionId();
      if (session != null && !session.equals(frameSession)) {
        // a bridge outlives its operators: the last session's calibration (body yaw, size) is not this one's
        retargeter.newSession();
      }
      session = frameSession;
      double dt = haveTarget ? Math.min(0.1, Math.max(1e-4, (ctx.nowNs - lastRetargetNs) / 1e9)) : ctx.dt;
      // from what the supervisor last commanded, not from our own last target: when it refuses a step
      // (self-collision, limits) the IK must continue from where the robot is, or its solution runs on
      // through the obstacle and the arm stays pinned against it
      retargeter.retarget(ctx.operator.frame(), dt, ctx.commanded, last);
      lastRetargetNs = ctx.nowNs;
      haveTarget = true;
    }
    System.arraycopy(last, 0, target, 0, last.length);
    return true;
  }
}

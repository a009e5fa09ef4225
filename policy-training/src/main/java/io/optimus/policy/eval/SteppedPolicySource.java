package io.optimus.policy.eval;

import io.optimus.bridge.control.ActionSource;
import io.optimus.bridge.control.ControlContext;
import io.optimus.bridge.control.Policy;
import io.optimus.bridge.control.PolicyObservation;
import io.optimus.proto.v1.EpisodeSourceKind;

/**
 * Runs a bridge {@link Policy} synchronously inside the control tick, once every
 * {@code controlRate / policyRate} ticks, for simulated evaluation in stepped time (deterministic,
 * faster than real time). Between policy steps the target moves linearly from the previous action
 * to the new one, so the supervisor sees a smooth command rather than 50 Hz steps. On a live bridge
 * policies run on their own thread instead ({@link io.optimus.bridge.control.PolicyActionSource}).
 * The head camera's frame comes with each observation; {@link SimulatedEpisodes} hands every camera's
 * frames to {@link #camera} as they render, for a policy that sees more cameras.
 */
public final class SteppedPolicySource implements ActionSource, CameraListener {
  private final Policy policy;
  private final int every;
  private final double[] previous;
  private final double[] next;
  private long ticks;
  private boolean started;

  public SteppedPolicySource(Policy policy, int dof, double controlRateHz) {
    this.policy = policy;
    this.every = Math.max(1, (int) Math.round(controlRateHz / policy.rateHz()));
    this.previous = new double[dof];
    this.next = new double[dof];
  }

  @Override
  public String name() {
    return "policy:" + policy.name();
  }

  @Override
  public EpisodeSourceKind kind() {
    return EpisodeSourceKind.EPISODE_SOURCE_KIND_POLICY;
  }

  /** A frame of any of the robot's cameras, as it renders (before the control tick that follows it). */
  @Override
  public void camera(io.optimus.proto.v1.CameraFrame frame) {
    if (policy instanceof io.optimus.policy.runtime.LearnedPolicy p) {
      p.offer(frame);
    }
  }

  @Override
  public void activate(ControlContext ctx) {
    policy.reset();
    ticks = 0;
    started = false;
  }

  @Override
  public boolean target(ControlContext ctx, double[] target) {
    if (ticks % every == 0) {
      System.arraycopy(started ? next : ctx.commanded, 0, previous, 0, previous.length);
      PolicyObservation obs = new PolicyObservation(ctx.nowNs, ctx.measured.position.clone(),
          ctx.measured.velocity.clone(), ctx.commanded.clone(), ctx.camera, ctx.task);
      try {
        policy.act(obs, next);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("policy " + policy.name() + " failed: " + e.getMessage(), e);
      }
      started = true;
    }
    double s = (double) (ticks % every + 1) / every;
    for (int i = 0; i < target.length; i++) {
      target[i] = previous[i] + s * (next[i] - previous[i]);
    }
    ticks++;
    return true;
  }
}

package io.optimus.bridge.control;

import io.optimus.common.FramePacer;
import io.optimus.proto.v1.EpisodeSourceKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Policy} on its own thread at the policy's rate; the control loop takes the newest
 * action (and holds when the policy has produced none or failed). Observations are snapshots the
 * loop hands over each tick without blocking.
 */
public final class PolicyActionSource implements ActionSource {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyActionSource.class);

  private final Policy policy;
  private final int dof;
  private final Object lock = new Object();
  // written by the loop, read by the policy thread (under lock)
  private final double[] obsQ;
  private final double[] obsV;
  private final double[] obsCmd;
  private long obsStamp;
  private ControlContext lastCtx;
  // written by the policy thread, read by the loop (under lock)
  private final double[] action;
  private long actions;
  private volatile boolean running;
  private volatile String failure;
  private Thread thread;

  public PolicyActionSource(Policy policy, int dof) {
    this.policy = policy;
    this.dof = dof;
    obsQ = new double[dof];
    obsV = new double[dof];
    obsCmd = new double[dof];
    action = new double[dof];
  }

  @Override
  public String name() {
    return "policy:" + policy.name();
  }

  @Override
  public EpisodeSourceKind kind() {
    return EpisodeSourceKind.EPISODE_SOURCE_KIND_POLICY;
  }

  @Override
  public void activate(ControlContext ctx) {
    synchronized (lock) {
      actions = 0;
      copyObservation(ctx);
    }
    if (thread == null) {
      policy.reset();
      running = true;
      thread = Thread.ofPlatform().daemon().name("policy-" + policy.name()).start(this::run);
    }
  }

  private void copyObservation(ControlContext ctx) {
    System.arraycopy(ctx.measured.position, 0, obsQ, 0, dof);
    System.arraycopy(ctx.measured.velocity, 0, obsV, 0, dof);
    System.arraycopy(ctx.commanded, 0, obsCmd, 0, dof);
    obsStamp = ctx.nowNs;
    lastCtx = ctx;
  }

  @Override
  public boolean target(ControlContext ctx, double[] target) {
    synchronized (lock) {
      copyObservation(ctx);
      if (actions == 0 || failure != null) {
        return false;
      }
      System.arraycopy(action, 0, target, 0, dof);
      return true;
    }
  }

  private void run() {
    FramePacer pacer = new FramePacer(Math.max(0.1, policy.rateHz()));
    double[] out = new double[dof];
    while (pacer.awaitWhile(() -> running, () -> false) >= 0) {
      PolicyObservation obs;
      synchronized (lock) {
        ControlContext c = lastCtx;
        obs = new PolicyObservation(obsStamp, obsQ.clone(), obsV.clone(), obsCmd.clone(),
            c == null ? null : c.camera, c == null ? null : c.task);
      }
      try {
        policy.act(obs, out);
        synchronized (lock) {
          System.arraycopy(out, 0, action, 0, dof);
          actions++;
        }
      } catch (Exception | LinkageError e) {
        failure = e.toString();
        LOG.error("policy {} failed: the robot holds", policy.name(), e);
        return;
      }
    }
  }

  /** Why the policy stopped, or null. */
  public String failure() {
    return failure;
  }

  public long actions() {
    synchronized (lock) {
      return actions;
    }
  }

  @Override
  public void close() {
    running = false;
    if (thread != null) {
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    policy.close();
  }
}

package io.optimus.policy.runtime;

import io.optimus.policy.ChunkPredictor;

/**
 * Runs a policy tick by tick on one robot: keeps the joint-position history the policy was trained
 * with, predicts a chunk every tick and executes the temporally ensembled target (or the first action
 * of the newest chunk with ensembling off). A policy that asks for {@code actionSteps() = n > 0}
 * (LeRobot's n_action_steps) is asked every n ticks and its chunk executed open loop in between.
 * Not thread-safe: one per control loop.
 */
public final class PolicyController {
  private final ChunkPredictor policy;
  private final int actionSteps;
  private final boolean ensemble;
  private final int joints;
  private final int width; // numbers per action: the joints, then any extras (palm poses)
  private final int history;
  private final float[][] pastQ;
  private final float[] chunk;
  private final TemporalEnsembler ensembler;
  private double spread;
  private long tick;

  public PolicyController(ChunkPredictor policy, boolean ensemble) {
    this.policy = policy;
    this.actionSteps = policy.actionSteps();
    this.ensemble = ensemble;
    var layout = policy.layout();
    this.joints = layout.joints();
    this.width = layout.actionWidth();
    this.history = layout.history();
    this.pastQ = new float[history + 1][joints];
    this.chunk = new float[layout.actionSize()];
    this.ensembler = new TemporalEnsembler(layout.chunk(), width, policy.ensembleDecay());
  }

  public ChunkPredictor policy() {
    return policy;
  }

  /** Starts a new episode: forgets the history and the pending chunks. */
  /**
   * The policy's uncertainty at the last step: the spread between the overlapping chunks' predictions
   * for it (rad; {@link TemporalEnsembler#spread}); 0 without ensembling.
   */
  public double uncertainty() {
    return spread;
  }

  public void reset() {
    spread = 0;
    tick = 0;
    ensembler.reset();
  }

  /** One control tick: measured q and dq (joint order of the policy), current image features, the
   * action out ({@code layout().actionWidth()} numbers: J targets, then any extras). */
  public void step(float[] q, float[] dq, float[] imageFeatures, float[] targetOut) {
    int slot = (int) (tick % (history + 1));
    System.arraycopy(q, 0, pastQ[slot], 0, joints);
    long now = tick;
    if (actionSteps > 0) {
      int k = (int) (tick % actionSteps);
      if (k == 0) {
        policy.predict(q, dq, x -> pastQ[(int) Math.floorMod(now - Math.min(x, now), history + 1)], imageFeatures, chunk);
      }
      System.arraycopy(chunk, k * width, targetOut, 0, width);
      tick++;
      return;
    }
    policy.predict(q, dq, k -> pastQ[(int) Math.floorMod(now - Math.min(k, now), history + 1)], imageFeatures, chunk);
    if (ensemble) {
      ensembler.add(tick, chunk);
      ensembler.target(tick, targetOut);
      spread = ensembler.spread(tick);
    } else {
      System.arraycopy(chunk, 0, targetOut, 0, width);
    }
    tick++;
  }
}

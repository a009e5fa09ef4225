package io.optimus.policy.runtime;

/**
 * Runs a trained policy tick by tick on one robot: keeps the joint-position history the policy was
 * trained with, predicts a chunk every tick and executes the temporally ensembled target (or the
 * first action of the newest chunk with ensembling off). Not thread-safe: one per control loop.
 */
public final class PolicyController {
  private final TrainedPolicy policy;
  private final boolean ensemble;
  private final int joints;
  private final int history;
  private final float[][] pastQ;
  private final float[] chunk;
  private final TemporalEnsembler ensembler;
  private long tick;

  public PolicyController(TrainedPolicy policy, boolean ensemble) {
    this.policy = policy;
    this.ensemble = ensemble;
    var layout = policy.layout();
    this.joints = layout.joints();
    this.history = layout.history();
    this.pastQ = new float[history + 1][joints];
    this.chunk = new float[layout.actionSize()];
    this.ensembler = new TemporalEnsembler(layout.chunk(), joints, policy.config().ensembleDecay());
  }

  public TrainedPolicy policy() {
    return policy;
  }

  /** Starts a new episode: forgets the history and the pending chunks. */
  public void reset() {
    tick = 0;
    ensembler.reset();
  }

  /** One control tick: measured q and dq (joint order of the policy), current image features, J targets out. */
  public void step(float[] q, float[] dq, float[] imageFeatures, float[] targetOut) {
    int slot = (int) (tick % (history + 1));
    System.arraycopy(q, 0, pastQ[slot], 0, joints);
    long now = tick;
    policy.predict(q, dq, k -> pastQ[(int) Math.floorMod(now - Math.min(k, now), history + 1)], imageFeatures, chunk);
    if (ensemble) {
      ensembler.add(tick, chunk);
      ensembler.target(tick, targetOut);
    } else {
      System.arraycopy(chunk, 0, targetOut, 0, joints);
    }
    tick++;
  }
}

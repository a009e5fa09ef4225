package io.optimus.examples.demo;

import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.common.InputException;
import java.nio.file.Path;

/**
 * How big a demo run is. {@link #standard} fits the 15-minute budget on two cores, {@link #quick} the
 * 3-minute one; {@link #tiny} is for the end-to-end test.
 *
 * @param demos scripted teleoperated demonstrations to record
 * @param trainSteps optimisation steps of the policy
 * @param batchSize training batch size
 * @param encoder the policy's image encoder ({@code backbone:scratch} = the shared perception backbone)
 * @param evalEpisodes closed-loop evaluation episodes (stepped simulated time)
 * @param evalTimeoutS simulated seconds per evaluation episode
 * @param deployAttempts task attempts of the deployed policy on the live bridge
 * @param deploySeconds wall seconds per deployment attempt
 * @param world the simulated world by name ({@link SimulatedWorlds})
 */
public record DemoOptions(String size, Path out, int demos, long seed, int trainSteps, int batchSize,
    String encoder, int evalEpisodes, double evalTimeoutS, int deployAttempts, double deploySeconds,
    String world) {

  public DemoOptions {
    if (demos < 2) {
      throw new InputException("--demos must be at least 2 (training holds some out), got " + demos);
    }
    if (demos > 500) {
      throw new InputException("--demos " + demos + " is more than this demo is meant for (at most 500)");
    }
    if (trainSteps < 1 || batchSize < 1 || evalEpisodes < 1 || deployAttempts < 0 || !(evalTimeoutS > 0)
        || !(deploySeconds > 0)) {
      throw new InputException("demo sizes must be positive: steps " + trainSteps + ", eval episodes " + evalEpisodes
          + ", deploy attempts " + deployAttempts);
    }
    SimulatedWorlds.check(world);
  }

  /**
   * The full run: 30 demonstrations, an ACT policy on the shared perception backbone (about 11 of the
   * 15 minutes on two cores; 20 demonstrations and 1000 steps took 6 minutes).
   */
  public static DemoOptions standard(Path out) {
    return new DemoOptions("default", out, 30, 1, 2500, 64, "backbone:scratch", 10, 20, 2, 25, SimulatedWorlds.DEFAULT);
  }

  /** A smaller run for a first look (about 3 minutes; the policy is not meaningful). */
  public static DemoOptions quick(Path out) {
    return new DemoOptions("quick", out, 4, 1, 100, 32, "backbone:scratch", 2, 10, 1, 10, SimulatedWorlds.DEFAULT);
  }

  /** Smaller still: the end-to-end test. */
  public static DemoOptions tiny(Path out) {
    return new DemoOptions("tiny", out, 3, 1, 10, 16, "pixels:6", 1, 4, 1, 4, SimulatedWorlds.DEFAULT);
  }

  public DemoOptions withDemos(int n) {
    return new DemoOptions(size, out, n, seed, trainSteps, batchSize, encoder, evalEpisodes, evalTimeoutS,
        deployAttempts, deploySeconds, world);
  }

  public DemoOptions withSeed(long s) {
    return new DemoOptions(size, out, demos, s, trainSteps, batchSize, encoder, evalEpisodes, evalTimeoutS,
        deployAttempts, deploySeconds, world);
  }

  public DemoOptions withWorld(String w) {
    return new DemoOptions(size, out, demos, seed, trainSteps, batchSize, encoder, evalEpisodes, evalTimeoutS,
        deployAttempts, deploySeconds, w);
  }

  public Path recordings() {
    return out.resolve("recordings");
  }

  public Path policyRun() {
    return out.resolve("policy");
  }

  public Path deployRecordings() {
    return out.resolve("deployment");
  }
}

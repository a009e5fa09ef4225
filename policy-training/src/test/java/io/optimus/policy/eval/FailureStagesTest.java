package io.optimus.policy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.optimus.bridge.world.TaskWorld;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code policy eval} says at which stage each failed episode stopped; the counts add up to the failures. */
class FailureStagesTest {
  private static SimulatedEpisodes.Outcome outcome(boolean success, double closest, boolean grasped, double lift,
      double toTarget) {
    return new SimulatedEpisodes.Outcome(1, success, success ? 10 : Double.NaN, 30, 0, Map.of(), closest, grasped, lift,
        toTarget, grasped ? 1 : 0, closest);
  }

  @Test
  void eachFailureCountsAtTheFirstStageItDidNotPass() {
    double near = TaskWorld.GRASP_RADIUS / 2;
    double far = TaskWorld.GRASP_RADIUS * 2;
    List<SimulatedEpisodes.Outcome> outs = List.of(
        outcome(false, far, false, 0, 0.3), // never reached
        outcome(false, far, false, 0, 0.3),
        outcome(false, near, false, 0, 0.3), // reached, never held
        outcome(false, near, true, 0.005, 0.3), // held, not lifted
        outcome(false, near, true, 0.10, 0.25), // lifted, dropped away from the target
        outcome(false, near, true, 0.10, 0.03), // lifted into the area, goal did not hold
        outcome(true, near, true, 0.10, 0.01));
    PolicyEvaluator.FailedAt f = PolicyEvaluator.FailedAt.of(outs, PolicyEvaluator.TARGET_RADIUS_M);
    assertEquals(new PolicyEvaluator.FailedAt(2, 1, 1, 1, 1), f);
    PolicyEvaluator.Report r = PolicyEvaluator.report(java.nio.file.Path.of("run"),
        new PolicyEvaluator.Options("optimus", "pick-place", 7, 1, 30, true), outs, null,
        new PolicyEvaluator.Inference(0, 0, 0, 0, 0, 0, 0, 0), 1);
    assertEquals(f, r.stages().failedAt());
    assertEquals(1, r.successes());
  }
}

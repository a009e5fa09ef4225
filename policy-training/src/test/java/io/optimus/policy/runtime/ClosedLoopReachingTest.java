package io.optimus.policy.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import io.optimus.policy.data.DemoSet;
import io.optimus.policy.data.SyntheticReaching;
import io.optimus.policy.encode.PixelGridEncoder;
import io.optimus.policy.train.PolicyTrainer;
import io.optimus.policy.train.TestConfigs;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trained ACT policy drives the synthetic arm itself, from unseen targets, through PolicyController. */
class ClosedLoopReachingTest {
  static final int TICKS = 40;
  static final SyntheticReaching WORLD = new SyntheticReaching(TICKS, 48);
  static final PixelGridEncoder ENCODER = new PixelGridEncoder(6);

  @TempDir static Path tmp;
  static Path run;

  @BeforeAll
  static void train() throws Exception {
    DemoSet demos = WORLD.generate(30, ENCODER, 7);
    run = tmp.resolve("act");
    new PolicyTrainer(null).train(demos, TestConfigs.tiny("act", 400), run, false);
  }

  @Test
  void reachesUnseenTargetsAndEnsemblingBeatsFirstActionExecution() {
    try (TrainedPolicy policy = TrainedPolicy.load(run)) {
      double ensembled = meanFinalError(new PolicyController(policy, true));
      double plain = meanFinalError(new PolicyController(policy, false));
      double stayPut = meanFinalError(null);
      System.out.printf("closed-loop final joint error: ensembled %.4f, first-action %.4f, not moving %.4f%n",
          ensembled, plain, stayPut);
      assertTrue(ensembled < 0.2 * stayPut, "ensembled " + ensembled + " vs " + stayPut);
      // Executing only the first action stalls where the start is ambiguous (the demonstrations
      // leave slowly from rest); chunks with temporal ensembling carry the motion through.
      assertTrue(ensembled < plain, "ensembling helps: " + ensembled + " vs " + plain);
    }
  }

  @Test
  void loadingSomethingThatIsNotARunNamesIt() {
    InputException e = assertThrows(InputException.class, () -> TrainedPolicy.load(tmp.resolve("nope")));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
  }

  /** Mean absolute joint error to the goal at the end of 20 fresh episodes (null controller: stand still). */
  static double meanFinalError(PolicyController controller) {
    Random r = new Random(12345);
    double sum = 0;
    int episodes = 20;
    for (int e = 0; e < episodes; e++) {
      SyntheticReaching.Instance inst = WORLD.instance(r);
      float[] feat = ENCODER.encode(WORLD.render(inst), 48, 48);
      float[] q = inst.start().clone();
      float[] dq = new float[q.length];
      float[] target = new float[q.length];
      if (controller != null) {
        controller.reset();
        for (int t = 0; t < TICKS; t++) {
          controller.step(q, dq, feat, target);
          for (int i = 0; i < q.length; i++) {
            dq[i] = (float) ((target[i] - q[i]) * SyntheticReaching.RATE_HZ);
          }
          q = target.clone();
        }
      }
      float[] g = SyntheticReaching.goal(inst.u(), inst.v());
      for (int i = 0; i < q.length; i++) {
        sum += Math.abs(q[i] - g[i]);
      }
      assertEquals(SyntheticReaching.JOINTS, q.length);
    }
    return sum / (episodes * SyntheticReaching.JOINTS);
  }
}

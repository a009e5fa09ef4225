package io.optimus.policy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import io.optimus.motion.record.Dataset;
import io.optimus.policy.data.DemoSet;
import io.optimus.policy.data.RecordedDemos;
import io.optimus.policy.encode.PixelGridEncoder;
import io.optimus.policy.RunFiles;
import io.optimus.policy.report.RunEvaluations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Demonstrations recorded from the bridge's simulated optimus robot (stepped time, real control
 * loop, supervisor and camera), a policy trained on them, and evaluated in closed loop through the
 * action-source interface.
 */
class ClosedLoopEvaluationTest {
  static Path run;

  @BeforeAll
  static void recordAndTrain() throws Exception {
    OptimusPolicyFixture f = OptimusPolicyFixture.get();
    run = f.run;
    DemoSet set = RecordedDemos.load(f.demos, new PixelGridEncoder(6), null, 50, null);
    assertEquals(OptimusPolicyFixture.DEMOS, set.episodes().size());
    assertEquals(50.0, set.rateHz(), 1e-9, "250 Hz states subsampled to the policy's 50 Hz");
    assertTrue(set.episodes().get(0).length() >= 110, "2.4 s at 50 Hz: " + set.episodes().get(0).length());
  }

  @Test
  void aPolicyThatSeesTheWristsGetsEveryCamerasFramesInSteppedEvaluation() throws Exception {
    Path wrists = OptimusPolicyFixture.get().wristRun();
    PolicyEvaluator.Report r = PolicyEvaluator.evaluate(wrists,
        new PolicyEvaluator.Options("optimus", "pick-place", 1, 9, 1.0, true), null);
    // it holds until every camera has sent a frame: without the wrists' it would never step
    assertEquals(50, r.inference().steps(), "1 s at 50 Hz, from the first camera round on");
    assertTrue(r.inference().imagesEncoded() >= 3 * 10, "three cameras at 10 Hz: " + r.inference().imagesEncoded());
  }

  @Test
  void evaluatesInClosedLoopDeterministicallyAndReportsEverything() {
    PolicyEvaluator.Options o = new PolicyEvaluator.Options("optimus", "pick-place", 2, 9, 1.0, true);
    PolicyEvaluator.Report a = PolicyEvaluator.evaluate(run, o, null);
    System.out.println("closed-loop eval: " + a.inference() + ", interventions " + a.safetyEventsByType());
    assertEquals(2, a.episodes());
    assertEquals(2, a.perEpisode().size());
    assertTrue(a.successRate() >= 0 && a.successRate() <= 1);
    // 1 s at 250 Hz with the policy at 50 Hz: 50 policy steps per episode, images at 10 Hz.
    assertEquals(100, a.inference().steps());
    assertTrue(a.inference().imagesEncoded() >= 18, "images encoded: " + a.inference().imagesEncoded());
    assertTrue(a.inference().policyStepMsP50() > 0);
    assertTrue(a.heldOutActionError() != null && a.heldOutActionError().get("overall").asDouble() > 0);
    for (SimulatedEpisodes.Outcome e : a.perEpisode()) {
      assertTrue(e.success() || Math.abs(e.durationS() - 1.0) < 0.01, "ran to the timeout: " + e);
    }
    PolicyEvaluator.Report b = PolicyEvaluator.evaluate(run, o, null);
    assertEquals(a.perEpisode(), b.perEpisode(), "stepped simulation: the same seed gives the same episodes");
  }

  @Test
  void recordsEveryRolloutAsAReadableEpisodeWithTheSameOutcome(@TempDir Path dir) throws Exception {
    Path rec = dir.resolve("rollouts");
    PolicyEvaluator.Options o = new PolicyEvaluator.Options("optimus", "pick-place", 2, 9, 1.0, true, rec);
    PolicyEvaluator.Report r = PolicyEvaluator.evaluate(run, o, null);
    var episodes = Dataset.open(rec).episodes();
    assertEquals(2, episodes.size());
    for (int e = 0; e < 2; e++) {
      var entry = episodes.get(e);
      assertEquals(null, entry.error());
      assertEquals(r.perEpisode().get(e).success() ? "SUCCESS" : "FAILURE", entry.outcome());
      // 1 s at 250 Hz control, camera at 10 Hz
      assertEquals(250, entry.stateFrames(), 2);
      assertTrue(entry.cameras().contains("head"), entry.cameras().toString());
    }
    PolicyEvaluator.Report plain = PolicyEvaluator.evaluate(run, new PolicyEvaluator.Options("optimus", "pick-place", 2, 9,
        1.0, true), null);
    assertEquals(plain.perEpisode(), r.perEpisode(), "recording does not change what the policy does");
  }

  @Test
  void anEvaluationAddsItsSuccessToTheRunsReport() throws Exception {
    RunFiles files = new RunFiles(run);
    int before = RunEvaluations.read(files).size();
    PolicyEvaluator.Report r = PolicyEvaluator.evaluate(run, new PolicyEvaluator.Options("optimus", "pick-place", 1, 4,
        0.5, true), null);
    List<RunEvaluations.Evaluation> evals = RunEvaluations.read(files);
    assertEquals(before + 1, evals.size());
    RunEvaluations.Evaluation last = evals.get(evals.size() - 1);
    assertEquals(List.of(r.episodes(), r.successes(), r.successRate(), 4L),
        List.of(last.episodes(), last.successes(), last.successRate(), last.seed()));
    String html = Files.readString(files.report());
    assertTrue(html.contains("<th>#" + evals.size() + "</th>") && html.contains("<td>pick-place</td>"), html);
    assertTrue(!html.contains("Not evaluated in closed loop yet"), html);
    assertTrue(ImageIO.read(files.successPng().toFile()) != null, "success.png decodes");
    assertTrue(html.contains("<img src=\"success.png\""), html);
  }

  @Test
  void aPolicyForAnotherBodyIsRefusedByName() {
    InputException e = assertThrows(InputException.class,
        () -> PolicyEvaluator.evaluate(run, new PolicyEvaluator.Options("optimus", "juggle", 1, 1, 1, true), null));
    assertTrue(e.getMessage().contains("juggle"), e.getMessage());
  }
}

package io.optimus.policy.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import io.optimus.policy.data.DemoSet;
import io.optimus.policy.data.SyntheticReaching;
import io.optimus.policy.encode.PixelGridEncoder;
import io.optimus.policy.mlp.MlpConfig;
import io.optimus.policy.model.Keypoints;
import java.nio.file.Files;
import java.nio.file.Path;
import io.optimus.perception.report.Curves;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real DJL training on synthetic reaching demonstrations whose answer is known. */
class PolicyTrainerTest {
  static DemoSet demos;

  @TempDir Path tmp;

  @BeforeAll
  static void data() {
    demos = new SyntheticReaching(40, 48).generate(30, new PixelGridEncoder(6), 7);
  }

  @Test
  void actLearnsTheImageConditionedReachFarBelowTheMeanActionBaseline() throws Exception {
    RunConfig config = TestConfigs.tiny("act", 400);
    TrainingReport r = new PolicyTrainer(null).train(demos, config, tmp.resolve("act"), false);
    System.out.println("act held-out: " + r.heldOut());
    assertTrue(r.heldOut().ratioToBaseline() < 0.25, "ACT error / mean-action error = " + r.heldOut().ratioToBaseline());
    assertEquals(List.of("arm", "hand"), List.copyOf(r.heldOut().perGroup().keySet()));
    for (String f : List.of("config.json", "policy.json", "normalizer.json", "model.params", "loss.csv", "loss.png",
        "curves.json", "metrics.json", "report.html", "action-errors.png", "checkpoint/state.json", "checkpoint/optimizer.bin")) {
      assertTrue(Files.isRegularFile(tmp.resolve("act").resolve(f)), f);
    }
    List<LossCurve.Point> curve = LossCurve.readCsv(tmp.resolve("act/loss.csv")).points();
    assertEquals(400, curve.size());
    assertTrue(curve.get(399).train() < curve.get(0).train() / 3, "loss fell: " + curve.get(0) + " -> " + curve.get(399));
  }

  @Test
  void theReportPlotsTheLossPerSplitAndJointGroupExactlyAsTheTrainerLoggedIt() throws Exception {
    Path run = tmp.resolve("report");
    TrainingReport r = new PolicyTrainer(null).train(demos, TestConfigs.tiny("mlp", TestConfigs.train(40).evalEvery(20)),
        run, false);
    Curves curves = Curves.read(run.resolve("curves.json"));
    Set<String> plotted = new LinkedHashSet<>();
    curves.curves().forEach(c -> plotted.add(c.head()));
    Set<String> expected = new LinkedHashSet<>(List.of("total"));
    expected.addAll(demos.joints().groupIndices().keySet());
    assertEquals(expected, plotted, "the total and one curve per joint group");
    assertEquals(r.heldOut().perGroup().keySet(), demos.joints().groupIndices().keySet());
    List<LossCurve.Point> csv = LossCurve.readCsv(run.resolve("loss.csv")).points();
    assertArrayEquals(csv.stream().mapToDouble(LossCurve.Point::train).toArray(), curves.get("total", "train").y(),
        "every step's training loss, as logged");
    assertArrayEquals(csv.stream().filter(p -> !Double.isNaN(p.validation())).mapToDouble(LossCurve.Point::validation)
        .toArray(), curves.get("total", "validation").y(), "the validation loss at each evaluation step");
    assertArrayEquals(new double[] {20, 40}, curves.get("arm", "validation").x());
    assertEquals(r.finalValidationLoss(), curves.get("total", "validation").y()[1]);
    for (String g : demos.joints().groupIndices().keySet()) {
      for (String split : List.of("train", "validation")) {
        double[] y = curves.get(g, split).y();
        assertTrue(y.length == 2 && y[1] > 0 && Double.isFinite(y[1]), g + " " + split + " " + Arrays.toString(y));
      }
    }
    String html = Files.readString(run.resolve("report.html"));
    assertEquals(2, ReportImages.decoding(run, html), "loss curves and held-out errors");
    assertTrue(html.contains("Not evaluated in closed loop yet") && html.contains("curves.json"), html);
    assertTrue(html.contains("Camera frames with keypoints") && html.contains("Not drawn"), html);
  }

  @Test
  void aDivergedRunKeepsItsCurvesInTheReportWithTheNonFiniteStepMarked() throws Exception {
    Path run = tmp.resolve("diverged");
    RunConfig wild = TestConfigs.tiny("mlp", TestConfigs.train(20).evalEvery(5).learningRate(1e30).schedule("constant"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new PolicyTrainer(null).train(demos, wild, run, false));
    assertTrue(e.getMessage().startsWith("training diverged at step "), e.getMessage());
    double[] train = Curves.read(run.resolve("curves.json")).get("total", "train").y();
    assertTrue(train.length >= 2 && Double.isFinite(train[0]), Arrays.toString(train));
    assertTrue(!Double.isFinite(train[train.length - 1]), "the last step logged is the non-finite one");
    assertTrue(e.getMessage().startsWith("training diverged at step " + train.length + " "), e.getMessage());
    String html = Files.readString(run.resolve("report.html"));
    assertTrue(html.contains("NaN") || html.contains("Infinity"), html);
    assertEquals(1, ReportImages.decoding(run, html));
    assertTrue(ReportImages.hasPureRedNear(javax.imageio.ImageIO.read(run.resolve("loss.png").toFile()), 50),
        "a red cross on the top edge marks the non-finite step");
  }

  @Test
  void mlpOnJointStateLearnsSomething() throws Exception {
    RunConfig config = TestConfigs.tiny("mlp", 300);
    TrainingReport r = new PolicyTrainer(null).train(demos, config, tmp.resolve("mlp"), false);
    System.out.println("mlp held-out: " + r.heldOut());
    assertTrue(r.heldOut().ratioToBaseline() < 0.6, "MLP error / mean-action error = " + r.heldOut().ratioToBaseline());
  }

  @Test
  void sameSeedSameLossCurveOtherSeedOther() throws Exception {
    RunConfig config = TestConfigs.tiny("act", TestConfigs.train(30).evalEvery(10));
    new PolicyTrainer(null).train(demos, config, tmp.resolve("a"), false);
    new PolicyTrainer(null).train(demos, config, tmp.resolve("b"), false);
    RunConfig other = TestConfigs.tiny("act", TestConfigs.train(30).evalEvery(10).seed(5));
    new PolicyTrainer(null).train(demos, other, tmp.resolve("c"), false);
    assertEquals(Files.readString(tmp.resolve("a/loss.csv")), Files.readString(tmp.resolve("b/loss.csv")));
    assertArrayEquals(Files.readAllBytes(tmp.resolve("a/model.params")), Files.readAllBytes(tmp.resolve("b/model.params")));
    assertNotEquals(Files.readString(tmp.resolve("a/loss.csv")), Files.readString(tmp.resolve("c/loss.csv")));
  }

  @Test
  void resumeFromACheckpointIsExact() throws Exception {
    // extending a run (20 steps, then resumed to 50) equals one 50-step run under a constant schedule
    RunConfig fifty = TestConfigs.tiny("act", TestConfigs.train(50).evalEvery(10).checkpointEvery(20).schedule("constant"));
    new PolicyTrainer(null).train(demos, fifty, tmp.resolve("straight"), false);
    new PolicyTrainer(null).train(demos, fifty.withSteps(20), tmp.resolve("resumed"), false);
    TrainingReport r = new PolicyTrainer(null).train(demos, fifty, tmp.resolve("resumed"), true);
    assertEquals(20, r.resumedFromStep());
    assertEquals(Files.readString(tmp.resolve("straight/loss.csv")), Files.readString(tmp.resolve("resumed/loss.csv")));
    assertArrayEquals(Files.readAllBytes(tmp.resolve("straight/model.params")),
        Files.readAllBytes(tmp.resolve("resumed/model.params")));
  }

  /** Warm-up climbs to the full rate, then the cosine falls monotonically to 10% at the last step. */
  @Test
  void cosineScheduleWarmsUpThenDecaysToATenth() {
    int steps = 1000;
    assertTrue(PolicyTrainer.learningRateScale(0, steps) < 0.1, "first step is a small fraction");
    assertEquals(1.0, PolicyTrainer.learningRateScale(20, steps), 1e-9, "full rate after 2% warm-up");
    double prev = 1.0;
    for (int s = 21; s < steps; s++) {
      double f = PolicyTrainer.learningRateScale(s, steps);
      assertTrue(f <= prev + 1e-12 && f >= 0.1 - 1e-9, "step " + s + ": " + f);
      prev = f;
    }
    assertEquals(0.1, PolicyTrainer.learningRateScale(steps - 1, steps), 1e-4);
  }

  @Test
  void refusesToOverwriteOrResumeWithAnotherConfig() throws Exception {
    RunConfig config = TestConfigs.tiny("mlp", 5);
    new PolicyTrainer(null).train(demos, config, tmp.resolve("r"), false);
    InputException notEmpty = assertThrows(InputException.class,
        () -> new PolicyTrainer(null).train(demos, config, tmp.resolve("r"), false));
    assertTrue(notEmpty.getMessage().contains("not empty"), notEmpty.getMessage());
    InputException changed = assertThrows(InputException.class, () -> new PolicyTrainer(null)
        .train(demos, new RunConfig(TestConfigs.policy("mlp").model(new MlpConfig(32, 2, false, Keypoints.NONE)).build(),
            TestConfigs.train(10).build()), tmp.resolve("r"), true));
    assertTrue(changed.getMessage().contains("hidden"), changed.getMessage());
  }
}

package io.optimus.perception.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.optimus.perception.net.BackboneConfig;
import io.optimus.perception.PerceptionBackbone;
import io.optimus.perception.RgbImage;
import io.optimus.perception.net.HydraNet;
import io.optimus.perception.scene.DrivingScene;
import io.optimus.perception.scene.SceneGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short real DJL training run (64x64 scenes, a narrow ResNet-18) shared by the tests: it must
 * reduce the held-out loss and beat trivial baselines; its saved parts must reload exactly; a frozen
 * backbone must not change while the heads train.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HydraTrainingTest {
  static final int SIZE = 64;
  static final TrainOptions OPTIONS = new TrainOptions(96, 4, 16, SIZE, 3e-3f, 9L, false);
  @TempDir static Path tmp;
  private HydraModel model;
  private HydraTrainingReport report;
  private Path dir;
  private List<DrivingScene> probe;

  @BeforeAll
  void train() {
    dir = tmp.resolve("model");
    model = HydraModel.create(new BackboneConfig(18, 8, 8), 9);
    report = new HydraTrainer(OPTIONS, TrainingProgress.NONE).train(model, dir);
    SceneGenerator gen = new SceneGenerator(SIZE, SIZE, 1234);
    probe = List.of(gen.scene(0), gen.scene(1), gen.scene(2));
  }

  @AfterAll
  void close() {
    model.close();
  }

  @Test
  void trainingReducesTheHeldOutLossAndBeatsTrivialBaselines() {
    assertEquals(OPTIONS.epochs(), report.epochs().size());
    double initial = report.initialHeldOutLoss();
    double last = report.last().heldOutLoss();
    assertTrue(last < 0.6 * initial, "held-out loss " + initial + " -> " + last);
    assertTrue(report.last().trainLoss() < report.epochs().get(0).trainLoss(), "training loss falls");

    Map<String, Object> eval = HydraEvaluator.evaluate(model, 32, SIZE, report.meanTrainingDepth());
    double miou = num(eval, "segmentation", "model", "laneMIoU");
    double miouBase = num(eval, "segmentation", "baselineAllBackground", "laneMIoU");
    double absRel = num(eval, "depth", "model", "absRel");
    double absRelBase = num(eval, "depth", "baselineMeanDepth", "absRel");
    assertTrue(miou > miouBase + 0.2, "segmentation mIoU " + miou + " vs all-background " + miouBase);
    assertTrue(absRel < 0.6 * absRelBase, "depth abs-rel " + absRel + " vs mean depth " + absRelBase);
    assertEquals(0.0, num(eval, "objectCentres", "baselineNoDetections", "f1"));
  }

  @Test
  void writesFinalModelAndKeepsTheLastCheckpoints() throws Exception {
    for (String f : List.of("backbone/backbone.json", "backbone/backbone.params", "heads/heads.json",
        "heads/heads.params", "training.json", "checkpoints/epoch-003/backbone/backbone.params",
        "checkpoints/epoch-004/heads/heads.params")) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f);
    }
    assertFalse(Files.exists(dir.resolve("checkpoints/epoch-001")), "old checkpoints are pruned");
    assertTrue(Files.readString(dir.resolve("training.json")).contains("meanTrainingDepth"));
  }

  @Test
  void savedBackboneAndHeadsReloadToIdenticalOutputs() {
    TrainingBatch batch = TrainingBatch.of(probe);
    float[][] expected;
    try (NDManager m = model.newBatchManager()) {
      NDList out = model.predict(batch.images(m));
      expected = new float[out.size()][];
      for (int i = 0; i < out.size(); i++) {
        expected[i] = out.get(i).toFloatArray();
      }
    }
    try (HydraModel loaded = HydraModel.load(dir); NDManager m = loaded.newBatchManager()) {
      NDList out = loaded.predict(batch.images(m));
      for (int i = 0; i < out.size(); i++) {
        assertArrayEquals(expected[i], out.get(i).toFloatArray(), 0f, "output " + i);
      }
    }
    // The backbone alone, through the public API other modules use.
    List<RgbImage> images = new ArrayList<>();
    for (DrivingScene s : probe) {
      images.add(new RgbImage(s.width(), s.height(), s.rgb()));
    }
    try (PerceptionBackbone backbone = PerceptionBackbone.load(dir)) {
      float[][] emb = backbone.embed(images);
      int size = backbone.embeddingSize();
      for (int n = 0; n < probe.size(); n++) {
        float[] want = java.util.Arrays.copyOfRange(expected[HydraNet.OUT_EMBEDDING], n * size, (n + 1) * size);
        assertArrayEquals(want, emb[n], 0f, "embedding " + n);
      }
    }
  }

  @Test
  void frozenBackboneStaysExactlyFixedWhileHeadsTrain() {
    TrainOptions quick = new TrainOptions(32, 1, 16, SIZE, 3e-3f, 21L, true);
    try (HydraModel frozen = HydraModel.withBackbone(dir, 5)) {
      Map<String, float[]> backboneBefore = snapshot(frozen.net().backbone());
      Map<String, float[]> headsBefore = snapshot(frozen.net().heads());
      new HydraTrainer(quick, TrainingProgress.NONE).train(frozen, null);
      Map<String, float[]> backboneAfter = snapshot(frozen.net().backbone());
      for (Map.Entry<String, float[]> e : backboneBefore.entrySet()) {
        assertArrayEquals(e.getValue(), backboneAfter.get(e.getKey()), 0f, e.getKey() + " changed");
      }
      assertTrue(changed(headsBefore, snapshot(frozen.net().heads())), "the heads did train");
    }
    // The same run without freezing does move the backbone (so the check above can fail).
    try (HydraModel tuned = HydraModel.withBackbone(dir, 5)) {
      Map<String, float[]> before = snapshot(tuned.net().backbone());
      new HydraTrainer(quick.withFrozenBackbone(false), TrainingProgress.NONE).train(tuned, null);
      assertTrue(changed(before, snapshot(tuned.net().backbone())), "fine-tuning changes the backbone");
    }
  }

  private static Map<String, float[]> snapshot(Block block) {
    Map<String, float[]> values = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      values.put(p.getKey(), p.getValue().getArray().toFloatArray());
    }
    return values;
  }

  private static boolean changed(Map<String, float[]> before, Map<String, float[]> after) {
    for (Map.Entry<String, float[]> e : before.entrySet()) {
      if (!java.util.Arrays.equals(e.getValue(), after.get(e.getKey()))) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  static double num(Map<String, Object> report, String head, String who, String key) {
    Map<String, Object> h = (Map<String, Object>) report.get(head);
    return ((Number) ((Map<String, Object>) h.get(who)).get(key)).doubleValue();
  }
}

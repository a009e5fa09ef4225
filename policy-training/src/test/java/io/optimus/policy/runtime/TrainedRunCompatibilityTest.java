package io.optimus.policy.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import io.optimus.policy.PolicyMeta;
import io.optimus.policy.act.ActModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory trained before policies got one package per family (the demo's committed ACT run,
 * kept in test resources as it was written) still loads for inference; a damaged one is refused
 * with one line naming the file and the field.
 */
class TrainedRunCompatibilityTest {
  @TempDir Path tmp;
  Path run;

  @BeforeEach
  void copyRun() throws Exception {
    Path legacy = Path.of(getClass().getResource("/legacy-run/policy.json").toURI()).getParent();
    run = tmp.resolve("legacy-run");
    Files.createDirectories(run);
    try (Stream<Path> s = Files.list(legacy)) {
      for (Path p : s.toList()) {
        Files.copy(p, run.resolve(p.getFileName()));
      }
    }
  }

  @Test
  void aRunSavedBeforeCamerasExistedLoadsAsHeadOnly() throws Exception {
    assertFalse(Files.readString(run.resolve("config.json")).contains("cameras"), "the saved config names no cameras");
    assertFalse(Files.readString(run.resolve("policy.json")).contains("views"), "the saved meta has no views");
    try (TrainedPolicy p = TrainedPolicy.load(run)) {
      assertEquals(java.util.List.of("head"), p.config().cameras());
      assertEquals(java.util.List.of("head"), p.meta().cameras());
      assertEquals(1, p.layout().featureShape().views());
    }
  }

  @Test
  void aRunTrainedBeforeTheSplitLoadsEveryWeightAndPredicts() throws Exception {
    try (TrainedPolicy p = TrainedPolicy.load(run)) {
      assertInstanceOf(ActModel.class, p.model());
      assertEquals(20, p.layout().chunk());
      assertEquals(16, ((io.optimus.policy.act.ActConfig) p.config().model()).keypoints().count());
      // every saved parameter landed in the same place: saved again, the weights are byte for byte the file
      p.model().save(tmp.resolve("again.params"));
      assertArrayEquals(Files.readAllBytes(run.resolve("model.params")), Files.readAllBytes(tmp.resolve("again.params")));
      int j = p.layout().joints();
      float[] chunk = new float[p.layout().actionSize()];
      float[] q = new float[j];
      p.predict(q, new float[j], k -> q, new float[p.layout().featureSize()], chunk);
      for (float v : chunk) {
        assertTrue(Float.isFinite(v), "prediction " + v);
      }
    }
  }

  @Test
  void damagedPolicyMetaIsRefusedInOneLineNamingFileAndField() throws Exception {
    String good = Files.readString(run.resolve("policy.json"));
    assertRefused(good.replace("\"rateHz\" : 50.0", "\"rateHz\" : \"NaN\""), "rateHz");
    assertRefused(good.replace("\"rateHz\" : 50.0", "\"rateHz\" : 1e999"), "rateHz");
    assertRefused(good.replace("\"chunk\" : 20", "\"chunk\" : 99999999999"), "chunk");
    assertRefused(good.replace("\"chunk\" : 20", "\"chunk\" : 0"), "chunk");
    assertRefused(good.replace("\"channels\" : 16", "\"channels\" : -16"), "featureShape");
    assertRefused(good.replace("\"encoderId\" : \"backbone:dc71f14e7e21197e@8\",", ""), "encoderId");
    assertRefused(good.replace("\"left_leg\", ", ""), "joints");
    assertRefused(good.substring(0, good.length() / 2), "policy.json");
    assertRefused("\u0000garbage", "policy.json");
    assertRefused("[]", "policy.json");
  }

  @Test
  void damagedConfigIsRefusedByTheLoaderNamingFileAndField() throws Exception {
    String good = Files.readString(run.resolve("config.json"));
    Files.writeString(run.resolve("config.json"), good.replace("\"chunk\" : 20", "\"chunk\" : 1e12"));
    InputException e = assertThrows(InputException.class, () -> TrainedPolicy.load(run));
    assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("chunk"), e.getMessage());
  }

  @Test
  void damagedNormalizerIsRefusedNamingFileAndField() throws Exception {
    Path file = run.resolve("normalizer.json");
    String good = Files.readString(file);
    for (String[] bad : new String[][] {
        {good.replaceFirst("\"qStd\" : \\[ [^,]+,", "\"qStd\" : [ 0.0,"), "qStd[0]"},
        {good.replaceFirst("\"actionStd\" : \\[ [^,]+,", "\"actionStd\" : [ \"NaN\","), "actionStd[0]"},
        {good.replaceFirst("\"qMean\" : \\[ [^,]+,", "\"qMean\" : [ 1e999,"), "qMean[0]"},
        {good.replaceFirst("\"dqMean\" : \\[ [^,]+,", "\"dqMean\" : ["), "dqMean"},
        {good.replaceFirst("\"featureStd\" : \\[[^\\]]*\\]", "\"featureStd\" : null"), "featureStd"},
        {good.substring(0, good.length() / 2), "normalizer.json"},
        {"garbage\u0000", "normalizer.json"}}) {
      assertTrue(!bad[0].equals(good), bad[1] + ": the damage applies");
      Files.writeString(file, bad[0]);
      InputException e = assertThrows(InputException.class, () -> TrainedPolicy.load(run), bad[1]);
      assertTrue(e.getMessage().contains("normalizer.json") && e.getMessage().contains(bad[1]), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void truncatedWeightsAreRefusedNamingTheFile() throws Exception {
    byte[] params = Files.readAllBytes(run.resolve("model.params"));
    Files.write(run.resolve("model.params"), java.util.Arrays.copyOf(params, params.length / 3));
    InputException e = assertThrows(InputException.class, () -> TrainedPolicy.load(run));
    assertTrue(e.getMessage().contains("model.params"), e.getMessage());
  }

  private void assertRefused(String json, String field) throws Exception {
    Path meta = run.resolve("policy.json");
    String good = Files.readString(meta);
    Files.writeString(meta, json);
    try {
      InputException e = assertThrows(InputException.class, () -> PolicyMeta.load(meta), json);
      assertTrue(e.getMessage().contains("policy.json"), e.getMessage());
      assertTrue(e.getMessage().contains(field), field + ": " + e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
      assertThrows(InputException.class, () -> TrainedPolicy.load(run));
    } finally {
      Files.writeString(meta, good);
    }
  }
}

package io.optimus.policy.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import io.optimus.policy.PolicyConfig;
import io.optimus.policy.act.ActConfig;
import io.optimus.policy.mlp.MlpConfig;
import io.optimus.policy.model.Keypoints;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file: one flat JSON object read into the typed policy and training configs. */
class RunConfigTest {
  /** A run's config.json as the code before the per-family split saved it: every field of both families. */
  static final String LEGACY_RUN = """
      {
        "kind" : "act", "chunk" : 20, "history" : 0, "velocity" : false, "mlpUseImage" : false,
        "hidden" : 256, "layers" : 3, "dModel" : 64, "heads" : 4, "encoderLayers" : 2, "feedForward" : 128,
        "learningRate" : 0.001, "weightDecay" : 1.0E-4, "batchSize" : 32, "steps" : 100, "seed" : 1,
        "validationFraction" : 0.2, "checkpointEvery" : 100, "evalEvery" : 100, "ensembleDecay" : -0.05,
        "encoder" : "backbone:scratch", "threads" : 2, "rateHz" : 50.0, "featureStride" : 8, "keypoints" : 16,
        "schedule" : "cosine", "keypointGain" : 10.0, "keypointScale" : 10.0
      }
      """;

  @TempDir Path tmp;

  @Test
  void missingFieldsTakeDefaultsAndTheFileRoundTrips() throws Exception {
    Path f = tmp.resolve("c.json");
    Files.writeString(f, "{\"kind\": \"mlp\", \"steps\": 7, \"seed\": 42}");
    RunConfig c = RunConfig.load(f);
    assertEquals("mlp", c.policy().kind());
    assertInstanceOf(MlpConfig.class, c.policy().model());
    assertEquals(7, c.train().steps());
    assertEquals(42L, c.train().seed());
    assertEquals(PolicyConfig.DEFAULT.chunk(), c.policy().chunk());
    assertEquals(MlpConfig.DEFAULT, c.policy().model());
    c.save(tmp.resolve("saved.json"));
    assertEquals(c, RunConfig.load(tmp.resolve("saved.json")));
  }

  @Test
  void aConfigFileWrittenBeforeTheSplitLoadsIntoTheSameValues() throws Exception {
    Path f = tmp.resolve("config.json");
    Files.writeString(f, LEGACY_RUN);
    RunConfig c = RunConfig.loadRun(f);
    assertEquals(new ActConfig(64, 4, 2, 128, new Keypoints(16, 10, 10)), c.policy().model());
    assertEquals(20, c.policy().chunk());
    assertEquals(-0.05, c.policy().ensembleDecay());
    assertEquals("backbone:scratch", c.policy().encoder().spec());
    assertEquals(8, c.policy().encoder().featureStride());
    assertEquals(TrainConfig.builder().learningRate(0.001).weightDecay(1e-4).batchSize(32).steps(100).seed(1)
        .validationFraction(0.2).checkpointEvery(100).evalEvery(100).schedule("cosine").threads(2).build(), c.train());
    assertEquals(c, RunConfig.load(f), "the same as a config file as well");
    assertEquals(c.policy(), PolicyConfig.loadRun(f), "inference reads the same policy from it");
    // saved again, an ACT run leaves the MLP's fields out and still reads back the same
    c.save(tmp.resolve("again.json"));
    assertFalse(Files.readString(tmp.resolve("again.json")).contains("hidden"));
    assertEquals(c, RunConfig.loadRun(tmp.resolve("again.json")));
  }

  @Test
  void palmActionsAreSavedWithTheRunAndWidenEachAction() throws Exception {
    Path f = tmp.resolve("c.json");
    Files.writeString(f, "{\"kind\": \"mlp\", \"action\": \"palms\"}");
    RunConfig c = RunConfig.load(f);
    assertEquals(PolicyConfig.ACTION_PALMS, c.policy().action());
    assertEquals(io.optimus.policy.data.PalmPoses.SIZE, c.policy().layout(30, null).extraActions());
    assertEquals((30 + 18) * c.policy().chunk(), c.policy().layout(30, null).actionSize());
    c.save(tmp.resolve("config.json"));
    assertEquals(PolicyConfig.ACTION_PALMS, PolicyConfig.loadRun(tmp.resolve("config.json")).action(),
        "inference reads the action space from the run");
    assertEquals(PolicyConfig.ACTION_JOINTS, RunConfig.loadRun(write("{\"kind\": \"mlp\"}")).policy().action(),
        "a run saved before the field existed predicts joints");
    assertEquals(0, PolicyConfig.DEFAULT.layout(30, null).extraActions());
  }

  private Path write(String json) throws Exception {
    Path f = tmp.resolve("old.json");
    Files.writeString(f, json);
    return f;
  }

  @Test
  void typedBuildersMakeTheSameConfigAsTheFile() throws Exception {
    RunConfig built = new RunConfig(PolicyConfig.builder()
        .model(ActConfig.builder().keypoints(new Keypoints(16, 10, 10)).build()).encoder("backbone:scratch", 8).build(),
        TrainConfig.builder().batchSize(32).steps(100).seed(1).validationFraction(0.2).checkpointEvery(100).build());
    Path f = tmp.resolve("config.json");
    Files.writeString(f, LEGACY_RUN);
    assertEquals(RunConfig.load(f), built);
  }

  @Test
  void badConfigsNameTheFileAndTheField() throws Exception {
    assertMessage("{\"kind\": \"rnn\"}", "kind");
    assertMessage("{\"chunk\": 0}", "chunk");
    assertMessage("{\"dModel\": 30, \"heads\": 4}", "dModel");
    assertMessage("{\"kind\": \"act\", \"hidden\": 0}", "hidden"); // the other family's fields are still checked
    assertMessage("{\"learningRate\": -1}", "learningRate");
    assertMessage("{\"validationFraction\": 1.0}", "validationFraction");
    assertMessage("{\"encoder\": \"resnet\"}", "encoder");
    assertMessage("{\"featureStride\": 12}", "featureStride");
    assertMessage("{\"keypointGain\": 0}", "keypointGain");
    assertMessage("{\"keypointScale\": -1}", "keypointScale");
    assertMessage("{\"stpes\": 10}", "unknown field \"stpes\"");
    assertMessage("{\"steps\": \"many\"}", "steps");
    assertMessage("{\"steps\": 2.5}", "steps");
    assertMessage("{\"velocity\": 1}", "velocity");
    assertMessage("{\"action\": \"pose\"}", "action");
    assertMessage("{\"kind\": 3}", "kind");
    assertMessage("[1, 2]", "JSON object");
    assertMessage("", "JSON object");
    assertMessage("{\"steps\": 10", "not valid JSON");
    assertMessage("\u0000\u00ff{garbage", "not valid JSON");
    InputException missing = assertThrows(InputException.class, () -> RunConfig.load(tmp.resolve("none.json")));
    assertTrue(missing.getMessage().contains("none.json") && missing.getMessage().contains("no such file"));
  }

  @Test
  void nanAndHugeValuesAreRefusedNotReadAsInfinityOrWrapped() throws Exception {
    // JSON has no NaN; a string "NaN" must not be coerced into one
    assertMessage("{\"learningRate\": \"NaN\"}", "learningRate");
    assertMessage("{\"ensembleDecay\": NaN}", "not valid JSON");
    assertMessage("{\"learningRate\": 1e999}", "learningRate"); // beyond a double: not read as infinity
    assertMessage("{\"rateHz\": -1e999}", "rateHz");
    assertMessage("{\"steps\": 99999999999}", "steps"); // beyond an int: not wrapped
    assertMessage("{\"steps\": 1e9}", "steps");
    assertMessage("{\"seed\": 123456789012345678901234567890}", "seed");
    assertMessage("{\"chunk\": 1000000}", "chunk");
    assertMessage("{\"threads\": 100000}", "threads");
    assertMessage("{\"keypoints\": 2147483647}", "keypoints");
  }

  @Test
  void errorsAreOneLine() throws Exception {
    for (String bad : new String[] {"{\"steps\": 10", "{\"steps\":\n\"x\"}", "{\n\"kind\": \"rnn\"\n}"}) {
      Path f = tmp.resolve("bad.json");
      Files.writeString(f, bad);
      InputException e = assertThrows(InputException.class, () -> RunConfig.load(f));
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void aRunSavedBeforeKeypointScaleExistedLoadsAtScaleOne() throws Exception {
    Path f = tmp.resolve("config.json");
    Files.writeString(f, "{\"keypoints\": 16}");
    assertEquals(Keypoints.SCALE, keypoints(RunConfig.load(f)).scale(), "a new config gets the default");
    assertEquals(1.0, keypoints(RunConfig.loadRun(f)).scale(), "an old run keeps what it was trained with");
    assertEquals(1.0, ((ActConfig) PolicyConfig.loadRun(f).model()).keypoints().scale(), "so does inference");
    RunConfig.DEFAULT.save(f);
    assertEquals(Keypoints.SCALE, keypoints(RunConfig.loadRun(f)).scale(), "a saved run has the field");
  }

  private static Keypoints keypoints(RunConfig c) {
    return ((ActConfig) c.policy().model()).keypoints();
  }

  private void assertMessage(String json, String expected) throws Exception {
    Path f = tmp.resolve("bad.json");
    Files.writeString(f, json);
    InputException e = assertThrows(InputException.class, () -> RunConfig.load(f), json);
    assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
    assertTrue(e.getMessage().contains(expected), json + " -> " + e.getMessage());
  }
}

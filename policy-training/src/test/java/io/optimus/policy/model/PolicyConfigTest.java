package io.optimus.policy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyConfigTest {
  @TempDir Path tmp;

  @Test
  void missingFieldsTakeDefaultsAndTheFileRoundTrips() throws Exception {
    Path f = tmp.resolve("c.json");
    Files.writeString(f, "{\"kind\": \"mlp\", \"steps\": 7, \"seed\": 42}");
    PolicyConfig c = PolicyConfig.load(f);
    assertEquals("mlp", c.kind());
    assertEquals(7, c.steps());
    assertEquals(42L, c.seed());
    assertEquals(PolicyConfig.defaults().chunk(), c.chunk());
    c.save(tmp.resolve("saved.json"));
    assertEquals(c, PolicyConfig.load(tmp.resolve("saved.json")));
  }

  @Test
  void badConfigsNameTheFileAndTheField() throws Exception {
    assertMessage("{\"kind\": \"rnn\"}", "kind");
    assertMessage("{\"chunk\": 0}", "chunk");
    assertMessage("{\"dModel\": 30, \"heads\": 4}", "dModel");
    assertMessage("{\"learningRate\": -1}", "learningRate");
    assertMessage("{\"validationFraction\": 1.0}", "validationFraction");
    assertMessage("{\"encoder\": \"resnet\"}", "encoder");
    assertMessage("{\"keypointGain\": 0}", "keypointGain");
    assertMessage("{\"keypointScale\": -1}", "keypointScale");
    assertMessage("{\"stpes\": 10}", "unknown field \"stpes\"");
    assertMessage("{\"steps\": \"many\"}", "steps");
    assertMessage("[1, 2]", "JSON object");
    assertMessage("{\"steps\": 10", "not valid JSON");
    InputException missing = assertThrows(InputException.class, () -> PolicyConfig.load(tmp.resolve("none.json")));
    assertTrue(missing.getMessage().contains("none.json") && missing.getMessage().contains("no such file"));
  }

  @Test
  void aRunSavedBeforeKeypointScaleExistedLoadsAtScaleOne() throws Exception {
    Path f = tmp.resolve("config.json");
    Files.writeString(f, "{\"keypoints\": 16}");
    assertEquals(PolicyConfig.KEYPOINT_SCALE, PolicyConfig.load(f).keypointScale(), "a new config gets the default");
    assertEquals(1.0, PolicyConfig.loadRun(f).keypointScale(), "an old run keeps what it was trained with");
    PolicyConfig.defaults().save(f);
    assertEquals(PolicyConfig.KEYPOINT_SCALE, PolicyConfig.loadRun(f).keypointScale(), "a saved run has the field");
  }

  private void assertMessage(String json, String expected) throws Exception {
    Path f = tmp.resolve("bad.json");
    Files.writeString(f, json);
    InputException e = assertThrows(InputException.class, () -> PolicyConfig.load(f), json);
    assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
    assertTrue(e.getMessage().contains(expected), json + " -> " + e.getMessage());
  }
}

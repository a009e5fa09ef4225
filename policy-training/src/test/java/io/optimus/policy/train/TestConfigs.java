package io.optimus.policy.train;

import io.optimus.common.Json;
import io.optimus.policy.model.PolicyConfig;
import java.util.Map;

/** Tiny configs so the suite stays fast on two shared cores. */
public final class TestConfigs {
  private TestConfigs() {}

  public static PolicyConfig tiny(String kind, int steps, Map<String, Object> overrides) {
    var node = Json.MAPPER.createObjectNode();
    node.put("kind", kind);
    node.put("chunk", 8);
    node.put("hidden", 64);
    node.put("layers", 2);
    node.put("dModel", 32);
    node.put("heads", 2);
    node.put("encoderLayers", 1);
    node.put("feedForward", 64);
    node.put("batchSize", 32);
    node.put("steps", steps);
    node.put("learningRate", 2e-3);
    node.put("validationFraction", 0.2);
    node.put("checkpointEvery", 1000);
    node.put("evalEvery", 50);
    node.put("encoder", "pixels:6");
    node.put("threads", 1);
    overrides.forEach((k, v) -> node.set(k, Json.MAPPER.valueToTree(v)));
    return PolicyConfig.fromJson(node, "test");
  }
}

package io.optimus.policy.train;

import io.optimus.policy.PolicyConfig;
import io.optimus.policy.act.ActConfig;
import io.optimus.policy.mlp.MlpConfig;
import io.optimus.policy.model.Keypoints;
import io.optimus.policy.model.ModelConfig;

/** Tiny configs so the suite stays fast on two shared cores. */
public final class TestConfigs {
  public static final ActConfig TINY_ACT = new ActConfig(32, 2, 1, 64, Keypoints.NONE);
  public static final MlpConfig TINY_MLP = new MlpConfig(64, 2, false, Keypoints.NONE);

  private TestConfigs() {}

  public static ModelConfig model(String kind) {
    return kind.equals(ActConfig.KIND) ? TINY_ACT : TINY_MLP;
  }

  public static PolicyConfig.Builder policy(String kind) {
    return PolicyConfig.builder().model(model(kind)).chunk(8).encoder("pixels:6", 16);
  }

  public static TrainConfig.Builder train(int steps) {
    return TrainConfig.builder().batchSize(32).steps(steps).learningRate(2e-3).validationFraction(0.2)
        .checkpointEvery(1000).evalEvery(50).threads(1);
  }

  public static RunConfig tiny(String kind, int steps) {
    return new RunConfig(policy(kind).build(), train(steps).build());
  }

  public static RunConfig tiny(String kind, TrainConfig.Builder train) {
    return new RunConfig(policy(kind).build(), train.build());
  }
}

package io.optimus.policy.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.Json;
import io.optimus.policy.PolicyConfig;
import io.optimus.policy.config.ConfigFields;
import io.optimus.policy.model.Keypoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that decides a training run: the policy ({@link PolicyConfig}) and how it is trained
 * ({@link TrainConfig}). On disk one flat JSON object (the format every config and run directory
 * has always had); fields left out take the defaults, unknown fields and bad values are refused
 * with a one-line error naming the file and the field.
 */
public record RunConfig(PolicyConfig policy, TrainConfig train) {
  public static final RunConfig DEFAULT = new RunConfig(PolicyConfig.DEFAULT, TrainConfig.DEFAULT);
  private static final List<String> FIELDS;

  static {
    List<String> all = new ArrayList<>(PolicyConfig.FIELDS);
    all.addAll(TrainConfig.FIELDS);
    FIELDS = List.copyOf(all);
  }

  public RunConfig {
    if (policy == null || train == null) {
      throw new IllegalArgumentException("run config needs a policy and a training config");
    }
  }

  /** Reads a config file. */
  public static RunConfig load(Path file) {
    return read(ConfigFields.read(file, "policy config"), Keypoints.SCALE);
  }

  /**
   * Reads the config saved in a run directory. A run saves every field, so one without
   * {@code keypointScale} was trained before it existed, at scale 1.
   */
  public static RunConfig loadRun(Path file) {
    return read(ConfigFields.read(file, "policy config"), Keypoints.LEGACY_SCALE);
  }

  public static RunConfig fromJson(JsonNode node, String source) {
    return read(ConfigFields.of(node, "policy config " + source), Keypoints.SCALE);
  }

  private static RunConfig read(ConfigFields f, double keypointScale) {
    f.requireOnly(FIELDS);
    return new RunConfig(PolicyConfig.read(f, keypointScale), TrainConfig.read(f));
  }

  /** Every field, flat: the policy's, then the training's. */
  public Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>(policy.fields());
    m.putAll(train.fields());
    return m;
  }

  public void save(Path file) throws IOException {
    Files.writeString(file, Json.write(fields()));
  }

  public RunConfig withSteps(int steps) {
    return new RunConfig(policy, train.withSteps(steps));
  }

  public RunConfig withPolicy(PolicyConfig p) {
    return new RunConfig(p, train);
  }

  public RunConfig withTrain(TrainConfig t) {
    return new RunConfig(policy, t);
  }
}

package io.optimus.policy.mlp;

import static io.optimus.policy.config.ConfigFields.require;

import ai.djl.ndarray.NDManager;
import io.optimus.policy.data.ObservationLayout;
import io.optimus.policy.model.Keypoints;
import io.optimus.policy.model.ModelConfig;
import io.optimus.policy.model.PolicyModel;

/**
 * The behaviour-cloning baseline's architecture ({@link MlpModel}): {@code layers} ReLU layers of
 * {@code hidden} units.
 *
 * @param useImage whether the MLP also sees the image (pooled features or keypoints)
 */
public record MlpConfig(int hidden, int layers, boolean useImage, Keypoints keypoints) implements ModelConfig {
  public static final String KIND = "mlp";
  public static final MlpConfig DEFAULT = new MlpConfig(256, 3, false, Keypoints.NONE);

  public MlpConfig {
    require(hidden >= 1, "hidden", hidden, "must be positive");
    require(layers >= 1, "layers", layers, "must be positive");
    require(keypoints != null, "keypoints", null, "must be given");
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public PolicyModel create(ObservationLayout layout, NDManager manager) {
    return new MlpModel(layout, this).initialized(manager);
  }

  public MlpConfig withUseImage(boolean v) {
    return new MlpConfig(hidden, layers, v, keypoints);
  }

  public MlpConfig withKeypoints(Keypoints v) {
    return new MlpConfig(hidden, layers, useImage, v);
  }
}

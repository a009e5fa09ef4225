package io.optimus.policy.act;

import static io.optimus.policy.config.ConfigFields.require;

import ai.djl.ndarray.NDManager;
import io.optimus.policy.data.ObservationLayout;
import io.optimus.policy.model.Keypoints;
import io.optimus.policy.model.ModelConfig;
import io.optimus.policy.model.PolicyModel;

/**
 * ACT's architecture ({@link ActModel}): a pre-norm transformer encoder of {@code encoderLayers}
 * layers, width {@code dModel}, {@code heads} attention heads and a {@code feedForward}-wide MLP.
 */
public record ActConfig(int dModel, int heads, int encoderLayers, int feedForward, Keypoints keypoints)
    implements ModelConfig {
  public static final String KIND = "act";
  public static final ActConfig DEFAULT = new ActConfig(64, 4, 2, 128, Keypoints.NONE);

  public ActConfig {
    require(heads >= 1, "heads", heads, "must be positive");
    require(dModel >= 1 && dModel % heads == 0, "dModel", dModel, "must be a positive multiple of heads");
    require(encoderLayers >= 1, "encoderLayers", encoderLayers, "must be positive");
    require(feedForward >= 1, "feedForward", feedForward, "must be positive");
    require(keypoints != null, "keypoints", null, "must be given");
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public PolicyModel create(ObservationLayout layout, NDManager manager) {
    return new ActModel(layout, this).initialized(manager);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public static Builder builder() {
    return new Builder(DEFAULT);
  }

  /** Starts from a config (the defaults for {@link #builder()}) and changes what is set. */
  public static final class Builder {
    private int dModel;
    private int heads;
    private int encoderLayers;
    private int feedForward;
    private Keypoints keypoints;

    private Builder(ActConfig c) {
      dModel = c.dModel;
      heads = c.heads;
      encoderLayers = c.encoderLayers;
      feedForward = c.feedForward;
      keypoints = c.keypoints;
    }

    public Builder dModel(int v) {
      dModel = v;
      return this;
    }

    public Builder heads(int v) {
      heads = v;
      return this;
    }

    public Builder encoderLayers(int v) {
      encoderLayers = v;
      return this;
    }

    public Builder feedForward(int v) {
      feedForward = v;
      return this;
    }

    public Builder keypoints(Keypoints v) {
      keypoints = v;
      return this;
    }

    public ActConfig build() {
      return new ActConfig(dModel, heads, encoderLayers, feedForward, keypoints);
    }
  }
}

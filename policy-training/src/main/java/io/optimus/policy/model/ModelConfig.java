package io.optimus.policy.model;

import ai.djl.ndarray.NDManager;
import io.optimus.policy.data.ObservationLayout;

/** The architecture of one policy family (its own package holds the config and the network). */
public interface ModelConfig {
  /** The family's name in config files ("act", "mlp"). */
  String kind();

  /** A fresh network for the layout, weights drawn from the engine's RNG (seed it first for reproducible runs). */
  PolicyModel create(ObservationLayout layout, NDManager manager);
}

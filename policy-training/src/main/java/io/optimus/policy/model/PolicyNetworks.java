package io.optimus.policy.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.XavierInitializer;
import io.optimus.policy.data.ObservationLayout;

/** Builds and initializes the network a config names, for a given observation layout. */
public final class PolicyNetworks {
  private PolicyNetworks() {}

  /** A fresh network with weights drawn from the engine's RNG (seed it first for reproducible runs). */
  public static Block create(PolicyConfig config, ObservationLayout layout, NDManager manager) {
    Block block = config.isAct() ? new ActPolicyBlock(layout, config) : new MlpPolicyBlock(layout, config);
    block.setInitializer(new XavierInitializer(), p -> p.getType() == Parameter.Type.WEIGHT && p.getInitializer() == null);
    block.initialize(manager, DataType.FLOAT32, inputShapes(layout, 1));
    return block;
  }

  public static Shape[] inputShapes(ObservationLayout layout, int batch) {
    return layout.featureShape() == null
        ? new Shape[] {new Shape(batch, layout.stateSize())}
        : new Shape[] {new Shape(batch, layout.stateSize()), new Shape(batch, layout.featureSize())};
  }
}

package io.optimus.policy.mlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.optimus.policy.data.ObservationLayout;
import io.optimus.policy.model.PolicyModel;
import io.optimus.policy.model.SpatialSoftArgmax;

/**
 * Behaviour cloning baseline: an MLP from the normalized joint state (optionally with the
 * spatially pooled image embedding, or {@link SpatialSoftArgmax} keypoints) to a whole action chunk. Inputs: state (B, S) and, when the
 * layout has images, features (B, N*C); output (B, H*J).
 */
public final class MlpModel extends PolicyModel {
  private final boolean useImage;
  private final SequentialBlock mlp;
  private final SpatialSoftArgmax keypoints;

  public MlpModel(ObservationLayout layout, MlpConfig config) {
    super(layout);
    this.useImage = config.useImage() && layout.featureShape() != null;
    this.keypoints = useImage && config.keypoints().enabled()
        ? addChildBlock("keypoints", new SpatialSoftArgmax(layout.featureShape(), config.keypoints()))
        : null;
    SequentialBlock seq = new SequentialBlock();
    for (int i = 0; i < config.layers(); i++) {
      seq.add(Linear.builder().setUnits(config.hidden()).build()).add(Activation::relu);
    }
    seq.add(Linear.builder().setUnits(layout.actionSize()).build());
    mlp = addChildBlock("mlp", seq);
  }

  private int inputSize() {
    return layout.stateSize() + (!useImage ? 0 : keypoints != null ? keypoints.outputSize()
        : layout.featureShape().views() * layout.featureShape().channels());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    if (keypoints != null) {
      x = x.concat(keypoints.forward(ps, new NDList(inputs.get(1)), training).head(), 1);
    } else if (useImage) {
      long b = x.getShape().get(0);
      var fs = layout.featureShape();
      // each camera's map pooled on its own: (B, V*C)
      NDArray pooled = inputs.get(1).reshape(b, fs.views(), fs.viewTokens(), fs.channels()).mean(new int[] {2})
          .reshape(b, (long) fs.views() * fs.channels());
      x = x.concat(pooled, 1);
    }
    return mlp.forward(ps, new NDList(x), training);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    if (keypoints != null) {
      keypoints.initialize(manager, dataType, inputShapes[1]);
    }
    mlp.initialize(manager, dataType, new Shape(inputShapes[0].get(0), inputSize()));
  }
}

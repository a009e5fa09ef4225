package io.optimus.policy.act;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.optimus.policy.data.ObservationLayout;
import io.optimus.policy.model.PolicyModel;
import io.optimus.policy.model.SpatialSoftArgmax;
import java.util.ArrayList;
import java.util.List;

/**
 * ACT-style policy (Zhao et al. 2023, without the CVAE latent: demonstrations from one scripted
 * operator are close to unimodal). A transformer encoder runs over one joint-state token, one token
 * per cell of the image feature map (or one token of {@link SpatialSoftArgmax} keypoints) and H
 * action-query tokens, each with a learned position embedding (with several cameras: every cell of
 * every camera's map, or one keypoint token per camera); the query tokens' outputs are read
 * out as the H joint-target chunk.
 * Inputs: state (B, S), features (B, N*C) when the layout has images; output (B, H*J).
 */
public final class ActModel extends PolicyModel {
  private final int dModel;
  private final int tokens;
  private final Linear stateProjection;
  private final Linear featureProjection;
  private final SpatialSoftArgmax keypoints;
  private final List<TransformerLayer> encoder = new ArrayList<>();
  private final LayerNorm outputNorm;
  private final Linear head;
  private final Parameter positions;

  public ActModel(ObservationLayout layout, ActConfig config) {
    super(layout);
    this.dModel = config.dModel();
    boolean images = layout.featureShape() != null;
    keypoints = images && config.keypoints().enabled()
        ? addChildBlock("keypoints", new SpatialSoftArgmax(layout.featureShape(), config.keypoints()))
        : null;
    int imageTokens = !images ? 0 : keypoints != null ? layout.featureShape().views() : layout.featureShape().tokens();
    this.tokens = 1 + imageTokens + layout.chunk();
    stateProjection = addChildBlock("state", Linear.builder().setUnits(dModel).build());
    featureProjection = imageTokens == 0 ? null : addChildBlock("image", Linear.builder().setUnits(dModel).build());
    for (int i = 0; i < config.encoderLayers(); i++) {
      encoder.add(addChildBlock("encoder" + i,
          new TransformerLayer(dModel, config.heads(), config.feedForward())));
    }
    outputNorm = addChildBlock("output_norm", LayerNorm.builder().build());
    head = addChildBlock("head", Linear.builder().setUnits(layout.actionWidth()).build());
    positions = addParameter(Parameter.builder().setName("positions").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(1, tokens, dModel)).optInitializer(new NormalInitializer(0.02f)).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray state = inputs.get(0);
    long b = state.getShape().get(0);
    int h = layout.chunk();
    NDList parts = new NDList();
    parts.add(stateProjection.forward(ps, new NDList(state), training).head().reshape(b, 1, dModel));
    if (keypoints != null) {
      int views = layout.featureShape().views();
      NDArray points = keypoints.forward(ps, new NDList(inputs.get(1)), training).head()
          .reshape(b, views, keypoints.viewOutputSize());
      parts.add(featureProjection.forward(ps, new NDList(points), training).head().reshape(b, views, dModel));
    } else if (featureProjection != null) {
      var fs = layout.featureShape();
      NDArray cells = inputs.get(1).reshape(b, fs.tokens(), fs.channels());
      parts.add(featureProjection.forward(ps, new NDList(cells), training).head());
    }
    parts.add(state.getManager().zeros(new Shape(b, h, dModel), state.getDataType()));
    NDArray x = NDArrays.concat(parts, 1).add(ps.getValue(positions, state.getDevice(), training));
    for (TransformerLayer layer : encoder) {
      x = layer.forward(ps, new NDList(x), training).head();
    }
    NDArray queries = x.get(new NDIndex(":, {}:, :", tokens - h));
    NDList normed = outputNorm.forward(ps, new NDList(queries), training);
    NDArray out = head.forward(ps, normed, training).head();
    return new NDList(out.reshape(b, (long) h * layout.actionWidth()));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long b = inputShapes[0].get(0);
    stateProjection.initialize(manager, dataType, inputShapes[0]);
    if (keypoints != null) {
      keypoints.initialize(manager, dataType, new Shape(b, layout.featureSize()));
      featureProjection.initialize(manager, dataType,
          new Shape(b, layout.featureShape().views(), keypoints.viewOutputSize()));
    } else if (featureProjection != null) {
      var fs = layout.featureShape();
      featureProjection.initialize(manager, dataType, new Shape(b, fs.tokens(), fs.channels()));
    }
    for (TransformerLayer layer : encoder) {
      layer.initialize(manager, dataType, new Shape(b, tokens, dModel));
    }
    outputNorm.initialize(manager, dataType, new Shape(b, layout.chunk(), dModel));
    head.initialize(manager, dataType, new Shape(b, layout.chunk(), dModel));
  }
}

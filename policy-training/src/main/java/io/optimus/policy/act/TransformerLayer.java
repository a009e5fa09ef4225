package io.optimus.policy.act;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-norm transformer encoder layer: x + MHA(LN(x)), then x + FFN(LN(x)). Written here because
 * DJL's TransformerEncoderBlock normalizes with BatchNorm, whose running statistics make a policy
 * behave differently at batch size one than in training.
 */
final class TransformerLayer extends AbstractBlock {
  private final LayerNorm attentionNorm;
  private final ScaledDotProductAttentionBlock attention;
  private final LayerNorm feedForwardNorm;
  private final Linear expand;
  private final Linear contract;

  TransformerLayer(int dModel, int heads, int feedForward) {
    attentionNorm = addChildBlock("attention_norm", LayerNorm.builder().build());
    attention = addChildBlock("attention", ScaledDotProductAttentionBlock.builder().setEmbeddingSize(dModel)
        .setHeadCount(heads).optAttentionProbsDropoutProb(0f).build());
    feedForwardNorm = addChildBlock("ff_norm", LayerNorm.builder().build());
    expand = addChildBlock("ff_expand", Linear.builder().setUnits(feedForward).build());
    contract = addChildBlock("ff_contract", Linear.builder().setUnits(dModel).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head();
    NDArray a = attention.forward(ps, attentionNorm.forward(ps, new NDList(x), training), training).head();
    x = x.add(a);
    NDArray h = expand.forward(ps, feedForwardNorm.forward(ps, new NDList(x), training), training).head();
    NDArray f = contract.forward(ps, new NDList(Activation.relu(h)), training).head();
    return new NDList(x.add(f));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape s = inputShapes[0];
    attentionNorm.initialize(manager, dataType, s);
    attention.initialize(manager, dataType, s);
    feedForwardNorm.initialize(manager, dataType, s);
    expand.initialize(manager, dataType, s);
    contract.initialize(manager, dataType, new Shape(s.get(0), s.get(1), expand.getOutputShapes(new Shape[] {s})[0].get(2)));
  }
}

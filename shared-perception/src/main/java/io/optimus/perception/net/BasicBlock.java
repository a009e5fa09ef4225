package io.optimus.perception.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** ResNet v1 basic block: two 3x3 conv-BN layers plus an identity or 1x1-projection shortcut. */
final class BasicBlock extends AbstractBlock {
  private final Block conv1;
  private final Block bn1;
  private final Block conv2;
  private final Block bn2;
  private final Block projConv;
  private final Block projBn;
  private final int channels;
  private final int stride;

  BasicBlock(int inChannels, int channels, int stride) {
    this.channels = channels;
    this.stride = stride;
    conv1 = addChildBlock("conv1", Layers.conv(channels, 3, stride, false));
    bn1 = addChildBlock("bn1", Layers.batchNorm());
    conv2 = addChildBlock("conv2", Layers.conv(channels, 3, 1, false));
    bn2 = addChildBlock("bn2", Layers.batchNorm());
    if (stride != 1 || inChannels != channels) {
      projConv = addChildBlock("proj_conv", Layers.conv(channels, 1, stride, false));
      projBn = addChildBlock("proj_bn", Layers.batchNorm());
    } else {
      projConv = null;
      projBn = null;
    }
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDList y = conv1.forward(ps, inputs, training);
    y = bn1.forward(ps, y, training);
    y = new NDList(Activation.relu(y.singletonOrThrow()));
    y = conv2.forward(ps, y, training);
    NDArray main = bn2.forward(ps, y, training).singletonOrThrow();
    NDArray shortcut = projConv == null ? x
        : projBn.forward(ps, projConv.forward(ps, inputs, training), training).singletonOrThrow();
    return new NDList(Activation.relu(main.add(shortcut)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {Layers.strided(inputShapes[0], channels, stride)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    conv1.initialize(manager, dataType, in);
    Shape mid = conv1.getOutputShapes(new Shape[] {in})[0];
    bn1.initialize(manager, dataType, mid);
    conv2.initialize(manager, dataType, mid);
    bn2.initialize(manager, dataType, mid);
    if (projConv != null) {
      projConv.initialize(manager, dataType, in);
      projBn.initialize(manager, dataType, mid);
    }
  }
}

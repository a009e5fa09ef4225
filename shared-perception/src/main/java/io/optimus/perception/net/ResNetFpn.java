package io.optimus.perception.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The shared backbone: ResNet v1 trunk (7x7/2 stem, 3x3/2 max-pool, four stages of basic blocks)
 * and an FPN neck fusing every scale top-down.
 *
 * <p>Input: RGB images [N, 3, H, W] with values in [0, 1] (H, W multiples of 32); the block
 * normalises them itself. Output, in this order:
 * <ol>
 *   <li>{@link #EMBEDDING}: global average of the last stage, [N, 8·width]</li>
 *   <li>P1..P5: FPN maps [N, F, H/2^k, W/2^k] for k = 1..5, top-down sums of 1x1 laterals; P2 is
 *       smoothed by a 3x3 conv-BN-ReLU. P1 (stride 2) is left unsmoothed: a 3x3 conv at half
 *       resolution would cost as much as a ResNet stage, and the heads reading it start with one.</li>
 * </ol>
 */
public final class ResNetFpn extends AbstractBlock {
  public static final int EMBEDDING = 0;
  public static final int P1 = 1;
  public static final int P2 = 2;
  public static final int LEVELS = 5;

  private final BackboneConfig config;
  private final Block stemConv;
  private final Block stemBn;
  private final Block[] stages = new Block[4];
  private final Block[] laterals = new Block[LEVELS];
  private final Block smooth2;

  public ResNetFpn(BackboneConfig config) {
    this.config = config;
    stemConv = addChildBlock("stem_conv", Layers.conv(config.width(), 7, 2, false));
    stemBn = addChildBlock("stem_bn", Layers.batchNorm());
    int[] blocks = config.blocksPerStage();
    int in = config.width();
    for (int s = 0; s < 4; s++) {
      int out = config.stageChannels(s);
      SequentialBlock stage = new SequentialBlock();
      for (int b = 0; b < blocks[s]; b++) {
        stage.add(new BasicBlock(b == 0 ? in : out, out, b == 0 && s > 0 ? 2 : 1));
      }
      stages[s] = addChildBlock("stage" + (s + 1), stage);
      in = out;
    }
    for (int l = 0; l < LEVELS; l++) {
      laterals[l] = addChildBlock("lateral" + (l + 1), Layers.conv(config.fpnChannels(), 1, 1, true));
    }
    smooth2 = addChildBlock("smooth2", smoothing(config.fpnChannels()));
    setInitializer(Layers.HE_INIT, Parameter.Type.WEIGHT);
  }

  private static Block smoothing(int channels) {
    return new SequentialBlock()
        .add(Layers.conv(channels, 3, 1, false))
        .add(Layers.batchNorm())
        .add(Activation.reluBlock());
  }

  public BackboneConfig config() {
    return config;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray[] c = new NDArray[LEVELS];
    NDArray normalised = inputs.singletonOrThrow().sub(0.45f).mul(4f);
    NDArray x = stemConv.forward(ps, new NDList(normalised), training).singletonOrThrow();
    x = Activation.relu(stemBn.forward(ps, new NDList(x), training).singletonOrThrow());
    c[0] = x;
    x = Pool.maxPool2d(x, new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false);
    for (int s = 0; s < 4; s++) {
      x = stages[s].forward(ps, new NDList(x), training).singletonOrThrow();
      c[s + 1] = x;
    }
    NDArray[] p = new NDArray[LEVELS];
    p[LEVELS - 1] = lateral(ps, LEVELS - 1, c, training);
    for (int l = LEVELS - 2; l >= 0; l--) {
      p[l] = lateral(ps, l, c, training).add(Layers.upsample2(p[l + 1]));
    }
    p[1] = smooth2.forward(ps, new NDList(p[1]), training).singletonOrThrow();
    NDList out = new NDList(1 + LEVELS);
    out.add(c[LEVELS - 1].mean(new int[] {3}).mean(new int[] {2}));
    for (NDArray level : p) {
      out.add(level);
    }
    return out;
  }

  private NDArray lateral(ParameterStore ps, int level, NDArray[] c, boolean training) {
    return laterals[level].forward(ps, new NDList(c[level]), training).singletonOrThrow();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    long n = in.get(0);
    Shape[] out = new Shape[1 + LEVELS];
    out[0] = new Shape(n, config.embeddingSize());
    for (int l = 0; l < LEVELS; l++) {
      int stride = 2 << l;
      out[1 + l] = new Shape(n, config.fpnChannels(), in.get(2) / stride, in.get(3) / stride);
    }
    return out;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    long n = in.get(0);
    long h = in.get(2);
    long w = in.get(3);
    stemConv.initialize(manager, dataType, in);
    Shape c1 = new Shape(n, config.width(), h / 2, w / 2);
    stemBn.initialize(manager, dataType, c1);
    Shape[] c = new Shape[LEVELS];
    c[0] = c1;
    Shape x = new Shape(n, config.width(), h / 4, w / 4);
    for (int s = 0; s < 4; s++) {
      stages[s].initialize(manager, dataType, x);
      x = stages[s].getOutputShapes(new Shape[] {x})[0];
      c[s + 1] = x;
    }
    for (int l = 0; l < LEVELS; l++) {
      laterals[l].initialize(manager, dataType, c[l]);
    }
    Shape[] outs = getOutputShapes(inputShapes);
    smooth2.initialize(manager, dataType, outs[1 + 1]);
  }
}

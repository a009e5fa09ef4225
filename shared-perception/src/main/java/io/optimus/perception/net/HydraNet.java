package io.optimus.perception.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * HydraNet: one shared {@link ResNetFpn} backbone, many {@link HydraHeads}.
 *
 * <p>Input [N, 3, H, W] or a multi-camera batch [B, K, 3, H, W] (K cameras per sample; they share
 * the backbone and are folded into the batch). Output, each with the input's leading dims:
 * the vehicle heads' segmentation logits, log depth, heatmap logits and box size, then the pooled
 * embedding, then the robot heads' segmentation logits, log depth and centre heatmap logits (see
 * {@link HydraHeads}; the OUT_* constants).
 *
 * <p>When the backbone is frozen its parameters get no gradient and it always runs in inference
 * mode, so batch-norm running statistics stay put too: the backbone really does not change.
 */
public final class HydraNet extends AbstractBlock {
  public static final int OUT_SEG = HydraHeads.SEG;
  public static final int OUT_DEPTH = HydraHeads.DEPTH;
  public static final int OUT_HEATMAP = HydraHeads.HEATMAP;
  public static final int OUT_SIZE = HydraHeads.SIZE;
  public static final int OUT_EMBEDDING = 4;
  public static final int OUT_ROBOT_SEG = 5;
  public static final int OUT_ROBOT_DEPTH = 6;
  public static final int OUT_ROBOT_CENTRE = 7;

  /** The net's output position of head {@code h} ({@link HydraHeads#SEG} ... {@link HydraHeads#ROBOT_CENTRE}). */
  public static int outputOf(int head) {
    return head < OUT_EMBEDDING ? head : head + 1;
  }

  private final ResNetFpn backbone;
  private final HydraHeads heads;
  private boolean backboneFrozen;

  public HydraNet(BackboneConfig config) {
    backbone = addChildBlock("backbone", new ResNetFpn(config));
    heads = addChildBlock("heads", new HydraHeads(config.fpnChannels()));
  }

  public ResNetFpn backbone() {
    return backbone;
  }

  public HydraHeads heads() {
    return heads;
  }

  public BackboneConfig config() {
    return backbone.config();
  }

  /**
   * Freeze (no gradient, inference-mode batch norm) or fine-tune the backbone; the heads always
   * train. Call before training, also after loading weights (loaded arrays carry no gradient flag).
   */
  public void setBackboneFrozen(boolean frozen) {
    backboneFrozen = frozen;
    backbone.freezeParameters(frozen, HydraNet::learnable);
    heads.freezeParameters(false, HydraNet::learnable);
  }

  /** Batch-norm running statistics are state, not learnable: they never take a gradient. */
  static boolean learnable(Parameter p) {
    return p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR;
  }

  public boolean isBackboneFrozen() {
    return backboneFrozen;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray images = inputs.get(0);
    Shape shape = images.getShape();
    boolean multiCamera = shape.dimension() == 5;
    if (multiCamera) {
      images = images.reshape(shape.get(0) * shape.get(1), shape.get(2), shape.get(3), shape.get(4));
    }
    NDList features = backbone.forward(ps, new NDList(images), training && !backboneFrozen);
    NDList out = heads.forward(ps, features, training);
    out.add(OUT_EMBEDDING, features.get(ResNetFpn.EMBEDDING));
    if (!multiCamera) {
      return out;
    }
    NDList unfolded = new NDList(out.size());
    for (NDArray a : out) {
      Shape s = a.getShape();
      unfolded.add(a.reshape(new Shape(shape.get(0), shape.get(1)).addAll(s.slice(1))));
    }
    return unfolded;
  }

  private static Shape folded(Shape in) {
    return in.dimension() == 5 ? new Shape(in.get(0) * in.get(1), in.get(2), in.get(3), in.get(4)) : in;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    Shape[] features = backbone.getOutputShapes(new Shape[] {folded(in)});
    Shape[] headShapes = heads.getOutputShapes(features);
    Shape[] out = new Shape[headShapes.length + 1];
    for (int h = 0; h < headShapes.length; h++) {
      out[outputOf(h)] = headShapes[h];
    }
    out[OUT_EMBEDDING] = features[ResNetFpn.EMBEDDING];
    if (in.dimension() == 5) {
      for (int i = 0; i < out.length; i++) {
        out[i] = new Shape(in.get(0), in.get(1)).addAll(out[i].slice(1));
      }
    }
    return out;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = folded(inputShapes[0]);
    if (!backbone.isInitialized()) {
      backbone.initialize(manager, dataType, in);
    }
    if (!heads.isInitialized()) {
      heads.initialize(manager, dataType, backbone.getOutputShapes(new Shape[] {in}));
    }
  }
}

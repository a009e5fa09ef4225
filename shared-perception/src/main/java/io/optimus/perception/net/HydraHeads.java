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
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The task heads of both domains on top of the shared FPN: each is a 3x3 conv + ReLU + 1x1 conv
 * (hidden F/2 channels at stride 2, F at stride 4). Vehicle heads:
 * <ul>
 *   <li>segmentation logits, {@link #SEG_CLASSES} classes (background, drivable road, lane marking),
 *       on P1 (stride 2)</li>
 *   <li>log depth in metres, 1 channel, on P1 (stride 2)</li>
 *   <li>CenterNet object-centre heatmap logits, 1 channel (vehicle), on P2 (stride 4)</li>
 *   <li>box size (width, height) in units of the stride-4 cell, 2 channels, on P2</li>
 * </ul>
 * Robot heads (the robot's head and wrist camera frames):
 * <ul>
 *   <li>segmentation logits, {@link #ROBOT_SEG_CLASSES} classes (background, object, hand), on P1</li>
 *   <li>log depth in metres, 1 channel, on P1</li>
 *   <li>object-centre heatmap logits, 1 channel, on P2</li>
 * </ul>
 * Outputs in {@link #NAMES} order.
 */
public final class HydraHeads extends AbstractBlock {
  public static final int SEG_CLASSES = 3;
  public static final int SEG = 0;
  public static final int DEPTH = 1;
  public static final int HEATMAP = 2;
  public static final int SIZE = 3;
  public static final int ROBOT_SEG = 4;
  public static final int ROBOT_DEPTH = 5;
  public static final int ROBOT_CENTRE = 6;
  public static final int ROBOT_SEG_CLASSES = 3;
  /** The heads' names, indexed by their output position ({@link #SEG} ... {@link #ROBOT_CENTRE}); also their block names. */
  public static final java.util.List<String> NAMES = java.util.List.of("seg", "depth", "heatmap", "size", "robotSeg",
      "robotDepth", "robotCentre");
  /** Output positions of each domain's heads. */
  public static final int[] VEHICLE_HEADS = {SEG, DEPTH, HEATMAP, SIZE};
  public static final int[] ROBOT_HEADS = {ROBOT_SEG, ROBOT_DEPTH, ROBOT_CENTRE};
  /** Initial heatmap bias: sigmoid(-2.19) = 0.1, CenterNet's prior so early focal loss is stable. */
  public static final float HEATMAP_PRIOR_BIAS = -2.19f;

  private final Block seg;
  private final Block depth;
  private final Block heatmap;
  private final Block size;
  private final Block robotSeg;
  private final Block robotDepth;
  private final Block robotCentre;

  public HydraHeads(int fpnChannels) {
    // Stride-2 heads are 4x the pixels of stride-4 ones, so they get half the hidden channels.
    int fine = Math.max(8, fpnChannels / 2);
    seg = addChildBlock(NAMES.get(SEG), head(fine, SEG_CLASSES, 0f));
    // Depth starts near 20 m (log 3.0); the heatmap at CenterNet's prior.
    depth = addChildBlock(NAMES.get(DEPTH), head(fine, 1, 3.0f));
    heatmap = addChildBlock(NAMES.get(HEATMAP), head(fpnChannels, 1, HEATMAP_PRIOR_BIAS));
    size = addChildBlock(NAMES.get(SIZE), head(fpnChannels, 2, 0f));
    // Robot cameras look at a table 0.3-1 m away: depth starts near 0.6 m (log -0.5).
    robotSeg = addChildBlock(NAMES.get(ROBOT_SEG), head(fine, ROBOT_SEG_CLASSES, 0f));
    robotDepth = addChildBlock(NAMES.get(ROBOT_DEPTH), head(fine, 1, -0.5f));
    robotCentre = addChildBlock(NAMES.get(ROBOT_CENTRE), head(fpnChannels, 1, HEATMAP_PRIOR_BIAS));
  }

  private static Block head(int hidden, int out, float outBias) {
    Block first = Layers.conv(hidden, 3, 1, true);
    first.setInitializer(Layers.HE_INIT, Parameter.Type.WEIGHT);
    Block last = Layers.conv(out, 1, 1, true);
    last.setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
    last.setInitializer(new ConstantInitializer(outBias), Parameter.Type.BIAS);
    return new SequentialBlock().add(first).add(Activation.reluBlock()).add(last);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList p1 = new NDList(inputs.get(ResNetFpn.P1));
    NDList p2 = new NDList(inputs.get(ResNetFpn.P2));
    NDArray s = seg.forward(ps, p1, training).singletonOrThrow();
    NDArray d = depth.forward(ps, p1, training).singletonOrThrow();
    NDArray h = heatmap.forward(ps, p2, training).singletonOrThrow();
    NDArray z = size.forward(ps, p2, training).singletonOrThrow();
    NDArray rs = robotSeg.forward(ps, p1, training).singletonOrThrow();
    NDArray rd = robotDepth.forward(ps, p1, training).singletonOrThrow();
    NDArray rc = robotCentre.forward(ps, p2, training).singletonOrThrow();
    return new NDList(s, d, h, z, rs, rd, rc);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape p1 = inputShapes[ResNetFpn.P1];
    Shape p2 = inputShapes[ResNetFpn.P2];
    return new Shape[] {
        new Shape(p1.get(0), SEG_CLASSES, p1.get(2), p1.get(3)),
        new Shape(p1.get(0), 1, p1.get(2), p1.get(3)),
        new Shape(p2.get(0), 1, p2.get(2), p2.get(3)),
        new Shape(p2.get(0), 2, p2.get(2), p2.get(3)),
        new Shape(p1.get(0), ROBOT_SEG_CLASSES, p1.get(2), p1.get(3)),
        new Shape(p1.get(0), 1, p1.get(2), p1.get(3)),
        new Shape(p2.get(0), 1, p2.get(2), p2.get(3))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape p1 = inputShapes[ResNetFpn.P1];
    Shape p2 = inputShapes[ResNetFpn.P2];
    seg.initialize(manager, dataType, p1);
    depth.initialize(manager, dataType, p1);
    heatmap.initialize(manager, dataType, p2);
    size.initialize(manager, dataType, p2);
    robotSeg.initialize(manager, dataType, p1);
    robotDepth.initialize(manager, dataType, p1);
    robotCentre.initialize(manager, dataType, p2);
  }
}

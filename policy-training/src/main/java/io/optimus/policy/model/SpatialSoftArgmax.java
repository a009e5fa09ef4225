package io.optimus.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import io.optimus.policy.encode.FeatureShape;

/**
 * Spatial soft-argmax (Levine, Finn et al. 2016, "End-to-end training of deep visuomotor policies"):
 * a learned 1x1 convolution turns the C feature channels of every cell into K score maps; a softmax
 * over the cells of each map gives an attention distribution whose expected image position (x, y in
 * [-1, 1] times a fixed scale, x right, y down) is one keypoint. Where an object is survives exactly as numbers a small
 * network can regress joint targets from, which is what a pick-and-place policy needs of the image.
 * The scores are multiplied by a learned gain (Levine's softmax temperature, kept as its log so it
 * stays positive): without it the softmax of a small object over thousands of cells stays nearly
 * uniform and the keypoint never leaves the image centre.
 * With several views (cameras) each view gets its own K keypoints from the same score layer (a softmax
 * over that view's cells only), so a keypoint never jumps between cameras.
 * Input (B, V*N*C) channel-last cells, view after view; output (B, V*2K) as x0, y0, x1, y1, ... per view.
 */
public final class SpatialSoftArgmax extends AbstractBlock {
  private final FeatureShape shape;
  private final int keypoints;
  private final Linear scores;
  private final Parameter logGain;
  private final float scale;
  private final float[] gridX;
  private final float[] gridY;

  /** {@code config}: how many keypoints, the gain the scores start with and the coordinates' scale. */
  public SpatialSoftArgmax(FeatureShape shape, Keypoints config) {
    this(shape, config.count(), config.gain(), config.scale());
  }

  /**
   * @param initialGain the gain the scores start with (see {@link Keypoints#gain()})
   * @param scale what the keypoint coordinates are multiplied by (see {@link Keypoints#scale()})
   */
  public SpatialSoftArgmax(FeatureShape shape, int keypoints, double initialGain, double scale) {
    this.shape = shape;
    this.scale = (float) scale;
    this.keypoints = keypoints;
    this.scores = addChildBlock("scores", Linear.builder().setUnits(keypoints).build());
    this.logGain = addParameter(Parameter.builder().setName("log_gain").setType(Parameter.Type.OTHER)
        .optShape(new Shape(1)).optInitializer(new ConstantInitializer((float) Math.log(initialGain))).build());
    int n = shape.viewTokens();
    gridX = new float[n];
    gridY = new float[n];
    for (int k = 0; k < n; k++) {
      int row = k / shape.width();
      int col = k % shape.width();
      gridX[k] = this.scale * (shape.width() == 1 ? 0 : 2f * col / (shape.width() - 1) - 1);
      gridY[k] = this.scale * (shape.height() == 1 ? 0 : 2f * row / (shape.height() - 1) - 1);
    }
  }

  public int outputSize() {
    return 2 * keypoints * shape.views();
  }

  /** Keypoint numbers per view (2K). */
  public int viewOutputSize() {
    return 2 * keypoints;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray features = inputs.head();
    long b = features.getShape().get(0);
    int n = shape.viewTokens();
    int v = shape.views();
    NDArray cells = features.reshape(b, v, n, shape.channels());
    NDManager m = features.getManager();
    // from a batch-manager array, so the gain of every step is freed with the step
    NDArray gain = m.zeros(new Shape(1), features.getDataType())
        .add(ps.getValue(logGain, features.getDevice(), training)).exp();
    NDArray attention = scores.forward(ps, new NDList(cells), training).head().mul(gain).softmax(2); // (B, V, N, K)
    NDArray x = attention.mul(m.create(gridX, new Shape(1, 1, n, 1))).sum(new int[] {2}); // (B, V, K)
    NDArray y = attention.mul(m.create(gridY, new Shape(1, 1, n, 1))).sum(new int[] {2});
    return new NDList(x.expandDims(3).concat(y.expandDims(3), 3).reshape(b, (long) outputSize()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), outputSize())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long b = inputShapes[0].get(0);
    scores.initialize(manager, dataType, new Shape(b, shape.views(), shape.viewTokens(), shape.channels()));
  }
}

package io.optimus.perception.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;
import io.optimus.perception.net.HydraNet;

/**
 * The multi-task loss: weighted pixel cross-entropy (segmentation) + masked L1 on log depth +
 * CenterNet focal loss (heatmap, alpha 2, beta 4) + 0.1 x L1 on box size at vehicle centres.
 * Labels are {@link TrainingBatch#labels}; predictions are {@link HydraNet}'s outputs.
 */
public final class HydraLoss extends Loss {
  public static final float SIZE_WEIGHT = 0.1f;

  public HydraLoss() {
    super("hydra");
  }

  /** Per-head losses: [segmentation, depth, heatmap, size]; total = seg + depth + heatmap + 0.1 size. */
  public NDList components(NDList labels, NDList predictions) {
    NDArray segTarget = labels.get(0);
    NDArray depthLog = labels.get(1);
    NDArray depthMask = labels.get(2);
    NDArray heat = labels.get(3);
    NDArray peaks = labels.get(4);
    NDArray size = labels.get(5);

    NDArray logp = predictions.get(HydraNet.OUT_SEG).logSoftmax(1);
    NDArray seg = segTarget.mul(logp).sum().neg().div(segTarget.sum());

    NDArray depthErr = predictions.get(HydraNet.OUT_DEPTH).sub(depthLog).abs().mul(depthMask);
    NDArray depth = depthErr.sum().div(depthMask.sum().maximum(1f));

    NDArray p = Activation.sigmoid(predictions.get(HydraNet.OUT_HEATMAP)).clip(1e-4f, 1 - 1e-4f);
    NDArray oneMinusP = p.mul(-1).add(1);
    NDArray positives = p.log().mul(oneMinusP.square()).mul(peaks);
    NDArray negWeight = heat.mul(-1).add(1).pow(4).mul(peaks.mul(-1).add(1));
    NDArray negatives = oneMinusP.log().mul(p.square()).mul(negWeight);
    NDArray count = peaks.sum().maximum(1f);
    NDArray heatmap = positives.sum().add(negatives.sum()).neg().div(count);

    NDArray sizeErr = predictions.get(HydraNet.OUT_SIZE).sub(size).abs().mul(peaks);
    NDArray box = sizeErr.sum().div(count);
    return new NDList(seg, depth, heatmap, box);
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    return total(components(labels, predictions));
  }

  /** The weighted sum of {@link #components}. */
  public static NDArray total(NDList c) {
    return c.get(0).add(c.get(1)).add(c.get(2)).add(c.get(3).mul(SIZE_WEIGHT));
  }
}

package io.optimus.perception.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;
import io.optimus.perception.net.HydraNet;

/**
 * The multi-domain multi-task loss. Vehicle heads: weighted pixel cross-entropy (segmentation) +
 * masked L1 on log depth + CenterNet focal loss (heatmap, alpha 2, beta 4) + 0.1 x L1 on box size
 * at vehicle centres. Robot heads: the same cross-entropy, depth and focal terms on their labels.
 * Every term only sees samples of its head's domain (the batch's domain masks): a batch without
 * vehicle frames gives the vehicle heads a zero loss and a zero gradient, and vice versa.
 * Labels are {@link TrainingBatch#labels}; predictions are {@link HydraNet}'s outputs.
 */
public final class HydraLoss extends Loss {
  public static final float SIZE_WEIGHT = 0.1f;
  /** Number of {@link #components}: seg, depth, heatmap, size, robotSeg, robotDepth, robotCentre. */
  public static final int COMPONENTS = 7;

  public HydraLoss() {
    super("hydra");
  }

  /** Per-head losses in {@link io.optimus.perception.net.HydraHeads#NAMES} order. */
  public NDList components(NDList labels, NDList predictions) {
    NDArray vehicle = labels.get(11);
    NDArray robot = labels.get(12);
    NDArray seg = crossEntropy(predictions.get(HydraNet.OUT_SEG), labels.get(0));
    NDArray depth = depthL1(predictions.get(HydraNet.OUT_DEPTH), labels.get(1), labels.get(2));
    NDArray peaks = labels.get(4);
    NDArray heatmap = focal(predictions.get(HydraNet.OUT_HEATMAP), labels.get(3), peaks, vehicle);
    NDArray sizeErr = predictions.get(HydraNet.OUT_SIZE).sub(labels.get(5)).abs().mul(peaks);
    NDArray box = sizeErr.sum().div(peaks.sum().maximum(1f));
    NDArray robotSeg = crossEntropy(predictions.get(HydraNet.OUT_ROBOT_SEG), labels.get(6));
    NDArray robotDepth = depthL1(predictions.get(HydraNet.OUT_ROBOT_DEPTH), labels.get(7), labels.get(8));
    NDArray robotCentre = focal(predictions.get(HydraNet.OUT_ROBOT_CENTRE), labels.get(9), labels.get(10), robot);
    return new NDList(seg, depth, heatmap, box, robotSeg, robotDepth, robotCentre);
  }

  /** Class-weighted cross-entropy; targets are one-hot times the class weight, zero for other domains. */
  private static NDArray crossEntropy(NDArray logits, NDArray target) {
    return target.mul(logits.logSoftmax(1)).sum().neg().div(target.sum().maximum(1e-6f));
  }

  private static NDArray depthL1(NDArray logDepth, NDArray target, NDArray mask) {
    return logDepth.sub(target).abs().mul(mask).sum().div(mask.sum().maximum(1f));
  }

  /** CenterNet focal loss over the samples whose {@code domain} mask ([B,1,1,1]) is 1. */
  private static NDArray focal(NDArray logits, NDArray heat, NDArray peaks, NDArray domain) {
    NDArray p = Activation.sigmoid(logits).clip(1e-4f, 1 - 1e-4f);
    NDArray oneMinusP = p.mul(-1).add(1);
    NDArray positives = p.log().mul(oneMinusP.square()).mul(peaks);
    NDArray negWeight = heat.mul(-1).add(1).pow(4).mul(peaks.mul(-1).add(1)).mul(domain);
    NDArray negatives = oneMinusP.log().mul(p.square()).mul(negWeight);
    return positives.sum().add(negatives.sum()).neg().div(peaks.sum().maximum(1f));
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    return total(components(labels, predictions));
  }

  /** The weighted sum of {@link #components}. */
  public static NDArray total(NDList c) {
    NDArray t = c.get(0).add(c.get(1)).add(c.get(2)).add(c.get(3).mul(SIZE_WEIGHT));
    for (int k = 4; k < c.size(); k++) {
      t = t.add(c.get(k));
    }
    return t;
  }

  /** {@link #total} of plain numbers. */
  public static double total(double[] c) {
    double t = c[0] + c[1] + c[2] + SIZE_WEIGHT * c[3];
    for (int k = 4; k < c.length; k++) {
      t += c[k];
    }
    return t;
  }
}

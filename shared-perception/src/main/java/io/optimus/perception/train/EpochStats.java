package io.optimus.perception.train;

/**
 * One epoch: mean training loss, held-out loss per head, wall time and throughput.
 *
 * @param heldOutSeg segmentation cross-entropy on the validation scenes
 * @param heldOutDepth mean |log depth error|
 * @param heldOutHeatmap CenterNet focal loss
 * @param heldOutSize mean |box size error| in stride-4 cells at vehicle centres
 */
public record EpochStats(int epoch, double trainLoss, double heldOutLoss, double heldOutSeg, double heldOutDepth,
    double heldOutHeatmap, double heldOutSize, double seconds, double imagesPerSecond) {}

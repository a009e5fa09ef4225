package io.optimus.perception.train;

/**
 * One epoch: mean training loss, held-out loss per head, wall time and throughput.
 *
 * @param heldOutSeg segmentation cross-entropy on the validation scenes
 * @param heldOutDepth mean |log depth error|
 * @param heldOutHeatmap CenterNet focal loss
 * @param heldOutSize mean |box size error| in stride-4 cells at vehicle centres
 * @param heldOutRobotSeg robot segmentation cross-entropy on the validation robot frames (0 without any)
 * @param heldOutRobotDepth robot mean |log depth error|
 * @param heldOutRobotCentre robot object-centre focal loss
 */
public record EpochStats(int epoch, double trainLoss, double heldOutLoss, double heldOutSeg, double heldOutDepth,
    double heldOutHeatmap, double heldOutSize, double heldOutRobotSeg, double heldOutRobotDepth,
    double heldOutRobotCentre, double seconds, double imagesPerSecond) {}

package io.optimus.perception.train;

import io.optimus.perception.net.BackboneConfig;
import java.util.List;

/**
 * What a training run did, written as {@code training.json} beside the weights. Wall time depends
 * on what else the machine runs; {@code trainingCpuSeconds} (this process, all threads, during the
 * epochs) is the steadier figure.
 */
public record HydraTrainingReport(BackboneConfig backbone, TrainOptions options, List<String> domains,
    List<EpochStats> epochs, double initialHeldOutLoss, double meanTrainingDepth, double meanRobotTrainingDepth,
    double generationSeconds, double trainingSeconds,
    double trainingCpuSeconds) {

  public EpochStats last() {
    return epochs.get(epochs.size() - 1);
  }
}

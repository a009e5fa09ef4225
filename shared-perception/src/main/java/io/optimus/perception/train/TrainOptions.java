package io.optimus.perception.train;

import io.optimus.common.InputException;
import io.optimus.perception.net.BackboneConfig;

/**
 * How to train: scene count and size, epochs, batch, Adam learning rate (cosine-decayed to 5%),
 * seed (scenes, init and shuffling), and whether the backbone is frozen.
 */
public record TrainOptions(int images, int epochs, int batchSize, int imageSize, float learningRate, long seed,
    boolean freezeBackbone) {

  /** Default: 800 scenes at 96x96, 4 epochs, batch 32, lr 2e-3: a few minutes on 2 cores. */
  public static TrainOptions defaults() {
    return new TrainOptions(800, 4, 32, 96, 2e-3f, 1L, false);
  }

  public TrainOptions {
    if (images < 1) {
      throw new InputException("--images: must be at least 1, got " + images);
    }
    if (epochs < 1) {
      throw new InputException("--epochs: must be at least 1, got " + epochs);
    }
    if (batchSize < 1) {
      throw new InputException("--batch: must be at least 1, got " + batchSize);
    }
    if (!(learningRate > 0) || learningRate > 1) {
      throw new InputException("--lr: must be in (0, 1], got " + learningRate);
    }
    BackboneConfig.checkImageSize(imageSize, imageSize);
  }

  public TrainOptions withEpochs(int e) {
    return new TrainOptions(images, e, batchSize, imageSize, learningRate, seed, freezeBackbone);
  }

  public TrainOptions withImages(int n) {
    return new TrainOptions(n, epochs, batchSize, imageSize, learningRate, seed, freezeBackbone);
  }

  public TrainOptions withFrozenBackbone(boolean frozen) {
    return new TrainOptions(images, epochs, batchSize, imageSize, learningRate, seed, frozen);
  }

  public TrainOptions withLearningRate(float lr) {
    return new TrainOptions(images, epochs, batchSize, imageSize, lr, seed, freezeBackbone);
  }

  public TrainOptions withBatchSize(int b) {
    return new TrainOptions(images, epochs, b, imageSize, learningRate, seed, freezeBackbone);
  }

  public TrainOptions withSeed(long s) {
    return new TrainOptions(images, epochs, batchSize, imageSize, learningRate, s, freezeBackbone);
  }
}

package io.optimus.perception.train;

/** Where a training run reports how far it is (a CLI progress bar, a log, nothing). */
public interface TrainingProgress {
  TrainingProgress NONE = new TrainingProgress() {};

  /** Scene generation: {@code done} of {@code total}. */
  default void generating(int done, int total) {}

  /** After each optimiser step. */
  default void step(int epoch, int epochs, int batch, int batches, double loss, double imagesPerSecond) {}

  /** After each epoch, with the held-out loss. */
  default void epochDone(EpochStats stats) {}
}

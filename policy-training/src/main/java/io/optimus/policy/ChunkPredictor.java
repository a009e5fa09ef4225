package io.optimus.policy;

import io.optimus.policy.data.ObservationLayout;
import java.nio.file.Path;

/**
 * A loaded policy of any origin (trained here, or imported from TorchScript) as the runtime steps it:
 * raw joint observation and image input in, a chunk of H x J joint targets (joint units, the order of
 * {@code meta().joints()}) out. Implementations are thread-safe: {@link #predict} may be called from
 * any thread (one call at a time runs).
 */
public interface ChunkPredictor extends AutoCloseable {
  /** The run directory it was loaded from. */
  Path run();

  PolicyMeta meta();

  ObservationLayout layout();

  /** Temporal ensembling weight m (w_i = exp(-m i), oldest first). */
  double ensembleDecay();

  /**
   * How many actions of a chunk are executed before the next prediction (LeRobot's n_action_steps);
   * 0: predict every tick and execute the ensembled (or newest first) target.
   */
  default int actionSteps() {
    return 0;
  }

  /**
   * One chunk for the observation. {@code imageInput} is what the run's image encoder produced for the
   * latest camera frame (ignored, may be null, without image input).
   */
  void predict(float[] q, float[] dq, ObservationLayout.QHistory past, float[] imageInput, float[] chunkOut);

  @Override
  void close();
}

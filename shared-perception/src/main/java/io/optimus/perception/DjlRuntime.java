package io.optimus.perception;

import ai.djl.engine.Engine;

/**
 * The one place the PyTorch engine is configured. Thread counts must be set before the engine first
 * loads; the machine is shared (2 cores, other processes), so intra-op threads default to the
 * available processors capped at 2, and inter-op threads to 1. Override with the system properties
 * {@code ai.djl.pytorch.num_threads} / {@code ai.djl.pytorch.num_interop_threads}.
 */
public final class DjlRuntime {
  private static volatile Engine engine;

  private DjlRuntime() {}

  /** The PyTorch engine, configured on first use. */
  public static Engine engine() {
    Engine e = engine;
    if (e == null) {
      synchronized (DjlRuntime.class) {
        if (engine == null) {
          int cores = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
          if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(cores));
          }
          if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
          }
          System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
          engine = Engine.getEngine("PyTorch");
        }
        e = engine;
      }
    }
    return e;
  }

  /** Seeds PyTorch's generator so random initialisation is reproducible. */
  public static void seed(long seed) {
    engine().setRandomSeed((int) seed);
  }
}

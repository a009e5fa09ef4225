package io.optimus.policy;

/**
 * PyTorch's thread counts, which it reads once when the engine starts: set them before the first
 * DJL call (explicit system properties win, so tests and benchmarks can pin them).
 */
public final class EngineThreads {
  /** Intra-op threads for running a policy: a small policy gains nothing from more, and the step's cost stays on its thread. */
  public static final int INFERENCE = 1;

  private EngineThreads() {}

  public static void configure(int threads) {
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    }
    if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
  }
}

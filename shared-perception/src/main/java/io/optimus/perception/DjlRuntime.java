package io.optimus.perception;

import ai.djl.engine.Engine;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place the PyTorch engine is configured; every DJL user in the project goes through
 * {@link #engine()} before touching an NDArray.
 *
 * <p>Threads: the machine is shared (2 cores, other processes), so intra-op threads default to the
 * available processors capped at 2, and inter-op threads to 1. Override with the system properties
 * {@code ai.djl.pytorch.num_threads} / {@code ai.djl.pytorch.num_interop_threads}.
 *
 * <p>Native environment, set in this process before PyTorch loads (a variable the user already set
 * wins):
 * <ul>
 *   <li>{@code DNNL_MAX_CPU_ISA=AVX2}: on AVX-512 CPUs (seen on AMD EPYC) the oneDNN inside PyTorch
 *       2.7.1 picks AVX-512 convolution kernels whose backward-data pass intermittently returns NaN
 *       input gradients (14 of 40 single-conv trials here; 0 of 40 capped at AVX2), which made
 *       every training run diverge at its first step. AVX2 kernels are exact on every x86-64 that
 *       PyTorch supports. {@code ConvGradientsTest} catches a regression.</li>
 *   <li>{@code TORCH_CPP_LOG_LEVEL=ERROR}: PyTorch warns "Could not initialize NNPACK! Unsupported
 *       hardware" on every small single-threaded convolution on such CPUs (thousands of lines per
 *       run); it falls back to other kernels, so the warning tells a user nothing. Only Python's
 *       torch applies this variable by itself, so {@link #engine()} calls c10's {@code initLogging()}
 *       once libc10 is loaded.</li>
 * </ul>
 */
public final class DjlRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(DjlRuntime.class);
  /** Native environment variables set before the engine loads, unless already set. */
  static final Map<String, String> NATIVE_ENV = Map.of(
      "DNNL_MAX_CPU_ISA", "AVX2",
      "TORCH_CPP_LOG_LEVEL", "ERROR");
  private static volatile Engine engine;

  private DjlRuntime() {}

  /** The PyTorch engine, configured on first use. */
  public static Engine engine() {
    Engine e = engine;
    if (e == null) {
      synchronized (DjlRuntime.class) {
        if (engine == null) {
          setNativeEnvironment();
          int cores = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
          if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(cores));
          }
          if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
          }
          System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
          engine = Engine.getEngine("PyTorch");
          applyNativeLogLevel();
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

  /** The C library's setenv: oneDNN and c10 read the process environment, which Java cannot change. */
  private interface LibC extends Library {
    int setenv(String name, String value, int overwrite);

    String getenv(String name);
  }

  private static void setNativeEnvironment() {
    try {
      LibC libc = Native.load("c", LibC.class);
      for (Map.Entry<String, String> v : NATIVE_ENV.entrySet()) {
        if (libc.getenv(v.getKey()) == null && libc.setenv(v.getKey(), v.getValue(), 0) != 0) {
          LOG.warn("could not set {} for PyTorch", v.getKey());
        }
      }
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      // Not glibc (or no JNA native): run as the user configured it; training still stops on NaN.
      LOG.warn("could not set PyTorch's native environment ({}); export {} yourself", e.getMessage(),
          NATIVE_ENV);
    }
  }

  /** Calls {@code c10::initLogging()}, which reads TORCH_CPP_LOG_LEVEL, in the libc10 DJL loaded. */
  private static void applyNativeLogLevel() {
    try (java.util.stream.Stream<String> maps = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/self/maps"))) {
      String lib = maps.map(l -> l.substring(l.lastIndexOf(' ') + 1)).filter(f -> f.endsWith("/libc10.so"))
          .findFirst().orElse(null);
      if (lib == null) {
        LOG.warn("libc10.so is not loaded: PyTorch's native warnings stay at their default level");
        return;
      }
      NativeLibrary.getInstance(lib).getFunction("_ZN3c1011initLoggingEv").invoke(Void.class, new Object[0]);
    } catch (java.io.IOException | UnsatisfiedLinkError | RuntimeException e) {
      LOG.warn("could not apply TORCH_CPP_LOG_LEVEL to PyTorch ({})", e.getMessage());
    }
  }
}

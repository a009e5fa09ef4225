package io.optimus.perception.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.Json;
import io.optimus.perception.net.BackboneConfig;
import io.optimus.perception.train.HydraModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Training and inference throughput of the HydraNet on CPU in DJL, and of the identical net in
 * plain PyTorch (Debian's python3-torch, hydranet_bench.py) in the same run. Both sides use the
 * same batch of random images, the same loss (sum of the mean squares of every output; the task
 * losses are a negligible share of the work), Adam, and the same thread count.
 */
public final class HydraBench {
  /** What to measure. */
  public record Options(BackboneConfig backbone, List<Integer> sizes, int batch, double seconds, int minIters,
      int threads, String python) {}

  /**
   * One measurement: images per wall-clock second, and per CPU second of this process (all threads).
   * On a shared machine the CPU-time figures are the steadier basis for a ratio.
   */
  public record Throughput(double trainImagesPerSecond, double trainImagesPerCpuSecond,
      double inferenceImagesPerSecond, double inferenceImagesPerCpuSecond) {
    /** The better of two measurements, figure by figure. */
    public static Throughput best(Throughput a, Throughput b) {
      return new Throughput(Math.max(a.trainImagesPerSecond, b.trainImagesPerSecond),
          Math.max(a.trainImagesPerCpuSecond, b.trainImagesPerCpuSecond),
          Math.max(a.inferenceImagesPerSecond, b.inferenceImagesPerSecond),
          Math.max(a.inferenceImagesPerCpuSecond, b.inferenceImagesPerCpuSecond));
    }
  }

  /** Steps per wall second and per process-CPU second. */
  private record Rate(double perSecond, double perCpuSecond) {}

  private HydraBench() {}

  public static Throughput djl(BackboneConfig config, int size, int batch, double seconds, int minIters) {
    try (HydraModel model = HydraModel.create(config, 0)) {
      Loss squares = new Loss("squares") {
        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
          NDArray sum = null;
          for (NDArray p : predictions) {
            NDArray m = p.square().mean();
            sum = sum == null ? m : sum.add(m);
          }
          return sum;
        }
      };
      DefaultTrainingConfig cfg = new DefaultTrainingConfig(squares)
          .optOptimizer(Adam.builder().optLearningRateTracker(Tracker.fixed(1e-3f)).build())
          .optDevices(new Device[] {Device.cpu()});
      model.net().setBackboneFrozen(false);
      Rate train;
      try (Trainer trainer = model.model().newTrainer(cfg);
          NDManager m = model.newBatchManager()) {
        trainer.initialize(new Shape(batch, 3, size, size));
        NDArray x = m.randomUniform(0, 1, new Shape(batch, 3, size, size));
        Runnable step = () -> {
          try (NDManager s = m.newSubManager()) {
            NDArray input = x.duplicate();
            input.attach(s);
            try (GradientCollector gc = trainer.newGradientCollector()) {
              NDList pred = trainer.forward(new NDList(input));
              gc.backward(squares.evaluate(null, pred));
            }
            trainer.step();
          }
        };
        step.run();
        train = timed(step, seconds, minIters);
      }
      Rate infer;
      try (NDManager m = model.newBatchManager()) {
        NDArray x = m.randomUniform(0, 1, new Shape(batch, 3, size, size));
        Runnable step = () -> {
          try (NDManager s = m.newSubManager()) {
            NDArray input = x.duplicate();
            input.attach(s);
            model.predict(input);
          }
        };
        step.run();
        infer = timed(step, seconds, minIters);
      }
      return new Throughput(train.perSecond() * batch, train.perCpuSecond() * batch, infer.perSecond() * batch,
          infer.perCpuSecond() * batch);
    }
  }

  /** Iterations per second of {@code step}, run for at least {@code seconds} and {@code minIters}. */
  private static Rate timed(Runnable step, double seconds, int minIters) {
    long t0 = System.nanoTime();
    double c0 = cpuSeconds();
    int n = 0;
    while (n < minIters || System.nanoTime() - t0 < seconds * 1e9) {
      step.run();
      n++;
    }
    return new Rate(n / ((System.nanoTime() - t0) / 1e9), n / (cpuSeconds() - c0));
  }

  private static double cpuSeconds() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }

  /**
   * The same net in plain PyTorch, or a map with {@code available=false} and the reason (no Python,
   * no torch module, the script failed).
   */
  public static Map<String, Object> pytorch(Options o, int size) {
    Map<String, Object> result = new LinkedHashMap<>();
    Path script = null;
    try {
      script = Files.createTempFile("hydranet_bench", ".py");
      try (InputStream in = HydraBench.class.getResourceAsStream("/io/optimus/perception/hydranet_bench.py")) {
        Files.write(script, in.readAllBytes());
      }
      Map<String, Object> args = new LinkedHashMap<>();
      args.put("threads", o.threads());
      args.put("depth", o.backbone().depth());
      args.put("width", o.backbone().width());
      args.put("fpn", o.backbone().fpnChannels());
      args.put("sizes", List.of(size));
      args.put("batch", o.batch());
      args.put("seconds", o.seconds());
      args.put("minIters", o.minIters());
      ProcessBuilder pb = new ProcessBuilder(o.python(), script.toString(),
          Json.MAPPER.writeValueAsString(args));
      pb.environment().put("OMP_NUM_THREADS", Integer.toString(o.threads()));
      pb.redirectErrorStream(false);
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
        String e = new String(err, StandardCharsets.UTF_8).strip();
        String reason = e.contains("No module named 'torch'")
            ? o.python() + " has no torch module (on Debian: apt-get install -y python3-torch)"
            : o.python() + " failed: " + lastLine(e);
        result.put("available", false);
        result.put("reason", reason);
        return result;
      }
      JsonNode node = Json.MAPPER.readTree(out);
      JsonNode s = node.path("sizes").path(Integer.toString(size));
      result.put("available", true);
      result.put("torchVersion", node.path("torch").asText());
      result.put("threads", node.path("threads").asInt());
      for (String key : List.of("trainImagesPerSecond", "trainImagesPerCpuSecond", "inferenceImagesPerSecond",
          "inferenceImagesPerCpuSecond")) {
        result.put(key, s.path(key).asDouble());
      }
      return result;
    } catch (IOException e) {
      result.put("available", false);
      result.put("reason", "cannot run " + o.python() + ": " + e.getMessage()
          + " (on Debian: apt-get install -y python3-torch)");
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.put("available", false);
      result.put("reason", "interrupted");
      return result;
    } finally {
      if (script != null) {
        try {
          Files.deleteIfExists(script);
        } catch (IOException ignored) {
          // a temp file; nothing to lose
        }
      }
    }
  }

  private static String lastLine(String s) {
    String[] lines = s.split("\n");
    return lines.length == 0 ? "(no output)" : lines[lines.length - 1];
  }
}

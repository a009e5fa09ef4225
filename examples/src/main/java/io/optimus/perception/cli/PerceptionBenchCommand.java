package io.optimus.perception.cli;

import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.perception.net.BackboneConfig;
import io.optimus.perception.bench.HydraBench;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code optimus bench perception}: HydraNet training and inference images/s, DJL vs plain PyTorch. */
@Command(name = "perception", mixinStandardHelpOptions = true,
    description = {"HydraNet training and inference images/s on CPU at each input size, in DJL and (when"
        + " Debian's python3-torch is installed) the identical net in plain PyTorch, measured in the same run;"
        + " reports DJL/PyTorch ratios. JSON on stdout, progress on stderr."})
public final class PerceptionBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--sizes", split = ",", description = "Square input sides (default: ${DEFAULT-VALUE}).")
  List<Integer> sizes = List.of(96, 224);

  @Option(names = "--batch", description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batch = 16;

  @Option(names = "--seconds", description = "Minimum seconds per measurement (default: ${DEFAULT-VALUE}).")
  double seconds = 6;

  @Option(names = "--min-iters", description = "Minimum steps per measurement (default: ${DEFAULT-VALUE}).")
  int minIters = 2;

  @Option(names = "--rounds", description = "Alternating DJL/PyTorch rounds; the best of each is reported (default: ${DEFAULT-VALUE}).")
  int rounds = 2;

  @Option(names = "--depth", description = "ResNet depth, 18 or 34 (default: ${DEFAULT-VALUE}).")
  int depth = BackboneConfig.defaults().depth();

  @Option(names = "--width", description = "First-stage channels (default: ${DEFAULT-VALUE}).")
  int width = BackboneConfig.defaults().width();

  @Option(names = "--fpn", description = "FPN channels (default: ${DEFAULT-VALUE}).")
  int fpn = BackboneConfig.defaults().fpnChannels();

  @Option(names = "--python", description = "Python with torch for the reference (default: ${DEFAULT-VALUE}).")
  String python = "/usr/bin/python3";

  @Option(names = "--no-pytorch", description = "Skip the plain-PyTorch reference.")
  boolean noPytorch;

  /** The faster of two PyTorch measurements, field by field (an unavailable one loses). */
  private static Map<String, Object> bestOf(Map<String, Object> a, Map<String, Object> b) {
    if (!Boolean.TRUE.equals(a.get("available"))) {
      return b;
    }
    if (!Boolean.TRUE.equals(b.get("available"))) {
      return a;
    }
    Map<String, Object> best = new LinkedHashMap<>(a);
    for (Map.Entry<String, Object> e : b.entrySet()) {
      if (e.getKey().contains("PerSecond") || e.getKey().contains("PerCpuSecond")) {
        best.put(e.getKey(), Math.max(num(a, e.getKey()), num(b, e.getKey())));
      }
    }
    return best;
  }

  private static double num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }

  @Override
  public Integer call() {
    if (batch < 1 || seconds <= 0 || minIters < 1 || rounds < 1) {
      throw new InputException("--batch, --seconds, --min-iters and --rounds must be positive");
    }
    for (int s : sizes) {
      BackboneConfig.checkImageSize(s, s);
    }
    BackboneConfig config = new BackboneConfig(depth, width, fpn);
    int threads = Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads",
        Integer.toString(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())))));
    HydraBench.Options o = new HydraBench.Options(config, sizes, batch, seconds, minIters, threads, python);
    // Rounds alternate DJL and PyTorch so both see the same machine load; the best round counts
    // (on a shared machine the slow rounds measure the neighbours, not the net).
    Map<Integer, HydraBench.Throughput> bestDjl = new LinkedHashMap<>();
    Map<Integer, Map<String, Object>> bestPy = new LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      for (int size : sizes) {
        spec.commandLine().getErr().println("bench perception: round " + round + "/" + rounds + ", DJL " + size + "x" + size + " ...");
        HydraBench.Throughput djl = HydraBench.djl(config, size, batch, seconds, minIters);
        bestDjl.merge(size, djl, HydraBench.Throughput::best);
        if (!noPytorch) {
          spec.commandLine().getErr().println("bench perception: round " + round + "/" + rounds + ", PyTorch " + size + "x" + size + " ...");
          Map<String, Object> py = HydraBench.pytorch(o, size);
          bestPy.merge(size, py, PerceptionBenchCommand::bestOf);
        }
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int size : sizes) {
      HydraBench.Throughput djl = bestDjl.get(size);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("imageSize", size + "x" + size);
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("trainImagesPerSecond", djl.trainImagesPerSecond());
      d.put("trainImagesPerCpuSecond", djl.trainImagesPerCpuSecond());
      d.put("inferenceImagesPerSecond", djl.inferenceImagesPerSecond());
      d.put("inferenceImagesPerCpuSecond", djl.inferenceImagesPerCpuSecond());
      row.put("djl", d);
      if (noPytorch) {
        row.put("pytorch", Map.of("available", false, "reason", "skipped (--no-pytorch)"));
      } else {
        Map<String, Object> py = bestPy.get(size);
        row.put("pytorch", py);
        if (Boolean.TRUE.equals(py.get("available"))) {
          Map<String, Object> ratio = new LinkedHashMap<>();
          ratio.put("train", djl.trainImagesPerSecond() / num(py, "trainImagesPerSecond"));
          ratio.put("inference", djl.inferenceImagesPerSecond() / num(py, "inferenceImagesPerSecond"));
          ratio.put("trainPerCpuSecond", djl.trainImagesPerCpuSecond() / num(py, "trainImagesPerCpuSecond"));
          ratio.put("inferencePerCpuSecond",
              djl.inferenceImagesPerCpuSecond() / num(py, "inferenceImagesPerCpuSecond"));
          row.put("djlOverPytorch", ratio);
        }
      }
      rows.add(row);
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("net", "HydraNet resnet" + depth + " width " + width + " fpn " + fpn + " (backbone + FPN + 4 heads)");
    report.put("batch", batch);
    report.put("rounds", rounds);
    report.put("threads", threads);
    report.put("djlEngine", "PyTorch " + io.optimus.perception.DjlRuntime.engine().getVersion());
    report.put("note", "ratios compare the two in this run; wall-clock figures depend on machine load,"
        + " per-CPU-second figures (process CPU time, all threads) much less so");
    report.put("loadAverage", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    report.put("results", rows);
    spec.commandLine().getOut().println(Json.write(report));
    return 0;
  }
}

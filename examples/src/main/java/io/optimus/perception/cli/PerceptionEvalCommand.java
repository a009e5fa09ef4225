package io.optimus.perception.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.perception.BackboneStore;
import io.optimus.perception.train.HydraEvaluator;
import io.optimus.perception.train.HydraModel;
import io.optimus.perception.train.HydraTrainer;
import io.optimus.perception.train.TrainOptions;
import io.optimus.perception.train.TrainingBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code optimus perception eval}: per-head metrics on held-out scenes, with trivial baselines. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {"Evaluate a trained model on held-out procedural scenes (own seed): lane/drivable mIoU,"
        + " vehicle-centre F1, depth abs-rel, each next to a trivial baseline (all-background, no"
        + " detections, mean training depth). JSON on stdout."})
public final class PerceptionEvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory written by 'perception train'.")
  Path model;

  @Option(names = "--scenes", paramLabel = "N", description = "Held-out scenes (default: ${DEFAULT-VALUE}).")
  int scenes = 200;

  @Option(names = "--size", paramLabel = "PX", description = "Image side; default: the size the model was trained at.")
  Integer size;

  @Override
  public Integer call() {
    if (scenes < 1) {
      throw new InputException("--scenes: must be at least 1, got " + scenes);
    }
    BackboneStore.backboneDir(model);
    JsonNode training = readTraining(model);
    int imageSize = size != null ? size : training == null ? 96 : training.path("options").path("imageSize").asInt(96);
    double meanDepth;
    if (training != null && training.has("meanTrainingDepth")) {
      meanDepth = training.path("meanTrainingDepth").asDouble();
    } else {
      TrainOptions o = TrainOptions.defaults().withImages(200);
      meanDepth = TrainingBatch.meanDepth(HydraTrainer.trainingScenes(
          new TrainOptions(200, 1, 1, imageSize, o.learningRate(), o.seed(), false), new HydraProgressBar(spec.commandLine().getErr())));
    }
    try (HydraModel m = HydraModel.load(model)) {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("model", model.toAbsolutePath().toString());
      report.put("backbone", m.config());
      report.putAll(HydraEvaluator.evaluate(m, scenes, imageSize, meanDepth));
      report.put("beatsBaselines", verdict(report));
      spec.commandLine().getOut().println(Json.write(report));
    }
    return 0;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> verdict(Map<String, Object> r) {
    Map<String, Object> seg = (Map<String, Object>) r.get("segmentation");
    Map<String, Object> det = (Map<String, Object>) r.get("objectCentres");
    Map<String, Object> dep = (Map<String, Object>) r.get("depth");
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("laneMIoU", num(seg, "model", "laneMIoU") > num(seg, "baselineAllBackground", "laneMIoU"));
    v.put("objectCentreF1", num(det, "model", "f1") > num(det, "baselineNoDetections", "f1"));
    v.put("depthAbsRel", num(dep, "model", "absRel") < num(dep, "baselineMeanDepth", "absRel"));
    return v;
  }

  @SuppressWarnings("unchecked")
  private static double num(Map<String, Object> head, String who, String key) {
    return ((Number) ((Map<String, Object>) head.get(who)).get(key)).doubleValue();
  }

  private static JsonNode readTraining(Path dir) {
    Path file = dir.resolve("training.json");
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new InputException(file + ": unreadable training report: " + e.getMessage(), e);
    }
  }
}

package io.optimus.perception.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.cli.RobotOption;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.perception.BackboneStore;
import io.optimus.perception.net.BackboneConfig;
import io.optimus.perception.scene.Domain;
import io.optimus.policy.encode.SimRobotViews;
import io.optimus.perception.train.HydraEvaluator;
import io.optimus.perception.train.HydraModel;
import io.optimus.perception.train.HydraTrainer;
import io.optimus.perception.train.TrainOptions;
import io.optimus.perception.train.TrainingBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code optimus perception eval}: per-head metrics of each domain on held-out images, with trivial baselines. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {"Evaluate a trained model on held-out images (own seed) of each domain, every head next to its"
        + " trivial baseline: vehicle lane/drivable mIoU vs all-background, vehicle-centre F1 vs no detections, depth"
        + " abs-rel vs the mean training depth; robot object/hand mIoU vs the majority class, object-centre F1 vs no"
        + " detections, depth abs-rel vs the mean training depth. JSON on stdout."})
public final class PerceptionEvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory written by 'perception train'.")
  Path model;

  @Option(names = "--scenes", paramLabel = "N", description = "Held-out images per domain (default: ${DEFAULT-VALUE}).")
  int scenes = 200;

  @Option(names = "--size", paramLabel = "PX", description = "Image side; default: the size the model was trained at.")
  Integer size;

  @Option(names = "--domains", paramLabel = "LIST",
      description = "Domains to evaluate: vehicle, robot or vehicle,robot; default: those the model was trained on.")
  String domains;

  @Mixin RobotOption robot;

  @Override
  public Integer call() {
    if (scenes < 1) {
      throw new InputException("--scenes: must be at least 1, got " + scenes);
    }
    BackboneStore.backboneDir(model);
    JsonNode training = readTraining(model);
    Set<Domain> evaluated = Domain.parseList("--domains", domains != null ? domains : trainedDomains(training));
    int imageSize = size != null ? size : training == null ? 96 : training.path("options").path("imageSize").asInt(96);
    BackboneConfig.checkImageSize(imageSize, imageSize);
    if (evaluated.contains(Domain.ROBOT)) {
      robot.load();
    }
    try (HydraModel m = HydraModel.load(model)) {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("model", model.toAbsolutePath().toString());
      report.put("backbone", m.config());
      report.put("imageSize", imageSize + "x" + imageSize);
      Map<String, Object> verdicts = new LinkedHashMap<>();
      if (evaluated.contains(Domain.VEHICLE)) {
        Map<String, Object> vehicle = HydraEvaluator.evaluate(m, scenes, imageSize, vehicleDepth(training, imageSize));
        report.put("vehicle", vehicle);
        verdicts.put("vehicle", HydraEvaluator.beatsBaselines(vehicle));
      }
      if (evaluated.contains(Domain.ROBOT)) {
        SimRobotViews sim = new SimRobotViews(robot.spec());
        double depth = training != null && Double.isFinite(training.path("meanRobotTrainingDepth").asDouble(Double.NaN))
            ? training.path("meanRobotTrainingDepth").asDouble()
            : TrainingBatch.meanDepth(sim.views(200, imageSize, TrainOptions.defaults().seed()));
        Map<String, Object> robotReport = new LinkedHashMap<>();
        robotReport.put("heldOutSeed", HydraEvaluator.HELD_OUT_SEED);
        robotReport.putAll(HydraEvaluator.evaluateRobot(m, sim.views(scenes, imageSize, HydraEvaluator.HELD_OUT_SEED),
            depth));
        report.put("robot", robotReport);
        verdicts.put("robot", HydraEvaluator.beatsBaselines(robotReport));
      }
      report.put("beatsBaselines", verdicts);
      spec.commandLine().getOut().println(Json.write(report));
    }
    return 0;
  }

  private static String trainedDomains(JsonNode training) {
    if (training == null || !training.path("domains").isArray() || training.path("domains").isEmpty()) {
      return Domain.VEHICLE.id(); // a model from before the robot heads
    }
    List<String> names = new ArrayList<>();
    training.path("domains").forEach(n -> names.add(n.asText()));
    return String.join(",", names);
  }

  private double vehicleDepth(JsonNode training, int imageSize) {
    if (training != null && training.has("meanTrainingDepth")) {
      return training.path("meanTrainingDepth").asDouble();
    }
    TrainOptions o = TrainOptions.defaults();
    return TrainingBatch.meanDepth(HydraTrainer.trainingScenes(
        new TrainOptions(200, 1, 1, imageSize, o.learningRate(), o.seed(), false),
        new HydraProgressBar(spec.commandLine().getErr())));
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

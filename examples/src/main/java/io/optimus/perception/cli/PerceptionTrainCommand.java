package io.optimus.perception.cli;

import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.perception.net.BackboneConfig;
import io.optimus.perception.train.EpochStats;
import io.optimus.perception.train.HydraModel;
import io.optimus.perception.train.HydraTrainer;
import io.optimus.perception.train.TrainOptions;
import io.optimus.perception.train.HydraTrainingReport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code optimus perception train}: trains HydraNet on procedural driving scenes. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train the HydraNet (shared ResNet+FPN backbone, lane/drivable segmentation, CenterNet"
        + " vehicle centres, depth) on seeded procedural driving scenes.",
        "Writes OUT/backbone/ (loadable alone by PerceptionBackbone), OUT/heads/, OUT/training.json and"
        + " OUT/checkpoints/epoch-NNN/ (last 2 kept), and a static OUT/report.html (loss per head and split, validation"
            + " frames with predicted vehicle centres; PNG and JSON beside it). Progress on stderr, a JSON summary on stdout."})
public final class PerceptionTrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output model directory.")
  Path out;

  @Option(names = "--images", paramLabel = "N", description = "Training scenes (default: ${DEFAULT-VALUE}).")
  int images = TrainOptions.defaults().images();

  @Option(names = "--epochs", paramLabel = "E", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs = TrainOptions.defaults().epochs();

  @Option(names = "--batch", paramLabel = "B", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch = TrainOptions.defaults().batchSize();

  @Option(names = "--size", paramLabel = "PX", description = "Square image side, a multiple of 32 (default: ${DEFAULT-VALUE}).")
  int size = TrainOptions.defaults().imageSize();

  @Option(names = "--lr", description = "Adam learning rate, cosine-decayed (default: ${DEFAULT-VALUE}).")
  float lr = TrainOptions.defaults().learningRate();

  @Option(names = "--seed", description = "Seed for scenes, initialisation and shuffling (default: ${DEFAULT-VALUE}).")
  long seed = TrainOptions.defaults().seed();

  @Option(names = "--depth", description = "ResNet depth, 18 or 34 (default: ${DEFAULT-VALUE}).")
  int depth = BackboneConfig.defaults().depth();

  @Option(names = "--width", description = "Channels of the first ResNet stage; torchvision uses 64 (default: ${DEFAULT-VALUE}).")
  int width = BackboneConfig.defaults().width();

  @Option(names = "--fpn", description = "Channels of each FPN level (default: ${DEFAULT-VALUE}).")
  int fpn = BackboneConfig.defaults().fpnChannels();

  @Option(names = "--init-backbone", paramLabel = "DIR",
      description = "Start from a saved backbone (model dir or backbone dir); --depth/--width/--fpn then come from it.")
  Path initBackbone;

  @Option(names = "--freeze-backbone", description = "Train only the heads; the backbone (weights and batch-norm statistics) stays fixed.")
  boolean freezeBackbone;

  @Override
  public Integer call() {
    TrainOptions options = new TrainOptions(images, epochs, batch, size, lr, seed, freezeBackbone);
    if (freezeBackbone && initBackbone == null) {
      throw new InputException("--freeze-backbone: needs --init-backbone DIR (freezing a random backbone trains nothing useful)");
    }
    try (HydraModel model = initBackbone != null ? HydraModel.withBackbone(initBackbone, seed)
        : HydraModel.create(new BackboneConfig(depth, width, fpn), seed)) {
      HydraTrainingReport report = new HydraTrainer(options, new HydraProgressBar(spec.commandLine().getErr())).train(model, out);
      EpochStats last = report.last();
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("model", out.toAbsolutePath().toString());
      summary.put("backbone", report.backbone());
      summary.put("embeddingSize", report.backbone().embeddingSize());
      summary.put("images", options.images());
      summary.put("epochs", options.epochs());
      summary.put("imageSize", options.imageSize());
      summary.put("frozenBackbone", options.freezeBackbone());
      summary.put("initialHeldOutLoss", report.initialHeldOutLoss());
      summary.put("finalHeldOutLoss", last.heldOutLoss());
      summary.put("finalTrainLoss", last.trainLoss());
      summary.put("trainingSeconds", report.trainingSeconds());
      summary.put("trainingCpuSeconds", report.trainingCpuSeconds());
      summary.put("sceneGenerationSeconds", report.generationSeconds());
      summary.put("trainImagesPerSecond", options.images() * (double) options.epochs() / report.trainingSeconds());
      spec.commandLine().getOut().println(Json.write(summary));
    }
    return 0;
  }
}

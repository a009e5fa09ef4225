package io.optimus.perception.cli;

import io.optimus.cli.RobotOption;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.perception.net.BackboneConfig;
import io.optimus.perception.net.HydraHeads;
import io.optimus.perception.scene.Domain;
import io.optimus.policy.encode.SimRobotViews;
import io.optimus.perception.train.EpochStats;
import io.optimus.perception.train.HydraModel;
import io.optimus.perception.train.HydraTrainer;
import io.optimus.perception.train.TrainOptions;
import io.optimus.perception.train.HydraTrainingReport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code optimus perception train}: trains HydraNet's shared trunk on driving scenes and robot camera frames. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train the HydraNet: one shared ResNet+FPN trunk with vehicle heads (lane/drivable segmentation,"
        + " CenterNet vehicle centres, depth) trained on seeded procedural driving scenes and robot heads (object/hand"
        + " segmentation, depth, object centres) trained on the robot's head and wrist camera frames, labelled by the"
        + " simulator's renderer. Batches mix the domains; each head learns from its own domain only.",
        "Writes OUT/backbone/ (loadable alone by PerceptionBackbone), OUT/heads/, OUT/training.json and"
        + " OUT/checkpoints/epoch-NNN/ (last 2 kept), and a static OUT/report.html (loss per head and split, validation"
            + " frames with predicted vehicle centres; PNG and JSON beside it). Progress on stderr, a JSON summary on stdout."})
public final class PerceptionTrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output model directory.")
  Path out;

  @Option(names = "--domains", paramLabel = "LIST",
      description = "Domains to train on: vehicle, robot, or vehicle,robot (default: ${DEFAULT-VALUE}).")
  String domains = "vehicle,robot";

  @Mixin RobotOption robot;

  @Option(names = "--images", paramLabel = "N", description = "Training images per domain (default: ${DEFAULT-VALUE}).")
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
    Set<Domain> trained = Domain.parseList("--domains", domains);
    TrainOptions options = new TrainOptions(images, epochs, batch, size, lr, seed, freezeBackbone);
    if (freezeBackbone && initBackbone == null) {
      throw new InputException("--freeze-backbone: needs --init-backbone DIR (freezing a random backbone trains nothing useful)");
    }
    try (HydraModel model = initBackbone != null ? HydraModel.withBackbone(initBackbone, seed)
        : HydraModel.create(new BackboneConfig(depth, width, fpn), seed)) {
      robot.load(); // a bad --robot fails here, before any training
      HydraTrainingReport report = new HydraTrainer(options, new HydraProgressBar(spec.commandLine().getErr()), trained,
          new SimRobotViews(robot.spec())).train(model, out);
      EpochStats last = report.last();
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("model", out.toAbsolutePath().toString());
      summary.put("backbone", report.backbone());
      summary.put("embeddingSize", report.backbone().embeddingSize());
      summary.put("domains", report.domains());
      summary.put("imagesPerDomain", options.images());
      summary.put("epochs", options.epochs());
      summary.put("imageSize", options.imageSize());
      summary.put("frozenBackbone", options.freezeBackbone());
      summary.put("initialHeldOutLoss", report.initialHeldOutLoss());
      summary.put("finalHeldOutLoss", last.heldOutLoss());
      summary.put("finalTrainLoss", last.trainLoss());
      Map<String, Object> heads = new LinkedHashMap<>();
      double[] held = {last.heldOutSeg(), last.heldOutDepth(), last.heldOutHeatmap(), last.heldOutSize(),
          last.heldOutRobotSeg(), last.heldOutRobotDepth(), last.heldOutRobotCentre()};
      for (int h : trained.contains(Domain.VEHICLE) ? HydraHeads.VEHICLE_HEADS : new int[0]) {
        heads.put(HydraHeads.NAMES.get(h), held[h]);
      }
      for (int h : trained.contains(Domain.ROBOT) ? HydraHeads.ROBOT_HEADS : new int[0]) {
        heads.put(HydraHeads.NAMES.get(h), held[h]);
      }
      summary.put("finalHeldOutLossPerHead", heads);
      summary.put("trainingSeconds", report.trainingSeconds());
      summary.put("trainingCpuSeconds", report.trainingCpuSeconds());
      summary.put("sceneGenerationSeconds", report.generationSeconds());
      summary.put("trainImagesPerSecond",
          options.images() * trained.size() * (double) options.epochs() / report.trainingSeconds());
      spec.commandLine().getOut().println(Json.write(summary));
    }
    return 0;
  }
}

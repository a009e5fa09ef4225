package io.optimus.perception.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import io.optimus.common.FileTrees;
import io.optimus.common.Json;
import io.optimus.perception.net.HydraHeads;
import io.optimus.perception.report.CurveLog;
import io.optimus.common.InputException;
import io.optimus.perception.scene.Domain;
import io.optimus.perception.scene.DrivingScene;
import io.optimus.perception.scene.LabelledImage;
import io.optimus.perception.scene.RobotView;
import io.optimus.perception.scene.RobotViewSource;
import io.optimus.perception.scene.SceneGenerator;
import java.util.EnumSet;
import java.util.Set;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link HydraModel} with real DJL autograd and Adam on the images of its domains
 * (procedural driving scenes, the robot's labelled camera frames, or both shuffled together so that
 * batches mix domains; each head learns only from its domain's samples), and
 * writes checkpoints ({@code out/checkpoints/epoch-NNN/}, the last {@value #KEEP_CHECKPOINTS} kept)
 * and the final model ({@code out/backbone/}, {@code out/heads/}, {@code out/training.json}).
 */
public final class HydraTrainer {
  public static final int KEEP_CHECKPOINTS = 2;
  /** Validation scenes come from their own seed stream, never from the training indices. */
  public static final long VALIDATION_SEED_OFFSET = 0x7A11DL;
  public static final int VALIDATION_SCENES = 64;
  private static final Logger LOG = LoggerFactory.getLogger(HydraTrainer.class);

  private final TrainOptions options;
  private final TrainingProgress progress;
  private final Set<Domain> domains;
  private final RobotViewSource robotViews;

  /** Vehicle domain only. */
  public HydraTrainer(TrainOptions options, TrainingProgress progress) {
    this(options, progress, EnumSet.of(Domain.VEHICLE), null);
  }

  /**
   * Trains on {@code options.images()} images of each of {@code domains}; robot frames come from
   * {@code robotViews} (needed when the robot domain is asked for).
   */
  public HydraTrainer(TrainOptions options, TrainingProgress progress, Set<Domain> domains,
      RobotViewSource robotViews) {
    if (domains.isEmpty()) {
      throw new InputException("--domains: at least one of vehicle, robot");
    }
    if (domains.contains(Domain.ROBOT) && robotViews == null) {
      throw new IllegalArgumentException("the robot domain needs a source of labelled robot frames");
    }
    this.options = options;
    this.progress = progress;
    this.domains = EnumSet.copyOf(domains);
    this.robotViews = robotViews;
  }

  /** The training scenes of these options (scene i of the seed's generator, i = 0..images-1). */
  public static List<DrivingScene> trainingScenes(TrainOptions o, TrainingProgress progress) {
    SceneGenerator gen = new SceneGenerator(o.imageSize(), o.imageSize(), o.seed());
    List<DrivingScene> scenes = new ArrayList<>(o.images());
    for (int i = 0; i < o.images(); i++) {
      scenes.add(gen.scene(i));
      if ((i + 1) % 50 == 0 || i + 1 == o.images()) {
        progress.generating(i + 1, o.images());
      }
    }
    return scenes;
  }

  /** Trains {@code model} in place; writes checkpoints and the final model to {@code out} when not null. */
  public HydraTrainingReport train(HydraModel model, Path out) {
    long t0 = System.nanoTime();
    List<LabelledImage> scenes = new ArrayList<>();
    List<LabelledImage> validation = new ArrayList<>();
    int validationCount = Math.min(VALIDATION_SCENES, Math.max(8, options.images() / 4));
    if (domains.contains(Domain.VEHICLE)) {
      scenes.addAll(trainingScenes(options, progress));
      SceneGenerator validationGen = new SceneGenerator(options.imageSize(), options.imageSize(),
          options.seed() + VALIDATION_SEED_OFFSET);
      for (int i = 0; i < validationCount; i++) {
        validation.add(validationGen.scene(i));
      }
    }
    if (domains.contains(Domain.ROBOT)) {
      scenes.addAll(robotViews.views(options.images(), options.imageSize(), options.seed()));
      progress.generating(options.images(), options.images());
      validation.addAll(robotViews.views(validationCount, options.imageSize(), options.seed() + VALIDATION_SEED_OFFSET));
    }
    return train(model, scenes, validation, (System.nanoTime() - t0) / 1e9, out);
  }

  /**
   * Trains on the given scenes (all of the options' image size; {@code options.images()} is not
   * consulted) and reports held-out losses on {@code validation}.
   *
   * @throws TrainingDivergedException when a step's loss is not finite, before that step's update
   */
  HydraTrainingReport train(HydraModel model, List<? extends LabelledImage> scenes,
      List<? extends LabelledImage> validation, double generationSeconds, Path out) {
    List<DrivingScene> driving = ofDomain(scenes, DrivingScene.class);
    List<RobotView> robot = ofDomain(scenes, RobotView.class);
    double meanDepth = TrainingBatch.meanDepth(driving);
    double meanRobotDepth = robot.isEmpty() ? Double.NaN : TrainingBatch.meanDepth(robot);
    List<String> trained = new ArrayList<>();
    if (!driving.isEmpty()) {
      trained.add(Domain.VEHICLE.id());
    }
    if (!robot.isEmpty()) {
      trained.add(Domain.ROBOT.id());
    }
    boolean[] logged = headsOf(!driving.isEmpty(), !robot.isEmpty());

    int batches = (scenes.size() + options.batchSize() - 1) / options.batchSize();
    int totalSteps = batches * options.epochs();
    Tracker lr = Tracker.cosine().setBaseValue(options.learningRate())
        .optFinalValue(options.learningRate() * 0.05f).setMaxUpdates(Math.max(1, totalSteps)).build();
    HydraLoss loss = new HydraLoss();
    DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
        .optOptimizer(Adam.builder().optLearningRateTracker(lr).build())
        .optDevices(new Device[] {Device.cpu()});
    model.net().setBackboneFrozen(options.freezeBackbone());
    List<EpochStats> epochs = new ArrayList<>();
    CurveLog curves = new CurveLog();
    long trainStart = System.nanoTime();
    double cpuStart = processCpuSeconds();
    double initialHeldOut;
    try (Trainer trainer = model.model().newTrainer(config)) {
      trainer.initialize(new Shape(options.batchSize(), 3, options.imageSize(), options.imageSize()));
      double[] initial = heldOut(model, validation, loss);
      initialHeldOut = initial[0];
      logHeads(curves, "validation", 0, initial, logged);
      Random shuffle = new Random(options.seed() * 31 + 7);
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < scenes.size(); i++) {
        order.add(i);
      }
      for (int epoch = 1; epoch <= options.epochs(); epoch++) {
        long e0 = System.nanoTime();
        java.util.Collections.shuffle(order, shuffle);
        double lossSum = 0;
        for (int b = 0; b < batches; b++) {
          List<LabelledImage> batch = new ArrayList<>();
          for (int i = b * options.batchSize(); i < Math.min(scenes.size(), (b + 1) * options.batchSize()); i++) {
            batch.add(scenes.get(order.get(i)));
          }
          int stepNumber = (epoch - 1) * batches + b + 1;
          double[] values = step(trainer, loss, batch);
          logHeads(curves, "train", stepNumber, values, logged);
          if (!Double.isFinite(values[0])) {
            TrainingDivergedException diverged = new TrainingDivergedException(stepNumber, epoch, values[0]);
            if (out != null) {
              HydraRunReport.writeDiverged(out, options, curves.curves("step", "loss"), diverged.getMessage());
            }
            throw diverged;
          }
          double value = values[0];
          lossSum += value;
          double seconds = (System.nanoTime() - e0) / 1e9;
          int seen = Math.min(scenes.size(), (b + 1) * options.batchSize());
          progress.step(epoch, options.epochs(), b + 1, batches, value, seen / seconds);
        }
        double seconds = (System.nanoTime() - e0) / 1e9;
        double[] held = heldOut(model, validation, loss);
        logHeads(curves, "validation", (long) epoch * batches, held, logged);
        EpochStats stats = new EpochStats(epoch, lossSum / batches, held[0], held[1], held[2], held[3], held[4],
            held[5], held[6], held[7], seconds, scenes.size() / seconds);
        epochs.add(stats);
        LOG.info("epoch {}: {}", epoch, stats);
        progress.epochDone(stats);
        if (out != null) {
          checkpoint(model, out, epoch);
        }
      }
    }
    HydraTrainingReport report = new HydraTrainingReport(model.config(), options, List.copyOf(trained),
        List.copyOf(epochs), initialHeldOut, meanDepth, meanRobotDepth, generationSeconds, (System.nanoTime() - trainStart) / 1e9, processCpuSeconds() - cpuStart);
    if (out != null) {
      model.save(out);
      writeReport(report, out);
      HydraRunReport.write(out, report, curves.curves("step", "loss"), model, ofDomain(validation, DrivingScene.class));
    }
    return report;
  }

  static <T extends LabelledImage> List<T> ofDomain(List<? extends LabelledImage> images, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (LabelledImage i : images) {
      if (type.isInstance(i)) {
        out.add(type.cast(i));
      }
    }
    return out;
  }

  /** Which heads train: those of the domains present. */
  private static boolean[] headsOf(boolean vehicle, boolean robot) {
    boolean[] on = new boolean[HydraHeads.NAMES.size()];
    for (int h : HydraHeads.VEHICLE_HEADS) {
      on[h] = vehicle;
    }
    for (int h : HydraHeads.ROBOT_HEADS) {
      on[h] = robot;
    }
    return on;
  }

  /** Logs [total, one per head] as the curves "total" and one per head of a trained domain. */
  private static void logHeads(CurveLog curves, String split, long step, double[] values, boolean[] logged) {
    curves.add("total", split, step, values[0]);
    for (int k = 0; k < HydraHeads.NAMES.size(); k++) {
      if (logged[k]) {
        curves.add(HydraHeads.NAMES.get(k), split, step, values[k + 1]);
      }
    }
  }

  /** CPU time of this process (every thread, native ones included), or NaN where unavailable. */
  static double processCpuSeconds() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }

  /**
   * One optimiser step; returns the batch's losses [total, seg, depth, heatmap, size]. A non-finite
   * total is returned before any update, so a diverged run never writes non-finite weights anywhere.
   */
  private static double[] step(Trainer trainer, HydraLoss loss, List<LabelledImage> batch) {
    TrainingBatch tb = TrainingBatch.of(batch);
    try (NDManager m = trainer.getManager().newSubManager()) {
      NDArray x = tb.images(m);
      NDList labels = tb.labels(m);
      double[] values = new double[1 + HydraLoss.COMPONENTS];
      try (GradientCollector gc = trainer.newGradientCollector()) {
        NDList pred = trainer.forward(new NDList(x));
        NDList c = loss.components(labels, pred);
        NDArray l = HydraLoss.total(c);
        values[0] = l.getFloat();
        for (int k = 0; k < HydraLoss.COMPONENTS; k++) {
          values[k + 1] = c.get(k).getFloat();
        }
        if (!Double.isFinite(values[0])) {
          return values;
        }
        gc.backward(l);
      }
      trainer.step();
      return values;
    }
  }

  /**
   * Held-out losses [total, one per head] in inference mode: each domain's heads averaged over that
   * domain's images (0 for a domain without images), the total their weighted sum.
   */
  public static double[] heldOut(HydraModel model, List<? extends LabelledImage> scenes, HydraLoss loss) {
    double[] out = new double[1 + HydraLoss.COMPONENTS];
    addHeldOut(model, ofDomain(scenes, DrivingScene.class), loss, HydraHeads.VEHICLE_HEADS, out);
    addHeldOut(model, ofDomain(scenes, RobotView.class), loss, HydraHeads.ROBOT_HEADS, out);
    out[0] = HydraLoss.total(java.util.Arrays.copyOfRange(out, 1, out.length));
    return out;
  }

  private static void addHeldOut(HydraModel model, List<? extends LabelledImage> scenes, HydraLoss loss, int[] heads,
      double[] out) {
    int batch = 32;
    for (int s = 0; s < scenes.size(); s += batch) {
      List<? extends LabelledImage> part = scenes.subList(s, Math.min(scenes.size(), s + batch));
      TrainingBatch tb = TrainingBatch.of(part);
      try (NDManager m = model.newBatchManager()) {
        NDList c = loss.components(tb.labels(m), model.predict(tb.images(m)));
        for (int h : heads) {
          out[h + 1] += c.get(h).getFloat() * part.size() / scenes.size();
        }
      }
    }
  }

  private static void checkpoint(HydraModel model, Path out, int epoch) {
    Path dir = out.resolve("checkpoints").resolve(String.format("epoch-%03d", epoch));
    model.save(dir);
    try (Stream<Path> old = Files.list(out.resolve("checkpoints"))) {
      List<Path> all = old.sorted(Comparator.reverseOrder()).toList();
      for (Path stale : all.subList(Math.min(all.size(), KEEP_CHECKPOINTS), all.size())) {
        FileTrees.delete(stale);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prune checkpoints in " + out, e);
    }
  }

  public static void writeReport(HydraTrainingReport report, Path out) {
    try {
      Files.createDirectories(out);
      Files.writeString(out.resolve("training.json"), Json.write(report));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write training.json to " + out, e);
    }
  }
}

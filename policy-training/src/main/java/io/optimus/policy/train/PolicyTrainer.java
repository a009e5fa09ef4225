package io.optimus.policy.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.optimus.common.FileTrees;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.perception.DjlRuntime;
import io.optimus.policy.EngineThreads;
import io.optimus.policy.PolicyMeta;
import io.optimus.policy.RunFiles;
import io.optimus.policy.data.DemoSet;
import io.optimus.policy.data.EpisodeData;
import io.optimus.policy.data.EpisodeSplit;
import io.optimus.policy.data.Normalizer;
import io.optimus.policy.data.ObservationLayout;
import io.optimus.policy.data.SampleWindows;
import io.optimus.policy.model.PolicyModel;
import io.optimus.policy.report.RunReport;
import io.optimus.perception.report.CurveLog;
import io.optimus.perception.report.Curves;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a policy on a demonstration set into a run directory.
 *
 * <p>Reproducible: weights are drawn after seeding the engine with the config's seed, batch order is
 * a pure function of (seed, epoch) and the engine is reseeded with (seed, step) before every step,
 * so the same config on the same data gives the same loss curve. Resumable exactly: a checkpoint
 * holds the weights, the AdamW moments and the step; nothing else carries state between steps.
 */
public final class PolicyTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyTrainer.class);
  private static final int VALIDATION_LOSS_SAMPLES = 1024;

  private final PrintStream progress;

  /** @param progress where the progress bar goes (stderr in the CLI), or null for none */
  public PolicyTrainer(PrintStream progress) {
    this.progress = progress;
  }

  /**
   * Trains {@code config.train().steps()} steps. With {@code resume}, a run directory holding a checkpoint
   * continues from it (the config must match except for a larger step count); without it the
   * directory must be empty or absent.
   */
  public TrainingReport train(DemoSet set, RunConfig config, Path runDir, boolean resume) throws IOException {
    TrainConfig tc = config.train();
    EngineThreads.configure(tc.threads());
    RunFiles files = new RunFiles(runDir);
    CheckpointState checkpoint = resume ? readCheckpoint(files) : null;
    if (checkpoint == null) {
      requireFresh(runDir, resume);
    } else {
      requireCompatible(RunConfig.loadRun(files.config()), config, checkpoint.step(), files);
    }
    Files.createDirectories(runDir);

    if (set.hasImages() && !set.cameras().equals(config.policy().cameras())) {
      throw new InputException("the demonstrations hold features of cameras " + set.cameras() + ", the config lists "
          + config.policy().cameras());
    }
    // a palms policy learns each palm's pose (FK of the commanded joints) beside the joint targets
    java.util.List<EpisodeData> episodes = config.policy().extraActions() == 0 ? set.episodes()
        : new io.optimus.policy.data.PalmPoses(set.joints().names()).label(set.episodes());
    EpisodeSplit split = EpisodeSplit.of(episodes, tc.validationFraction(), tc.seed());
    Normalizer norm;
    if (checkpoint == null) {
      norm = Normalizer.fit(split.train(), set.featureShape());
      norm.save(files.normalizer());
      config.save(files.config());
      new PolicyMeta(config.policy().kind(), set.joints(), set.featureShape(), set.encoderId(), set.rateHz(),
          config.policy().history(), config.policy().velocity(), config.policy().chunk(), split.train().stream().map(EpisodeData::id).toList(),
          split.validation().stream().map(EpisodeData::id).toList(), set.cameras()).save(files.meta());
    } else {
      norm = Normalizer.load(files.normalizer(), set.joints().size(), set.joints().size() + config.policy().extraActions(),
          set.featureShape() == null ? 0 : set.featureShape().channels());
      PolicyMeta meta = PolicyMeta.load(files.meta());
      if (!meta.trainEpisodes().equals(split.train().stream().map(EpisodeData::id).toList())) {
        throw new InputException("cannot resume " + runDir + ": the dataset's episodes differ from the ones it was trained on");
      }
      config.save(files.config());
    }
    ObservationLayout layout = config.policy().layout(set.joints().size(), set.featureShape());
    SampleWindows train = new SampleWindows(split.train(), layout, norm);
    SampleWindows validation = new SampleWindows(split.validation(), layout, norm);

    ai.djl.engine.Engine engine = DjlRuntime.engine();
    try (NDManager manager = NDManager.newBaseManager()) {
      engine.setRandomSeed((int) tc.seed());
      PolicyModel block = config.policy().model().create(layout, manager);
      AdamW adam = new AdamW(block.getParameters(), manager, tc.learningRate(), tc.weightDecay());
      LossCurve curve = new LossCurve();
      CurveLog curves = new CurveLog();
      int startStep = 0;
      if (checkpoint != null) {
        block.load(files.checkpoint().resolve("model.params"), manager);
        // Loaded arrays are fresh tensors: mark them trainable again.
        block.getParameters().forEach(p -> {
          if (p.getValue().requiresGradient()) {
            p.getValue().getArray().setRequiresGradient(true);
          }
        });
        adam.load(files.checkpoint().resolve("optimizer.bin"), manager);
        curve = Files.exists(files.lossCsv()) ? LossCurve.readCsv(files.lossCsv()) : curve;
        curve.truncateAfter(checkpoint.step());
        curves = Files.exists(files.curves()) ? CurveLog.of(Curves.read(files.curves())) : curves;
        curves.truncateAfter(checkpoint.step());
        startStep = checkpoint.step();
        LOG.info("resuming {} at step {}", runDir, startStep);
      }

      Map<String, int[]> groups = set.joints().groupIndices();
      int batch = Math.min(tc.batchSize(), train.size());
      int stepsPerEpoch = Math.max(1, train.size() / batch);
      float[] state = new float[batch * layout.stateSize()];
      float[] features = layout.featureShape() == null ? null : new float[batch * layout.featureSize()];
      float[] actions = new float[batch * layout.actionSize()];
      int[] order = null;
      int orderEpoch = -1;
      ParameterStore ps = new ParameterStore(manager, false);
      DirectFloats[] direct = {new DirectFloats(), new DirectFloats(), new DirectFloats()};
      ProgressBar bar = new ProgressBar(progress, "train " + config.policy().kind(), startStep, tc.steps());
      long t0 = System.nanoTime();
      double lastTrain = Double.NaN;
      double lastValidation = Double.NaN;
      for (int step = startStep; step < tc.steps(); step++) {
        int epoch = step / stepsPerEpoch;
        if (epoch != orderEpoch) {
          order = permutation(train.size(), tc.seed(), epoch);
          orderEpoch = epoch;
        }
        train.fill(order, (step % stepsPerEpoch) * batch, batch, state, features, actions);
        engine.setRandomSeed((int) (tc.seed() * 1_000_003L + step));
        lastTrain = step(block, ps, manager, adam, layout, batch, state, features, actions, direct,
            tc.schedule().equals("cosine") ? learningRateScale(step, tc.steps()) : 1);
        curves.add(HeldOutEvaluator.TOTAL, "train", step + 1, lastTrain);
        if (!Double.isFinite(lastTrain)) {
          // the curves up to this step, the non-finite one marked, stay in the run for its report
          curves.curves("step", "loss").write(files.curves());
          RunReport.write(files);
          throw new IllegalStateException("training diverged at step " + (step + 1) + " (loss " + lastTrain
              + "); lower learningRate");
        }
        int done = step + 1;
        double val = Double.NaN;
        if (done % tc.evalEvery() == 0 || done == tc.steps()) {
          Map<String, Double> held = HeldOutEvaluator.losses(block, manager, validation, VALIDATION_LOSS_SAMPLES, groups);
          Map<String, Double> seen = HeldOutEvaluator.losses(block, manager, train, VALIDATION_LOSS_SAMPLES, groups);
          val = held.get(HeldOutEvaluator.TOTAL);
          lastValidation = val;
          if (validation.size() > 0) {
            curves.add(HeldOutEvaluator.TOTAL, "validation", done, val);
          }
          for (String g : groups.keySet()) {
            curves.add(g, "train", done, seen.get(g));
            if (validation.size() > 0) {
              curves.add(g, "validation", done, held.get(g));
            }
          }
        }
        curve.add(done, lastTrain, val);
        bar.update(done, lastTrain, (long) (done - startStep) * batch);
        if (done % tc.checkpointEvery() == 0 || done == tc.steps()) {
          saveCheckpoint(files, block, adam, done, curve, curves);
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      block.save(files.params());
      curve.writeCsv(files.lossCsv());
      curves.curves("step", "loss").write(files.curves());
      ActionErrors errors = validation.size() == 0 ? null
          : HeldOutEvaluator.actionErrors(block, manager, validation, norm, set.joints());
      int trained = tc.steps() - startStep;
      TrainingReport report = new TrainingReport(runDir.toString(), config.policy().kind(), tc.steps(), startStep, split.train().size(),
          split.validation().size(), train.size(), lastTrain, lastValidation,
          seconds > 0 ? (double) trained * batch / seconds : 0, seconds, errors);
      Files.writeString(files.metrics(), Json.write(report));
      RunReport.write(files);
      return report;
    }
  }

  /**
   * Learning-rate factor at {@code step} of {@code steps}: linear warm-up over the first 2% (the
   * transformer's attention is unstable under full-size first steps), then cosine decay to 10%,
   * which settles the weights instead of leaving them bouncing at the end of the run. A function of
   * the step alone, so a resumed run follows the same schedule.
   */
  static double learningRateScale(int step, int steps) {
    int warmup = Math.max(1, steps / 50);
    if (step < warmup) {
      return (step + 1.0) / warmup;
    }
    double progress = (double) (step - warmup) / Math.max(1, steps - warmup);
    return 0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress));
  }

  private static double step(Block block, ParameterStore ps, NDManager manager, AdamW adam, ObservationLayout layout,
      int batch, float[] state, float[] features, float[] actions, DirectFloats[] direct, double lrScale) {
    double lossValue;
    try (NDManager sub = manager.newSubManager()) {
      NDList in = new NDList(sub.create(direct[0].of(state), new Shape(batch, layout.stateSize()),
          DataType.FLOAT32));
      if (features != null) {
        in.add(sub.create(direct[1].of(features), new Shape(batch, layout.featureSize()), DataType.FLOAT32));
      }
      NDArray target = sub.create(direct[2].of(actions), new Shape(batch, layout.actionSize()),
          DataType.FLOAT32);
      try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
        // no gc.zeroGradients(): AdamW's fused update already zeroes every gradient it applies, and
        // DJL's zeroGradients leaks two engine arrays per parameter per call (getGradient() twice,
        // never closed), which made training slow down step after step as the manager filled up
        NDArray prediction = block.forward(ps, in, true).head();
        NDArray loss = prediction.sub(target).abs().mean();
        gc.backward(loss);
        lossValue = loss.getFloat();
      }
      adam.step(lrScale);
    }
    return lossValue;
  }

  /**
   * One reusable native-order direct buffer per batch input. Creating an array from a float[] makes
   * the engine allocate a fresh direct buffer every step, which only a garbage collection frees (the
   * launcher caps direct memory at 1 GB); a direct buffer is handed to the engine as it is. Each
   * training run has its own.
   */
  static final class DirectFloats {
    private java.nio.ByteBuffer buffer;

    java.nio.ByteBuffer of(float[] values) {
      if (buffer == null || buffer.capacity() < values.length * Float.BYTES) {
        buffer = java.nio.ByteBuffer.allocateDirect(values.length * Float.BYTES).order(java.nio.ByteOrder.nativeOrder());
      }
      buffer.clear();
      buffer.asFloatBuffer().put(values);
      buffer.limit(values.length * Float.BYTES);
      return buffer;
    }
  }

  static int[] permutation(int n, long seed, int epoch) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    Random r = new Random(seed * 0x9E3779B97F4A7C15L + epoch);
    for (int i = n - 1; i > 0; i--) {
      int k = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[k];
      p[k] = t;
    }
    return p;
  }

  record CheckpointState(int step) {}

  private static CheckpointState readCheckpoint(RunFiles files) {
    Path state = files.checkpoint().resolve("state.json");
    if (!Files.isRegularFile(state)) {
      return null;
    }
    try {
      return new CheckpointState(Json.MAPPER.readTree(state.toFile()).get("step").asInt());
    } catch (IOException | NullPointerException e) {
      throw new InputException("checkpoint " + state + ": unreadable: " + e.getMessage(), e);
    }
  }

  private static void requireFresh(Path runDir, boolean resume) throws IOException {
    if (Files.isDirectory(runDir)) {
      try (Stream<Path> s = Files.list(runDir)) {
        if (s.findAny().isPresent()) {
          throw new InputException("run directory " + runDir + (resume ? " holds no checkpoint to resume from"
              : " is not empty (resume it, or choose another --out)"));
        }
      }
    } else if (Files.exists(runDir)) {
      throw new InputException("run directory " + runDir + " is a file");
    }
  }

  private static void requireCompatible(RunConfig saved, RunConfig now, int checkpointStep, RunFiles files) {
    Map<String, Object> a = saved.fields();
    Map<String, Object> b = now.fields();
    a.remove("steps");
    b.remove("steps");
    for (Map.Entry<String, Object> f : a.entrySet()) {
      if (!Objects.equals(f.getValue(), b.get(f.getKey()))) {
        throw new InputException("cannot resume " + files.dir() + ": config field " + f.getKey() + " was "
            + f.getValue() + ", now " + b.get(f.getKey()));
      }
    }
    if (!a.keySet().equals(b.keySet())) {
      throw new InputException("cannot resume " + files.dir() + ": the policy was " + saved.policy().kind()
          + ", now " + now.policy().kind());
    }
    if (now.train().steps() < checkpointStep) {
      throw new InputException("cannot resume " + files.dir() + ": checkpoint is at step " + checkpointStep
          + ", beyond steps = " + now.train().steps());
    }
  }

  private static void saveCheckpoint(RunFiles files, PolicyModel block, AdamW adam, int step, LossCurve curve,
      CurveLog curves) {
    try {
      Path tmp = files.dir().resolve("checkpoint.tmp");
      FileTrees.delete(tmp);
      Files.createDirectories(tmp);
      block.save(tmp.resolve("model.params"));
      adam.save(tmp.resolve("optimizer.bin"));
      Files.writeString(tmp.resolve("state.json"), Json.write(Map.of("step", step)));
      curve.writeCsv(files.lossCsv());
      curves.curves("step", "loss").write(files.curves());
      FileTrees.delete(files.checkpoint());
      Files.move(tmp, files.checkpoint(), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint in " + files.dir(), e);
    }
  }
}

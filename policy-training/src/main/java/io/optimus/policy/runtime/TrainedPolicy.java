package io.optimus.policy.runtime;

import ai.djl.ndarray.NDManager;
import io.optimus.common.InputException;
import io.optimus.perception.DjlRuntime;
import io.optimus.policy.EngineThreads;
import io.optimus.policy.PolicyConfig;
import io.optimus.policy.PolicyMeta;
import io.optimus.policy.RunFiles;
import io.optimus.policy.data.Normalizer;
import io.optimus.policy.data.ObservationLayout;
import io.optimus.policy.ChunkPredictor;
import io.optimus.policy.model.PolicyModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trained policy loaded from its run directory for inference: normalizes raw observations
 * exactly as in training and returns chunks of joint targets in joint units.
 */
public final class TrainedPolicy implements ChunkPredictor {
  private final Path run;
  private final PolicyConfig config;
  private final PolicyMeta meta;
  private final Normalizer normalizer;
  private final ObservationLayout layout;
  private final NDManager manager;
  private final PolicyModel block;
  private final float[] state;
  private final float[] features;
  private final float[] normalizedOut;

  private TrainedPolicy(Path run, PolicyConfig config, PolicyMeta meta, Normalizer normalizer, NDManager manager,
      PolicyModel block) {
    this.run = run;
    this.config = config;
    this.meta = meta;
    this.normalizer = normalizer;
    this.layout = meta.layout().withExtraActions(config.extraActions());
    this.manager = manager;
    this.block = block;
    this.state = new float[layout.stateSize()];
    this.features = layout.featureShape() == null ? null : new float[layout.featureSize()];
    this.normalizedOut = new float[layout.actionSize()];
  }

  public static TrainedPolicy load(Path run) {
    RunFiles files = new RunFiles(run);
    if (!Files.isDirectory(run)) {
      throw new InputException("policy run " + run + ": no such directory");
    }
    if (!Files.isRegularFile(files.params())) {
      throw new InputException("policy run " + run + ": no model.params (training unfinished?)");
    }
    PolicyConfig config = PolicyConfig.loadRun(files.config());
    PolicyMeta meta = PolicyMeta.load(files.meta());
    Normalizer norm = Normalizer.load(files.normalizer(), meta.joints().size(),
        meta.joints().size() + config.extraActions(),
        meta.featureShape() == null ? 0 : meta.featureShape().channels());
    EngineThreads.configure(EngineThreads.INFERENCE);
    NDManager manager = DjlRuntime.engine().newBaseManager();
    try {
      PolicyModel block = config.model().create(meta.layout().withExtraActions(config.extraActions()), manager).load(files.params(), manager);
      return new TrainedPolicy(run, config, meta, norm, manager, block);
    } catch (IOException e) {
      manager.close();
      throw new UncheckedIOException("cannot read " + files.params(), e);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  @Override
  public Path run() {
    return run;
  }

  public PolicyConfig config() {
    return config;
  }

  @Override
  public PolicyMeta meta() {
    return meta;
  }

  @Override
  public ObservationLayout layout() {
    return layout;
  }

  @Override
  public double ensembleDecay() {
    return config.ensembleDecay();
  }

  PolicyModel model() {
    return block;
  }

  /**
   * One chunk of H x J joint targets (joint units) for the observation; {@code imageFeatures} is
   * ignored (may be null) when the policy has no image input.
   */
  @Override
  public synchronized void predict(float[] q, float[] dq, ObservationLayout.QHistory past, float[] imageFeatures,
      float[] chunkOut) {
    layout.encodeState(normalizer, q, dq, past, state, 0);
    if (features != null) {
      if (imageFeatures == null) {
        throw new IllegalArgumentException("policy " + run + " needs image features");
      }
      layout.encodeFeatures(normalizer, imageFeatures, features, 0);
    }
    float[] out = block.predict(manager, state, features, 1);
    System.arraycopy(out, 0, normalizedOut, 0, out.length);
    layout.decodeActions(normalizer, normalizedOut, chunkOut);
  }

  @Override
  public void close() {
    manager.close();
  }
}

package io.optimus.perception.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.optimus.common.InputException;
import io.optimus.perception.net.BackboneConfig;
import io.optimus.perception.BackboneStore;
import io.optimus.perception.DjlRuntime;
import io.optimus.perception.net.HydraNet;
import io.optimus.perception.net.ResNetFpn;
import java.nio.file.Files;
import java.nio.file.Path;

/** A HydraNet with its DJL model (which owns every array), saved and loaded part by part. */
public final class HydraModel implements AutoCloseable {
  private final Model model;
  private final HydraNet net;

  private HydraModel(BackboneConfig config) {
    DjlRuntime.engine();
    model = Model.newInstance("hydranet", Device.cpu(), "PyTorch");
    net = new HydraNet(config);
    model.setBlock(net);
  }

  /** A randomly initialised net (reproducible for a given seed). */
  public static HydraModel create(BackboneConfig config, long seed) {
    HydraModel m = new HydraModel(config);
    DjlRuntime.seed(seed);
    m.net.initialize(m.model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, 96, 96));
    return m;
  }

  /** Backbone from a saved backbone (or model) directory, heads randomly initialised. */
  public static HydraModel withBackbone(Path dir, long seed) {
    Path backboneDir = BackboneStore.backboneDir(dir);
    HydraModel m = new HydraModel(BackboneStore.readConfig(backboneDir));
    try {
      m.readBackbone(backboneDir);
      DjlRuntime.seed(seed);
      m.net.initialize(m.model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, 96, 96));
      return m;
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /** Backbone and heads from a model directory written by {@link #save}. */
  public static HydraModel load(Path dir) {
    Path backboneDir = BackboneStore.backboneDir(dir);
    Path headsDir = dir.resolve(BackboneStore.HEADS_DIR);
    if (!Files.isRegularFile(headsDir.resolve("heads.params"))) {
      throw new InputException("model directory " + dir + ": no heads/heads.params (a backbone-only"
          + " directory cannot be evaluated on the driving tasks)");
    }
    HydraModel m = new HydraModel(BackboneStore.readConfig(backboneDir));
    try {
      m.readBackbone(backboneDir);
      HydraNet reference = new HydraNet(m.config());
      Shape[] features = reference.backbone().getOutputShapes(new Shape[] {PROBE});
      BackboneStore.readParams(m.net.heads(), m.model.getNDManager(), headsDir, "heads", reference.heads(), features);
      return m;
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  private static final Shape PROBE = new Shape(1, 3, 64, 64);

  private void readBackbone(Path backboneDir) {
    BackboneStore.readParams(net.backbone(), model.getNDManager(), backboneDir, "backbone",
        new ResNetFpn(config()), PROBE);
  }

  public HydraNet net() {
    return net;
  }

  public Model model() {
    return model;
  }

  public BackboneConfig config() {
    return net.config();
  }

  /** Writes {@code dir/backbone/} and {@code dir/heads/}. */
  public void save(Path dir) {
    saveBackbone(dir.resolve(BackboneStore.BACKBONE_DIR));
    BackboneStore.writeHeads(net.heads(), config(), dir.resolve(BackboneStore.HEADS_DIR));
  }

  public void saveBackbone(Path dir) {
    BackboneStore.writeBackbone(net.backbone(), dir);
  }

  /** Inference (no training-mode batch norm) on [N,3,H,W] or [B,K,3,H,W] images in [0, 1]. */
  public NDList predict(NDArray images) {
    Shape s = images.getShape();
    int d = s.dimension();
    if ((d != 4 && d != 5) || s.get(d - 3) != 3) {
      throw new InputException("images: expected [N,3,H,W] or [B,K,3,H,W], got " + s);
    }
    BackboneConfig.checkImageSize((int) s.get(d - 2), (int) s.get(d - 1));
    return net.forward(new ParameterStore(images.getManager(), false), new NDList(images), false);
  }

  /** A child manager for one batch's arrays; close it after the batch. */
  public NDManager newBatchManager() {
    return model.getNDManager().newSubManager();
  }

  @Override
  public void close() {
    model.close();
  }
}

package io.optimus.perception;

import io.optimus.perception.net.BackboneConfig;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.optimus.common.InputException;
import io.optimus.perception.net.ResNetFpn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shared image encoder, as other modules (policy training) use it: pooled embeddings and
 * multi-scale feature maps for any RGB camera image whose sides are multiples of 32 (e.g. the
 * robot's 96x96 head camera, or 224x224).
 *
 * <ul>
 *   <li>{@link #load(Path)}: a backbone trained by {@code optimus perception train} (the model
 *       directory or its {@code backbone/} subdirectory);</li>
 *   <li>{@link #create(BackboneConfig, long)}: fresh, randomly initialised (reproducible per seed);</li>
 *   <li>{@link #loadTorchScript(Path)}: an external TorchScript backbone (e.g. exported from
 *       torchvision), given the same [N,3,H,W] float input in [0,1]; it returns a tensor or a tuple
 *       of tensors [N,C,h,w] (feature maps, finest first); the embedding is the global average of the
 *       last one.</li>
 * </ul>
 *
 * <p>Embedding size: {@link #embeddingSize()}; for the native ResNet it is 8 x width (128 for the
 * default width 16; 512 for a torchvision-width ResNet-18/34). Inference runs with batch-norm
 * running statistics (no training mode), so embeddings are deterministic. Thread-safe; owns native
 * memory until {@link #close()}; every call frees its temporary arrays before returning.
 */
public final class PerceptionBackbone implements AutoCloseable {
  private final Model model;
  private final Block block;
  private final BackboneConfig config;
  private final int embeddingSize;
  private final String source;
  private boolean closed;

  private PerceptionBackbone(Model model, Block block, BackboneConfig config, int embeddingSize, String source) {
    this.model = model;
    this.block = block;
    this.config = config;
    this.embeddingSize = embeddingSize;
    this.source = source;
  }

  /** A fresh backbone with random (He) initialisation; the same seed gives the same weights. */
  public static PerceptionBackbone create(BackboneConfig config, long seed) {
    Model model = newModel();
    try {
      ResNetFpn net = new ResNetFpn(config);
      model.setBlock(net);
      DjlRuntime.seed(seed);
      net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, 96, 96));
      return new PerceptionBackbone(model, net, config, config.embeddingSize(), "random(seed=" + seed + ")");
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** The backbone saved in {@code dir} (a model directory or its {@code backbone/} subdirectory). */
  public static PerceptionBackbone load(Path dir) {
    Path backboneDir = BackboneStore.backboneDir(dir);
    BackboneConfig config = BackboneStore.readConfig(backboneDir);
    Model model = newModel();
    try {
      ResNetFpn net = new ResNetFpn(config);
      model.setBlock(net);
      BackboneStore.readParams(net, model.getNDManager(), backboneDir, "backbone", new ResNetFpn(config),
          new Shape(1, 3, 64, 64));
      return new PerceptionBackbone(model, net, config, config.embeddingSize(), backboneDir.toString());
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * An external TorchScript backbone file. Its embedding size is found by running it once on a
   * 96x96 black image.
   */
  public static PerceptionBackbone loadTorchScript(Path file) {
    if (file == null || !Files.isRegularFile(file)) {
      throw new InputException("TorchScript backbone " + file + ": no such file");
    }
    Model model = newModel();
    try {
      model.load(file, file.getFileName().toString());
      Block block = model.getBlock();
      int size;
      try (NDManager m = model.getNDManager().newSubManager()) {
        NDList out = block.forward(new ParameterStore(m, false), new NDList(m.zeros(new Shape(1, 3, 96, 96))), false);
        NDArray last = out.get(out.size() - 1);
        if (last.getShape().dimension() != 4) {
          throw new InputException("TorchScript backbone " + file + ": its last output has shape "
              + last.getShape() + ", expected a feature map [N,C,h,w]");
        }
        size = (int) last.getShape().get(1);
      }
      return new PerceptionBackbone(model, block, null, size, file.toString());
    } catch (MalformedModelException | IOException | RuntimeException e) {
      model.close();
      if (e instanceof InputException ie) {
        throw ie;
      }
      throw new InputException("TorchScript backbone " + file + ": cannot load it (" + e.getMessage() + ")", e);
    }
  }

  private static Model newModel() {
    DjlRuntime.engine();
    return Model.newInstance("perception-backbone", Device.cpu(), "PyTorch");
  }

  /** Length of every embedding vector. */
  public int embeddingSize() {
    return embeddingSize;
  }

  /** The native backbone's shape; empty for a TorchScript backbone. */
  public Optional<BackboneConfig> config() {
    return Optional.ofNullable(config);
  }

  /** Where the weights came from (a directory, a file, or the random seed). */
  public String source() {
    return source;
  }

  /** One embedding per image, in order: [images.size()][embeddingSize()]. */
  public float[][] embed(List<RgbImage> images) {
    return embedChw(toChw(images), heightOf(images), widthOf(images));
  }

  /**
   * Embeddings of images given as floats in [0, 1], CHW order (3 x height x width per image).
   */
  public float[][] embedChw(List<float[]> images, int height, int width) {
    NDList out = null;
    synchronized (this) {
      checkOpen();
      try (NDManager m = model.getNDManager().newSubManager()) {
        out = run(m, images, height, width);
        float[] flat = pooled(out).toFloatArray();
        float[][] result = new float[images.size()][embeddingSize];
        for (int n = 0; n < result.length; n++) {
          System.arraycopy(flat, n * embeddingSize, result[n], 0, embeddingSize);
        }
        return result;
      }
    }
  }

  /**
   * Multi-scale feature maps of the images, finest first. Native backbone: the FPN levels P1..P5
   * (strides 2, 4, 8, 16, 32; {@code fpnChannels} each). TorchScript: whatever maps it returns.
   */
  public List<FeatureMap> features(List<RgbImage> images) {
    int h = heightOf(images);
    int w = widthOf(images);
    synchronized (this) {
      checkOpen();
      try (NDManager m = model.getNDManager().newSubManager()) {
        NDList out = run(m, toChw(images), h, w);
        List<FeatureMap> maps = new ArrayList<>();
        int first = config != null ? ResNetFpn.P1 : 0;
        for (int i = first; i < out.size(); i++) {
          NDArray a = out.get(i);
          Shape s = a.getShape();
          if (s.dimension() != 4) {
            continue;
          }
          maps.add(new FeatureMap((int) (h / s.get(2)), (int) s.get(0), (int) s.get(1), (int) s.get(2),
              (int) s.get(3), a.toFloatArray()));
        }
        return List.copyOf(maps);
      }
    }
  }

  /**
   * The DJL block, for embedding this backbone in another network to fine-tune it. Native: a
   * {@link ResNetFpn} (output [embedding, P1..P5]); TorchScript: the loaded symbol block.
   */
  public Block block() {
    return block;
  }

  /** Writes this (native) backbone as a backbone directory ({@code backbone.json}, {@code backbone.params}). */
  public synchronized void save(Path dir) {
    checkOpen();
    if (!(block instanceof ResNetFpn net)) {
      throw new InputException("backbone from " + source + ": a TorchScript backbone cannot be saved in the native format");
    }
    BackboneStore.writeBackbone(net, dir);
  }

  private NDList run(NDManager m, List<float[]> images, int height, int width) {
    if (images.isEmpty()) {
      throw new InputException("images: the batch is empty");
    }
    if (config != null) {
      BackboneConfig.checkImageSize(height, width);
    }
    int size = 3 * height * width;
    float[] flat = new float[images.size() * size];
    for (int n = 0; n < images.size(); n++) {
      float[] img = images.get(n);
      if (img == null || img.length != size) {
        int got = img == null ? 0 : img.length;
        throw new InputException("image " + n + ": expected 3x" + height + "x" + width + " = " + size
            + " floats (CHW RGB), got " + got + (got == height * width ? " (one channel?)" : ""));
      }
      for (float v : img) {
        if (!Float.isFinite(v)) {
          throw new InputException("image " + n + ": contains " + v + "; pixels must be finite values in [0, 1]");
        }
      }
      System.arraycopy(img, 0, flat, n * size, size);
    }
    NDArray x = m.create(flat, new Shape(images.size(), 3, height, width));
    return block.forward(new ParameterStore(m, false), new NDList(x), false);
  }

  private NDArray pooled(NDList out) {
    if (config != null) {
      return out.get(ResNetFpn.EMBEDDING);
    }
    NDArray last = out.get(out.size() - 1);
    return last.mean(new int[] {3}).mean(new int[] {2});
  }

  private static List<float[]> toChw(List<RgbImage> images) {
    List<float[]> chw = new ArrayList<>(images.size());
    for (RgbImage img : images) {
      float[] f = new float[3 * img.width() * img.height()];
      img.toChw(f, 0);
      chw.add(f);
    }
    return chw;
  }

  private static int heightOf(List<RgbImage> images) {
    return sameSize(images)[0];
  }

  private static int widthOf(List<RgbImage> images) {
    return sameSize(images)[1];
  }

  private static int[] sameSize(List<RgbImage> images) {
    if (images == null || images.isEmpty()) {
      throw new InputException("images: the batch is empty");
    }
    RgbImage first = images.get(0);
    for (int n = 1; n < images.size(); n++) {
      RgbImage img = images.get(n);
      if (img.width() != first.width() || img.height() != first.height()) {
        throw new InputException("image " + n + ": size " + img.width() + "x" + img.height()
            + " differs from image 0's " + first.width() + "x" + first.height() + "; a batch needs one size");
      }
    }
    return new int[] {first.height(), first.width()};
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("perception backbone is closed");
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      model.close();
    }
  }
}

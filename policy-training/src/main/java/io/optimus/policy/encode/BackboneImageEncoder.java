package io.optimus.policy.encode;

import io.optimus.common.InputException;
import io.optimus.perception.BackboneConfig;
import io.optimus.perception.FeatureMap;
import io.optimus.perception.PerceptionBackbone;
import io.optimus.perception.RgbImage;
import io.optimus.policy.data.FeatureShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared perception backbone ({@link PerceptionBackbone}, HydraNet-style ResNet + FPN) as a
 * frozen image encoder: its stride-16 feature map of a 96x96 head-camera image is 6x6 cells, i.e.
 * 36 image tokens for the ACT policy. Vehicle-pretrained (loaded from a saved backbone directory)
 * or from scratch (seeded random weights); always in inference mode.
 */
public final class BackboneImageEncoder implements ImageEncoder {
  static final int STRIDE = 16;

  private final PerceptionBackbone backbone;
  private final String id;
  private final int imageSize;
  private final FeatureShape shape;

  private BackboneImageEncoder(PerceptionBackbone backbone, int imageSize) {
    this.backbone = backbone;
    this.imageSize = imageSize;
    BackboneConfig.checkImageSize(imageSize, imageSize);
    int channels = backbone.config().orElseThrow(() -> new InputException(
        "backbone " + backbone.source() + ": only native optimus backbones can be policy encoders")).fpnChannels();
    this.shape = new FeatureShape(channels, imageSize / STRIDE, imageSize / STRIDE);
    this.id = "backbone:" + weightsHash(backbone);
  }

  /** The backbone saved in {@code dir} (a backbone directory or a model directory holding backbone/). */
  public static BackboneImageEncoder load(Path dir, int imageSize) {
    BackboneConfig.checkImageSize(imageSize, imageSize);
    PerceptionBackbone b = PerceptionBackbone.load(dir);
    try {
      return new BackboneImageEncoder(b, imageSize);
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
  }

  /** A randomly initialised backbone (same seed, same weights): the "from scratch" control. */
  public static BackboneImageEncoder scratch(BackboneConfig config, long seed, int imageSize) {
    BackboneConfig.checkImageSize(imageSize, imageSize);
    PerceptionBackbone b = PerceptionBackbone.create(config, seed);
    try {
      return new BackboneImageEncoder(b, imageSize);
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
  }

  /** Saves the weights (a trained policy run keeps its own copy so it can be deployed alone). */
  public void save(Path dir) {
    backbone.save(dir);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public FeatureShape shape() {
    return shape;
  }

  @Override
  public float[] encode(byte[] rgb, int width, int height) {
    return encodeBatch(List.of(rgb), width, height)[0];
  }

  /** Encodes several same-sized images in one forward pass; features channel-last per cell. */
  public float[][] encodeBatch(List<byte[]> images, int width, int height) {
    if (width != imageSize || height != imageSize) {
      throw new InputException("camera image " + width + "x" + height + ": this encoder was set up for "
          + imageSize + "x" + imageSize);
    }
    List<RgbImage> in = new ArrayList<>(images.size());
    for (byte[] rgb : images) {
      if (rgb.length != width * height * 3) {
        throw new InputException("camera image has " + rgb.length + " bytes, RGB8 " + width + "x" + height
            + " needs " + width * height * 3);
      }
      in.add(new RgbImage(width, height, rgb));
    }
    FeatureMap map = backbone.features(in).stream().filter(f -> f.stride() == STRIDE).findFirst()
        .orElseThrow(() -> new IllegalStateException("backbone has no stride-" + STRIDE + " feature map"));
    int c = map.channels();
    int cells = map.height() * map.width();
    float[][] out = new float[images.size()][c * cells];
    float[] d = map.data();
    for (int n = 0; n < out.length; n++) {
      for (int ch = 0; ch < c; ch++) {
        int src = (n * c + ch) * cells;
        for (int k = 0; k < cells; k++) {
          out[n][k * c + ch] = d[src + k];
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    backbone.close();
  }

  /** Same id whether the weights come from a seed or from disk: the hash of the saved parameters. */
  private static String weightsHash(PerceptionBackbone b) {
    Path tmp = null;
    try {
      tmp = Files.createTempDirectory("backbone-id");
      b.save(tmp);
      var md = java.security.MessageDigest.getInstance("SHA-256");
      try (Stream<Path> s = Files.walk(tmp)) {
        for (Path p : s.filter(p -> p.toString().endsWith(".params")).sorted().toList()) {
          md.update(Files.readAllBytes(p));
        }
      }
      return HexFormat.of().formatHex(md.digest(), 0, 8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fingerprint backbone " + b.source(), e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } finally {
      if (tmp != null) {
        try (Stream<Path> s = Files.walk(tmp)) {
          s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
          // temp dir
        }
      }
    }
  }
}

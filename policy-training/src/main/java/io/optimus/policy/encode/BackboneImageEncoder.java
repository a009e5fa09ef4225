package io.optimus.policy.encode;

import io.optimus.common.InputException;
import io.optimus.perception.net.BackboneConfig;
import io.optimus.perception.FeatureMap;
import io.optimus.perception.PerceptionBackbone;
import io.optimus.perception.RgbImage;
import io.optimus.policy.encode.FeatureShape;
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
 * frozen image encoder: one FPN level of a head-camera image, e.g. stride 16 turns 96x96 into 6x6
 * cells (36 image tokens for ACT), stride 8 into 12x12. Vehicle-pretrained (loaded from a saved
 * backbone directory) or from scratch (seeded random weights); always in inference mode. The id
 * names the weights and, when not 16, the stride ({@code backbone:HASH@8}).
 */
public final class BackboneImageEncoder implements ImageEncoder {
  public static final int DEFAULT_STRIDE = 16;

  private final PerceptionBackbone backbone;
  private final int stride;
  private final String id;
  private final int imageSize;
  private final FeatureShape shape;

  private BackboneImageEncoder(PerceptionBackbone backbone, int imageSize, int stride) {
    if (stride != 4 && stride != 8 && stride != 16 && stride != 32) {
      throw new InputException("backbone feature stride " + stride + ": the FPN has levels at 4, 8, 16 and 32");
    }
    this.backbone = backbone;
    this.imageSize = imageSize;
    this.stride = stride;
    BackboneConfig.checkImageSize(imageSize, imageSize);
    int channels = backbone.config().orElseThrow(() -> new InputException(
        "backbone " + backbone.source() + ": only native optimus backbones can be policy encoders")).fpnChannels();
    this.shape = new FeatureShape(channels, imageSize / stride, imageSize / stride);
    this.id = "backbone:" + weightsHash(backbone) + (stride == DEFAULT_STRIDE ? "" : "@" + stride);
  }

  /** The stride an encoder id names (16 when it names none). */
  public static int strideOf(String id) {
    int at = id.lastIndexOf('@');
    return at < 0 ? DEFAULT_STRIDE : Integer.parseInt(id.substring(at + 1));
  }

  /** The backbone saved in {@code dir} (a backbone directory or a model directory holding backbone/). */
  public static BackboneImageEncoder load(Path dir, int imageSize) {
    return load(dir, imageSize, DEFAULT_STRIDE);
  }

  public static BackboneImageEncoder load(Path dir, int imageSize, int stride) {
    BackboneConfig.checkImageSize(imageSize, imageSize);
    PerceptionBackbone b = PerceptionBackbone.load(dir);
    try {
      return new BackboneImageEncoder(b, imageSize, stride);
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
  }

  /** A randomly initialised backbone (same seed, same weights): the "from scratch" control. */
  public static BackboneImageEncoder scratch(BackboneConfig config, long seed, int imageSize) {
    return scratch(config, seed, imageSize, DEFAULT_STRIDE);
  }

  public static BackboneImageEncoder scratch(BackboneConfig config, long seed, int imageSize, int stride) {
    BackboneConfig.checkImageSize(imageSize, imageSize);
    PerceptionBackbone b = PerceptionBackbone.create(config, seed);
    try {
      return new BackboneImageEncoder(b, imageSize, stride);
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
    FeatureMap map = backbone.features(in).stream().filter(f -> f.stride() == stride).findFirst()
        .orElseThrow(() -> new IllegalStateException("backbone has no stride-" + stride + " feature map"));
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

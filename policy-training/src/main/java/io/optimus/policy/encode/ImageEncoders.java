package io.optimus.policy.encode;

import io.optimus.common.InputException;
import io.optimus.perception.net.BackboneConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the image encoder a policy config names ("none", "pixels:G", "backbone:scratch", "backbone:DIR"). */
public final class ImageEncoders {
  private ImageEncoders() {}

  /** Null for "none"; backbones hand over their stride-16 feature map. */
  public static ImageEncoder open(String spec, long seed, int imageSize) {
    return open(spec, seed, imageSize, BackboneImageEncoder.DEFAULT_STRIDE);
  }

  /** Null for "none"; {@code stride} picks the backbone's feature map (ignored by pixel grids). */
  public static ImageEncoder open(String spec, long seed, int imageSize, int stride) {
    if (spec.equals("none")) {
      return null;
    }
    if (spec.startsWith("pixels:")) {
      try {
        return new PixelGridEncoder(Integer.parseInt(spec.substring("pixels:".length())));
      } catch (IllegalArgumentException e) {
        throw new InputException("image encoder '" + spec + "': G must be an integer in [1, 128]", e);
      }
    }
    if (TaskStateEncoder.isSpec(spec)) {
      return TaskStateEncoder.of(spec);
    }
    if (spec.equals("backbone:scratch")) {
      return BackboneImageEncoder.scratch(BackboneConfig.defaults(), seed, imageSize, stride);
    }
    if (spec.startsWith("backbone:")) {
      Path dir = Path.of(spec.substring("backbone:".length()));
      if (!Files.isDirectory(dir)) {
        throw new InputException("image encoder '" + spec + "': " + dir + " is not a directory");
      }
      return BackboneImageEncoder.load(dir, imageSize, stride);
    }
    throw new InputException("image encoder '" + spec + "': expected none, pixels:G, backbone:scratch, backbone:DIR, "
        + TaskStateEncoder.ID + " or " + TaskStateEncoder.PHASE_PREFIX + "T");
  }
}

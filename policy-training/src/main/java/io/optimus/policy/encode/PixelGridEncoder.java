package io.optimus.policy.encode;

import io.optimus.policy.encode.FeatureShape;

/**
 * The simplest frozen encoder: the mean colour of each cell of a G x G grid (3 channels per cell,
 * in [0, 1]). No learning and no network, so it is exact, instant and a useful control for the
 * backbone encoders.
 */
public final class PixelGridEncoder implements ImageEncoder {
  private final int grid;

  public PixelGridEncoder(int grid) {
    if (grid < 1 || grid > 128) {
      throw new IllegalArgumentException("pixel grid must be in [1, 128]: " + grid);
    }
    this.grid = grid;
  }

  @Override
  public String id() {
    return "pixels:" + grid;
  }

  @Override
  public FeatureShape shape() {
    return new FeatureShape(3, grid, grid);
  }

  @Override
  public float[] encode(byte[] rgb, int width, int height) {
    if (rgb.length < width * height * 3) {
      throw new IllegalArgumentException("image has " + rgb.length + " bytes, " + width + "x" + height + " RGB8 needs "
          + width * height * 3);
    }
    float[] out = new float[grid * grid * 3];
    int[] count = new int[grid * grid];
    for (int y = 0; y < height; y++) {
      int cy = y * grid / height;
      for (int x = 0; x < width; x++) {
        int cell = cy * grid + x * grid / width;
        int p = (y * width + x) * 3;
        out[cell * 3] += (rgb[p] & 0xff);
        out[cell * 3 + 1] += (rgb[p + 1] & 0xff);
        out[cell * 3 + 2] += (rgb[p + 2] & 0xff);
        count[cell]++;
      }
    }
    for (int c = 0; c < count.length; c++) {
      float s = count[c] == 0 ? 0 : 1f / (255f * count[c]);
      out[c * 3] *= s;
      out[c * 3 + 1] *= s;
      out[c * 3 + 2] *= s;
    }
    return out;
  }
}

package io.optimus.perception;

/**
 * One feature map for a batch of images: {@code data} is [batch, channels, height, width] row-major.
 *
 * @param stride input pixels per feature cell
 */
public record FeatureMap(int stride, int batch, int channels, int height, int width, float[] data) {
  /** Feature vector of image {@code n} at cell (y, x). */
  public float[] at(int n, int y, int x) {
    float[] v = new float[channels];
    for (int c = 0; c < channels; c++) {
      v[c] = data[((n * channels + c) * height + y) * width + x];
    }
    return v;
  }
}

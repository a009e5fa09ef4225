package io.optimus.policy.encode;

/**
 * Shape of one frame's image features: a feature map of {@code channels} x {@code height} x
 * {@code width}, stored channel-last (token-major: token k = row * width + col holds channels
 * [k*C, (k+1)*C)) so each spatial cell is one transformer token.
 */
public record FeatureShape(int channels, int height, int width) {
  public FeatureShape {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException("feature shape must be positive: " + channels + "x" + height + "x" + width);
    }
  }

  public int tokens() {
    return height * width;
  }

  public int size() {
    return channels * height * width;
  }
}

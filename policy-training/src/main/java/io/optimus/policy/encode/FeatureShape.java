package io.optimus.policy.encode;

/**
 * Shape of one observation's image features: {@code views} feature maps (one per camera, in the
 * policy's camera order) of {@code channels} x {@code height} x {@code width} each, concatenated
 * view after view. Each map is stored channel-last (token-major: token k = row * width + col holds
 * channels [k*C, (k+1)*C)) so each spatial cell is one transformer token. An encoder's own shape has
 * one view; a shape saved before views existed reads as one view.
 */
public record FeatureShape(int channels, int height, int width, int views) {
  public FeatureShape {
    if (views == 0) {
      views = 1; // absent from a run saved before multi-camera policies
    }
    if (channels <= 0 || height <= 0 || width <= 0 || views < 0) {
      throw new IllegalArgumentException("feature shape must be positive: " + views + " x " + channels + "x" + height
          + "x" + width);
    }
  }

  /** One view (one camera's map). */
  public FeatureShape(int channels, int height, int width) {
    this(channels, height, width, 1);
  }

  /** This map once per camera. */
  public FeatureShape withViews(int n) {
    return new FeatureShape(channels, height, width, n);
  }

  /** Cells of one view's map. */
  public int viewTokens() {
    return height * width;
  }

  /** Floats of one view's map. */
  public int viewSize() {
    return channels * height * width;
  }

  /** Cells of all views. */
  public int tokens() {
    return views * height * width;
  }

  /** Floats of all views. */
  public int size() {
    return views * channels * height * width;
  }
}

package io.optimus.policy.model;

import static io.optimus.policy.config.ConfigFields.require;

/**
 * How a policy reads the image feature map: {@code count} 0 takes every feature cell as it is
 * (ACT: one token per cell; MLP: the cells average-pooled); {@code count} K &gt; 0 puts a learned
 * {@link SpatialSoftArgmax} (Levine et al. 2016) in front, which turns the map into K image
 * keypoints (x, y): it keeps where things are and drops the rest.
 *
 * @param gain the starting value of the keypoints' learned softmax gain (a multiplier on the score
 *     maps). At gain 1 the scores of normalized colour cells differ by a few units, so each softmax
 *     spreads over about a thousand cells and the "keypoint" is an image-wide mean that barely moves
 *     with a 2-cell cube; a gain of about 10 lets it lock onto one object.
 * @param scale what the keypoint coordinates (in [-1, 1]) are multiplied by before the policy sees
 *     them. The cube moves its keypoint by about 0.1 across the work area; from inputs that small,
 *     with Adam's step sizes and weight decay, the policy learned only a fraction of the slope: its
 *     hand went to about the same depth whatever the cube's, and missed cubes near the body by 5-9 cm.
 *     Runs saved before this field existed used 1 ({@link #LEGACY_SCALE}).
 */
public record Keypoints(int count, double gain, double scale) {
  /** Default scale: the cube's keypoint then moves by about one unit, like a normalized input. */
  public static final double SCALE = 10;
  /** The scale of runs saved before the field existed. */
  public static final double LEGACY_SCALE = 1;
  public static final Keypoints NONE = new Keypoints(0, 10, SCALE);

  public Keypoints {
    require(count >= 0 && count <= 64, "keypoints", count, "must be in [0, 64] (0 = feature cells as tokens)");
    require(gain > 0 && gain <= 1000, "keypointGain", gain, "must be in (0, 1000]");
    require(scale > 0 && scale <= 1000, "keypointScale", scale, "must be in (0, 1000]");
  }

  public boolean enabled() {
    return count > 0;
  }
}

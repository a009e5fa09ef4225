package io.optimus.policy.encode;

import static io.optimus.policy.config.ConfigFields.require;

/**
 * Which frozen image encoder a policy sees through (its features are computed once and cached).
 *
 * @param spec "none", "pixels:G" (G x G colour grid), "backbone:scratch", "backbone:DIR" (a saved
 *     shared-perception backbone) or "privileged:task-state" (no image: the simulator's true cube and
 *     target poses, a diagnostic, simulation only: {@link TaskStateEncoder}); "privileged:task-state+phase:T"
 *     adds the time since the first motion over T seconds
 * @param featureStride which backbone feature map the encoder hands over: 4, 8, 16 or 32 pixels per
 *     cell (finer maps locate small objects better and cost more cache and attention)
 */
public record EncoderConfig(String spec, int featureStride) {
  public static final EncoderConfig DEFAULT = new EncoderConfig("backbone:scratch", 16);

  public EncoderConfig {
    require(spec != null && (spec.equals("none") || spec.startsWith("pixels:") || spec.startsWith("backbone:")
        || TaskStateEncoder.isSpec(spec)),
        "encoder", spec, "must be none, pixels:G, backbone:scratch, backbone:DIR, " + TaskStateEncoder.ID + " or "
            + TaskStateEncoder.PHASE_PREFIX + "T");
    if (spec.startsWith(TaskStateEncoder.PHASE_PREFIX)) {
      TaskStateEncoder.of(spec); // a bad horizon is refused with the config, not when training opens the encoder
    }
    require(featureStride == 4 || featureStride == 8 || featureStride == 16 || featureStride == 32, "featureStride",
        featureStride, "must be 4, 8, 16 or 32");
  }

  public EncoderConfig withSpec(String newSpec) {
    return new EncoderConfig(newSpec, featureStride);
  }

  /** Opens the encoder (null for "none"); {@code seed} draws a scratch backbone's weights. */
  public ImageEncoder open(long seed, int imageSize) {
    return ImageEncoders.open(spec, seed, imageSize, featureStride);
  }
}

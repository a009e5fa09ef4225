package io.optimus.policy.encode;

import io.optimus.policy.encode.FeatureShape;

/**
 * Turns a camera image into a feature map for the policy (frozen: features can be computed once
 * and cached). Implementations are deterministic for a given {@link #id()}.
 */
public interface ImageEncoder extends AutoCloseable {
  /** Names the encoder and its weights; cached features and trained policies are keyed by it. */
  String id();

  FeatureShape shape();

  /** Features of one RGB8 image (row-major, 3 bytes per pixel), channel-last per cell. */
  float[] encode(byte[] rgb, int width, int height);

  @Override
  default void close() {}
}

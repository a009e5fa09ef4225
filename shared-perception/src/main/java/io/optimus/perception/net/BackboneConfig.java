package io.optimus.perception.net;

import io.optimus.common.InputException;

/**
 * Shape of the shared backbone: a ResNet trunk (basic blocks, depth 18 or 34) and an FPN neck.
 *
 * <p>{@code width} is the channel count of the first stage; stages have width, 2w, 4w, 8w channels
 * (torchvision's ResNet-18/34 is width 64). The default here is ResNet-18 at width 16 (a quarter
 * of torchvision's channels, about 1/16 of its multiply-adds) with 16-channel FPN levels, so the
 * whole multi-task net trains in minutes on two shared CPU cores. The pooled embedding is the
 * global average of the last stage: {@link #embeddingSize()} = 8 x width (128 by default).
 *
 * @param depth 18 or 34
 * @param width channels of the first ResNet stage (8..128)
 * @param fpnChannels channels of every FPN level (8..256)
 */
public record BackboneConfig(int depth, int width, int fpnChannels) {
  /** Every input image side must be a multiple of this (five stride-2 reductions). */
  public static final int SIZE_MULTIPLE = 32;
  public static final int CHANNELS = 3;

  public BackboneConfig {
    if (depth != 18 && depth != 34) {
      throw new InputException("backbone depth: must be 18 or 34, got " + depth);
    }
    if (width < 8 || width > 128) {
      throw new InputException("backbone width: must be in 8..128, got " + width);
    }
    if (fpnChannels < 8 || fpnChannels > 256) {
      throw new InputException("backbone fpnChannels: must be in 8..256, got " + fpnChannels);
    }
  }

  /** ResNet-18 at width 16 with 16-channel FPN levels: the CPU-friendly default. */
  public static BackboneConfig defaults() {
    return new BackboneConfig(18, 16, 16);
  }

  /** Basic blocks per stage: [2,2,2,2] for ResNet-18, [3,4,6,3] for ResNet-34. */
  public int[] blocksPerStage() {
    return depth == 18 ? new int[] {2, 2, 2, 2} : new int[] {3, 4, 6, 3};
  }

  /** Channels of stage {@code i} (0..3). */
  public int stageChannels(int i) {
    return width << i;
  }

  /** Length of the pooled embedding: the channels of the last stage. */
  public int embeddingSize() {
    return stageChannels(3);
  }

  /** Throws naming the problem when an image of this size cannot pass through the net. */
  public static void checkImageSize(int height, int width) {
    if (height < SIZE_MULTIPLE || width < SIZE_MULTIPLE || height % SIZE_MULTIPLE != 0 || width % SIZE_MULTIPLE != 0) {
      throw new InputException("image size " + width + "x" + height
          + ": width and height must be positive multiples of " + SIZE_MULTIPLE + " (e.g. 96x96, 224x224)");
    }
  }
}

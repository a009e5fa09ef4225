package io.optimus.perception.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;

/** Small constructors and ops the blocks share. */
final class Layers {
  /** He (Kaiming) normal initialisation for ReLU nets. */
  static final Initializer HE_INIT = new XavierInitializer(
      XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2);

  private Layers() {}

  static Conv2d conv(int filters, int kernel, int stride, boolean bias) {
    return Conv2d.builder()
        .setFilters(filters)
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(kernel / 2, kernel / 2))
        .optBias(bias)
        .build();
  }

  static BatchNorm batchNorm() {
    return BatchNorm.builder().optMomentum(0.9f).build();
  }

  /** Nearest-neighbour x2 upsampling of an NCHW map (differentiable: repeat_interleave). */
  static NDArray upsample2(NDArray x) {
    return x.repeat(2, 2).repeat(3, 2);
  }

  /** Shape of an NCHW map after a stride-s, same-padded conv. */
  static Shape strided(Shape nchw, int channels, int stride) {
    return new Shape(nchw.get(0), channels, (nchw.get(2) + stride - 1) / stride, (nchw.get(3) + stride - 1) / stride);
  }
}

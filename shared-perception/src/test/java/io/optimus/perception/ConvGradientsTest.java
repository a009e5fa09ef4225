package io.optimus.perception;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Convolution gradients are finite on this CPU. On AVX-512 machines the oneDNN in PyTorch 2.7.1
 * returned NaN input gradients from about one backward pass in three after an inference pass (the
 * pattern of every training run: held-out loss first, then step 1), so HydraNet training diverged at
 * its first step. {@link DjlRuntime} caps oneDNN at AVX2; this fails if that stops working.
 */
class ConvGradientsTest {
  /** {filters, input channels, kernel, side}: the stem, a 3x3 block conv, a 1x1 lateral, a strided-size block. */
  private static final int[][] CONVS = {{8, 3, 7, 64}, {8, 8, 3, 32}, {8, 8, 1, 32}, {16, 8, 3, 16}};
  private static final int TRIALS = 10;

  @Test
  void backwardPassesAfterInferenceGiveFiniteGradients() {
    List<String> bad = new ArrayList<>();
    try (NDManager m = DjlRuntime.engine().newBaseManager()) {
      DjlRuntime.seed(3);
      for (int[] c : CONVS) {
        for (int t = 0; t < TRIALS; t++) {
          try (NDManager sub = m.newSubManager()) {
            Conv2d conv = Conv2d.builder().setFilters(c[0]).setKernelShape(new Shape(c[2], c[2]))
                .optPadding(new Shape(c[2] / 2, c[2] / 2)).build();
            conv.setInitializer(new NormalInitializer(0.1f), Parameter.Type.WEIGHT);
            Shape in = new Shape(16, c[1], c[3], c[3]);
            conv.initialize(sub, DataType.FLOAT32, in);
            conv.forward(new ParameterStore(sub, false), new NDList(sub.randomNormal(in)), false);
            NDArray x = sub.randomNormal(in);
            x.setRequiresGradient(true);
            try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
              NDArray y = conv.forward(new ParameterStore(sub, false), new NDList(x), true).singletonOrThrow();
              gc.backward(y.mul(sub.randomNormal(y.getShape())).sum());
            }
            int inputNaN = nonFinite(x.getGradient());
            int weightNaN = nonFinite(conv.getParameters().get("weight").getArray().getGradient());
            if (inputNaN + weightNaN > 0) {
              bad.add(java.util.Arrays.toString(c) + " trial " + t + ": " + inputNaN + " input, " + weightNaN
                  + " weight gradients not finite");
            }
          }
        }
      }
    }
    assertEquals(List.of(), bad, "convolution backward passes with non-finite gradients");
  }

  private static int nonFinite(NDArray a) {
    int n = 0;
    for (float f : a.toFloatArray()) {
      if (!Float.isFinite(f)) {
        n++;
      }
    }
    return n;
  }
}

package io.optimus.perception;

import io.optimus.perception.net.BackboneConfig;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.optimus.perception.train.HydraModel;

/** Run in a child JVM by {@link NativeWarningsTest}: a few convolutions, as a user's first command does. */
public final class NativeWarningsProbe {
  private NativeWarningsProbe() {}

  public static void main(String[] args) {
    try (HydraModel model = HydraModel.create(new BackboneConfig(18, 8, 8), 1);
        NDManager m = model.newBatchManager()) {
      for (int i = 0; i < 3; i++) {
        model.predict(m.randomUniform(0, 1, new Shape(2, 3, 64, 64)));
      }
    }
    System.out.println("probe done");
  }
}

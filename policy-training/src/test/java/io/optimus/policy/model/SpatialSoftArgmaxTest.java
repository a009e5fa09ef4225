package io.optimus.policy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import io.optimus.policy.data.FeatureShape;
import org.junit.jupiter.api.Test;

class SpatialSoftArgmaxTest {
  /** A map lit at one cell: the keypoint lands on that cell (x right, y down, both in [-1, 1]). */
  @Test
  void keypointFindsTheLitCell() {
    FeatureShape shape = new FeatureShape(2, 5, 7);
    try (NDManager m = NDManager.newBaseManager()) {
      SpatialSoftArgmax block = new SpatialSoftArgmax(shape, 1);
      block.setInitializer(new ConstantInitializer(0), Parameter.Type.WEIGHT);
      block.setInitializer(new ConstantInitializer(0), Parameter.Type.BIAS);
      block.initialize(m, DataType.FLOAT32, new Shape(1, shape.size()));
      // score = 40 x channel 0: a near one-hot softmax on the lit cell
      block.getParameters().valueAt(0).getArray().set(new float[] {40f, 0f});
      int row = 3;
      int col = 5;
      float[] f = new float[shape.size()];
      f[(row * shape.width() + col) * shape.channels()] = 1f; // channel-last cells
      f[(1 * shape.width() + 1) * shape.channels() + 1] = 1f; // channel 1 is ignored by the weights
      NDArray out = block.forward(new ParameterStore(m, false), new NDList(m.create(f, new Shape(1, shape.size()))),
          false).head();
      float[] xy = out.toFloatArray();
      assertEquals(2 * 5 / 6.0 - 1, xy[0], 1e-3, "x of column 5 of 7");
      assertEquals(2 * 3 / 4.0 - 1, xy[1], 1e-3, "y of row 3 of 5");
    }
  }

  /** A uniform map has no preferred place: the keypoint sits in the middle. */
  @Test
  void uniformMapGivesTheCentre() {
    FeatureShape shape = new FeatureShape(3, 4, 4);
    try (NDManager m = NDManager.newBaseManager()) {
      SpatialSoftArgmax block = new SpatialSoftArgmax(shape, 3);
      block.initialize(m, DataType.FLOAT32, new Shape(2, shape.size()));
      float[] f = new float[2 * shape.size()];
      java.util.Arrays.fill(f, 0.5f);
      float[] xy = block.forward(new ParameterStore(m, false), new NDList(m.create(f, new Shape(2, shape.size()))),
          false).head().toFloatArray();
      assertEquals(12, xy.length);
      for (float v : xy) {
        assertEquals(0, v, 1e-5);
      }
    }
  }
}

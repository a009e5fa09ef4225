package io.optimus.policy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.optimus.perception.DjlRuntime;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import io.optimus.policy.encode.FeatureShape;
import org.junit.jupiter.api.Test;

class SpatialSoftArgmaxTest {
  /** A map lit at one cell: the keypoint lands on that cell (x right, y down, both in [-1, 1]). */
  @Test
  void keypointFindsTheLitCell() {
    FeatureShape shape = new FeatureShape(2, 5, 7);
    try (NDManager m = DjlRuntime.engine().newBaseManager()) {
      SpatialSoftArgmax block = new SpatialSoftArgmax(shape, 1, 1, 1);
      block.setInitializer(new ConstantInitializer(0), Parameter.Type.WEIGHT);
      block.setInitializer(new ConstantInitializer(0), Parameter.Type.BIAS);
      block.initialize(m, DataType.FLOAT32, new Shape(1, shape.size()));
      // score = 40 x channel 0: a near one-hot softmax on the lit cell
      block.getParameters().get("01scores_weight").getArray().set(new float[] {40f, 0f});
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

      // scaled keypoints: the same place, in units ten times larger
      SpatialSoftArgmax scaled = new SpatialSoftArgmax(shape, 1, 1, 10);
      scaled.setInitializer(new ConstantInitializer(0), Parameter.Type.WEIGHT);
      scaled.setInitializer(new ConstantInitializer(0), Parameter.Type.BIAS);
      scaled.initialize(m, DataType.FLOAT32, new Shape(1, shape.size()));
      scaled.getParameters().get("01scores_weight").getArray().set(new float[] {40f, 0f});
      float[] big = scaled.forward(new ParameterStore(m, false), new NDList(m.create(f, new Shape(1, shape.size()))),
          false).head().toFloatArray();
      assertEquals(10 * xy[0], big[0], 1e-3);
      assertEquals(10 * xy[1], big[1], 1e-3);
    }
  }

  /** A uniform map has no preferred place: the keypoint sits in the middle. */
  @Test
  void uniformMapGivesTheCentre() {
    FeatureShape shape = new FeatureShape(3, 4, 4);
    try (NDManager m = DjlRuntime.engine().newBaseManager()) {
      SpatialSoftArgmax block = new SpatialSoftArgmax(shape, 3, 10, 1);
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

  /**
   * A 2-cell-sized object standing 3 standard deviations out of a 48 x 48 map: at gain 1 the softmax
   * spreads over the whole map and the keypoint stays near the centre; the default gain of 10 puts it
   * on the object. This is what made learned keypoints track the cube.
   */
  @Test
  void gainLetsAKeypointFindASmallObject() {
    FeatureShape shape = new FeatureShape(3, 48, 48);
    int row = 40;
    int col = 6;
    float[] f = new float[shape.size()];
    f[(row * shape.width() + col) * shape.channels()] = 3f;
    float objectX = 2f * col / 47 - 1;
    float objectY = 2f * row / 47 - 1;
    float[] weak = keypoint(shape, f, 1);
    float[] sharp = keypoint(shape, f, Keypoints.NONE.gain());
    assertTrue(Math.hypot(weak[0] - objectX, weak[1] - objectY) > 0.5, "gain 1 stays near the centre: " + weak[0]);
    assertEquals(objectX, sharp[0], 0.01, "x on the object");
    assertEquals(objectY, sharp[1], 0.01, "y on the object");
  }

  private static float[] keypoint(FeatureShape shape, float[] f, double gain) {
    try (NDManager m = DjlRuntime.engine().newBaseManager()) {
      SpatialSoftArgmax block = new SpatialSoftArgmax(shape, 1, gain, 1);
      block.setInitializer(new ConstantInitializer(0), Parameter.Type.WEIGHT);
      block.setInitializer(new ConstantInitializer(0), Parameter.Type.BIAS);
      block.initialize(m, DataType.FLOAT32, new Shape(1, shape.size()));
      block.getParameters().get("01scores_weight").getArray().set(new float[] {1f, 0f, 0f});
      return block.forward(new ParameterStore(m, false), new NDList(m.create(f, new Shape(1, shape.size()))), false)
          .head().toFloatArray();
    }
  }
}

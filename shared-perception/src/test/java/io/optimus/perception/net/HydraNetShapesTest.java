package io.optimus.perception.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.optimus.common.InputException;
import io.optimus.perception.train.HydraModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HydraNetShapesTest {
  private HydraModel model;

  @BeforeAll
  void create() {
    model = HydraModel.create(new BackboneConfig(18, 8, 8), 5);
  }

  @AfterAll
  void close() {
    model.close();
  }

  @Test
  void multiCameraBatchKeepsSampleAndCameraDimensions() {
    try (NDManager m = model.newBatchManager()) {
      NDArray images = m.randomUniform(0, 1, new Shape(2, 3, 3, 96, 96)); // 2 samples x 3 cameras
      NDList out = model.predict(images);
      assertEquals(new Shape(2, 3, 3, 48, 48), out.get(HydraNet.OUT_SEG).getShape());
      assertEquals(new Shape(2, 3, 1, 48, 48), out.get(HydraNet.OUT_DEPTH).getShape());
      assertEquals(new Shape(2, 3, 1, 24, 24), out.get(HydraNet.OUT_HEATMAP).getShape());
      assertEquals(new Shape(2, 3, 2, 24, 24), out.get(HydraNet.OUT_SIZE).getShape());
      assertEquals(new Shape(2, 3, 64), out.get(HydraNet.OUT_EMBEDDING).getShape());
      assertEquals(out.get(HydraNet.OUT_SEG).getShape(),
          model.net().getOutputShapes(new Shape[] {images.getShape()})[HydraNet.OUT_SEG]);

      // Camera k of sample b gives what that image gives alone: cameras do not mix.
      NDArray single = images.get(new NDIndex("1, 2")).expandDims(0);
      NDList alone = model.predict(single);
      for (int o = 0; o < out.size(); o++) {
        float[] together = out.get(o).get(new NDIndex("1, 2")).toFloatArray();
        assertArrayEquals(alone.get(o).toFloatArray(), together, 1e-4f, "output " + o);
      }
    }
  }

  @Test
  void largerImagesGiveProportionallyLargerMaps() {
    try (NDManager m = model.newBatchManager()) {
      NDList out = model.predict(m.randomUniform(0, 1, new Shape(1, 3, 224, 224)));
      assertEquals(new Shape(1, 3, 112, 112), out.get(HydraNet.OUT_SEG).getShape());
      assertEquals(new Shape(1, 1, 56, 56), out.get(HydraNet.OUT_HEATMAP).getShape());
      assertEquals(new Shape(1, 64), out.get(HydraNet.OUT_EMBEDDING).getShape());
      float[] heat = out.get(HydraNet.OUT_HEATMAP).toFloatArray();
      for (float h : heat) {
        assertTrue(Float.isFinite(h));
      }
    }
  }

  @Test
  void wrongImageShapesAreRejectedWithTheReason() {
    try (NDManager m = model.newBatchManager()) {
      InputException channels = assertThrows(InputException.class,
          () -> model.predict(m.zeros(new Shape(1, 1, 96, 96))));
      assertTrue(channels.getMessage().contains("[N,3,H,W]"), channels.getMessage());
      InputException size = assertThrows(InputException.class, () -> model.predict(m.zeros(new Shape(1, 3, 100, 96))));
      assertTrue(size.getMessage().contains("multiples of 32"), size.getMessage());
    }
  }

  @Test
  void resnet34HasMoreBlocksThanResnet18() {
    try (HydraModel r34 = HydraModel.create(new BackboneConfig(34, 8, 8), 1)) {
      long p18 = model.net().backbone().getParameters().size();
      long p34 = r34.net().backbone().getParameters().size();
      // 8 more basic blocks, each with 2 convs and 2 batch norms (4 parameters each)
      assertEquals(p18 + 8 * (2 + 2 * 4), p34);
    }
  }
}

package io.optimus.perception;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import io.optimus.common.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An external TorchScript backbone (written by hand, no Python) loads and embeds correctly. */
class TorchScriptBackboneTest {
  @TempDir Path tmp;

  @Test
  void loadsHandWrittenTorchScriptAndEmbedsLikeTheSameOpsInDjl() throws Exception {
    Random rnd = new Random(3);
    float[] w1 = randoms(rnd, 6 * 3 * 3 * 3, 0.3f);
    float[] b1 = randoms(rnd, 6, 0.1f);
    float[] w2 = randoms(rnd, 10 * 6 * 3 * 3, 0.3f);
    float[] b2 = randoms(rnd, 10, 0.1f);
    Path file = tmp.resolve("backbone.pt");
    TorchScriptFixture.write(file, w1, new long[] {6, 3, 3, 3}, b1, w2, new long[] {10, 6, 3, 3}, b2);

    float[] image = randoms(rnd, 3 * 64 * 64, 0.5f);
    for (int i = 0; i < image.length; i++) {
      image[i] += 0.5f;
    }
    try (PerceptionBackbone backbone = PerceptionBackbone.loadTorchScript(file)) {
      assertEquals(10, backbone.embeddingSize());
      assertTrue(backbone.config().isEmpty());
      float[][] emb = backbone.embedChw(List.of(image), 64, 64);
      List<FeatureMap> maps = backbone.features(List.of(rgb(image, 64, 64)));
      assertEquals(2, maps.size());
      assertEquals(2, maps.get(0).stride());
      assertEquals(6, maps.get(0).channels());
      assertEquals(4, maps.get(1).stride());
      assertEquals(16, maps.get(1).height());

      try (NDManager m = NDManager.newBaseManager(DjlRuntime.engine().defaultDevice(), "PyTorch")) {
        NDArray x = m.create(image, new Shape(1, 3, 64, 64));
        NDArray a = Activation.relu(Conv2d.conv2d(x, m.create(w1, new Shape(6, 3, 3, 3)), m.create(b1),
            new Shape(2, 2), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow());
        NDArray b = Activation.relu(Conv2d.conv2d(a, m.create(w2, new Shape(10, 6, 3, 3)), m.create(b2),
            new Shape(2, 2), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow());
        float[] expected = b.mean(new int[] {3}).mean(new int[] {2}).toFloatArray();
        assertArrayEquals(expected, emb[0], 1e-5f);
      }
    }
  }

  @Test
  void missingOrGarbageTorchScriptFilesGiveClearErrors() throws Exception {
    InputException missing = assertThrows(InputException.class,
        () -> PerceptionBackbone.loadTorchScript(tmp.resolve("nope.pt")));
    assertTrue(missing.getMessage().contains("nope.pt") && missing.getMessage().contains("no such file"),
        missing.getMessage());
    Path garbage = tmp.resolve("garbage.pt");
    Files.writeString(garbage, "this is not a zip archive");
    InputException bad = assertThrows(InputException.class, () -> PerceptionBackbone.loadTorchScript(garbage));
    assertTrue(bad.getMessage().contains("garbage.pt") && bad.getMessage().contains("cannot load"), bad.getMessage());
  }

  static float[] randoms(Random rnd, int n, float scale) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) rnd.nextGaussian() * scale;
    }
    return f;
  }

  /** The RGB8 image closest to a CHW float image (for the RgbImage entry points). */
  static RgbImage rgb(float[] chw, int h, int w) {
    byte[] b = new byte[h * w * 3];
    for (int i = 0; i < h * w; i++) {
      for (int c = 0; c < 3; c++) {
        b[3 * i + c] = (byte) Math.round(255 * Math.max(0, Math.min(1, chw[c * h * w + i])));
      }
    }
    return new RgbImage(w, h, b);
  }
}

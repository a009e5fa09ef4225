package io.optimus.perception;

import io.optimus.perception.net.BackboneConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import io.optimus.perception.scene.DrivingScene;
import io.optimus.perception.scene.SceneGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The API policy training uses: embeddings and feature maps of camera images, save/load, bad input. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PerceptionBackboneTest {
  private static final BackboneConfig SMALL = new BackboneConfig(18, 8, 8);
  @TempDir Path tmp;
  private PerceptionBackbone backbone;
  private List<RgbImage> cameras;

  @BeforeAll
  void create() {
    backbone = PerceptionBackbone.create(SMALL, 11);
    SceneGenerator gen = new SceneGenerator(96, 96, 3);
    cameras = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      DrivingScene s = gen.scene(i);
      cameras.add(new RgbImage(96, 96, s.rgb()));
    }
  }

  @AfterAll
  void close() {
    backbone.close();
  }

  @Test
  void embedsEachImageIntoTheDocumentedSize() {
    float[][] e = backbone.embed(cameras);
    assertEquals(3, e.length);
    assertEquals(8 * 8, backbone.embeddingSize());
    assertEquals(SMALL.embeddingSize(), e[0].length);
    assertFalse(Arrays.equals(e[0], e[1]), "different images, different embeddings");
    // Batch composition does not change an image's embedding (inference-mode batch norm).
    float[][] alone = backbone.embed(List.of(cameras.get(1)));
    assertArrayEquals(e[1], alone[0], 1e-4f);
    // RgbImage and float CHW entry points agree.
    float[] chw = new float[3 * 96 * 96];
    cameras.get(2).toChw(chw, 0);
    assertArrayEquals(e[2], backbone.embedChw(List.of(chw), 96, 96)[0], 1e-5f);
  }

  @Test
  void featureMapsCoverEveryFpnLevel() {
    List<FeatureMap> maps = backbone.features(cameras.subList(0, 2));
    assertEquals(5, maps.size());
    for (int l = 0; l < 5; l++) {
      FeatureMap f = maps.get(l);
      assertEquals(2 << l, f.stride());
      assertEquals(2, f.batch());
      assertEquals(8, f.channels());
      assertEquals(96 / (2 << l), f.height());
      assertEquals(f.batch() * f.channels() * f.height() * f.width(), f.data().length);
      assertEquals(8, f.at(1, 0, 0).length);
    }
  }

  @Test
  void sameSeedSameWeightsAndSaveLoadRoundTripIsExact() {
    float[][] before = backbone.embed(cameras);
    try (PerceptionBackbone again = PerceptionBackbone.create(SMALL, 11);
        PerceptionBackbone other = PerceptionBackbone.create(SMALL, 12)) {
      assertArrayEquals(before[0], again.embed(cameras)[0], 0f);
      assertFalse(Arrays.equals(before[0], other.embed(cameras)[0]));
    }
    Path dir = tmp.resolve("saved");
    backbone.save(dir);
    assertTrue(Files.isRegularFile(dir.resolve("backbone.json")));
    try (PerceptionBackbone loaded = PerceptionBackbone.load(dir)) {
      assertEquals(SMALL, loaded.config().orElseThrow());
      float[][] after = loaded.embed(cameras);
      for (int i = 0; i < before.length; i++) {
        assertArrayEquals(before[i], after[i], 0f, "embedding " + i + " after reload");
      }
    }
  }

  @Test
  void wrongImagesAreRejectedNamingTheProblem() {
    InputException channels = assertThrows(InputException.class, () -> new RgbImage(96, 96, new byte[96 * 96]));
    assertTrue(channels.getMessage().contains("RGB8") && channels.getMessage().contains("MONO8"), channels.getMessage());
    InputException size = assertThrows(InputException.class,
        () -> backbone.embed(List.of(new RgbImage(100, 100, new byte[100 * 100 * 3]))));
    assertTrue(size.getMessage().contains("100x100") && size.getMessage().contains("multiples of 32"), size.getMessage());
    InputException mixed = assertThrows(InputException.class,
        () -> backbone.embed(List.of(cameras.get(0), new RgbImage(128, 96, new byte[128 * 96 * 3]))));
    assertTrue(mixed.getMessage().contains("image 1"), mixed.getMessage());
    InputException chw = assertThrows(InputException.class,
        () -> backbone.embedChw(List.of(new float[96 * 96]), 96, 96));
    assertTrue(chw.getMessage().contains("one channel"), chw.getMessage());
    float[] nan = new float[3 * 96 * 96];
    nan[7] = Float.NaN;
    InputException notFinite = assertThrows(InputException.class, () -> backbone.embedChw(List.of(nan), 96, 96));
    assertTrue(notFinite.getMessage().contains("NaN"), notFinite.getMessage());
    assertThrows(InputException.class, () -> backbone.embed(List.of()));
  }

  @Test
  void missingOrDamagedModelDirectoriesGiveClearErrors() throws Exception {
    InputException missing = assertThrows(InputException.class, () -> PerceptionBackbone.load(tmp.resolve("absent")));
    assertTrue(missing.getMessage().contains("absent") && missing.getMessage().contains("does not exist"),
        missing.getMessage());
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    InputException noConfig = assertThrows(InputException.class, () -> PerceptionBackbone.load(empty));
    assertTrue(noConfig.getMessage().contains("backbone.json"), noConfig.getMessage());

    Path saved = tmp.resolve("damaged");
    backbone.save(saved);
    byte[] params = Files.readAllBytes(saved.resolve("backbone.params"));
    Files.write(saved.resolve("backbone.params"), Arrays.copyOf(params, params.length / 2));
    InputException truncated = assertThrows(InputException.class, () -> PerceptionBackbone.load(saved));
    assertTrue(truncated.getMessage().contains("backbone.params"), truncated.getMessage());

    Path wrongShape = tmp.resolve("wrong-shape");
    backbone.save(wrongShape);
    Files.writeString(wrongShape.resolve("backbone.json"),
        Files.readString(wrongShape.resolve("backbone.json")).replace("\"width\" : 8", "\"width\" : 16"));
    InputException mismatch = assertThrows(InputException.class, () -> PerceptionBackbone.load(wrongShape));
    assertTrue(mismatch.getMessage().contains("cannot load backbone weights"), mismatch.getMessage());

    Files.writeString(wrongShape.resolve("backbone.json"), "{\"format\":\"something-else\"}");
    InputException format = assertThrows(InputException.class, () -> PerceptionBackbone.load(wrongShape));
    assertTrue(format.getMessage().contains("not an optimus perception backbone"), format.getMessage());
  }
}

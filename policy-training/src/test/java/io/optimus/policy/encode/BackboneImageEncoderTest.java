package io.optimus.policy.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import io.optimus.perception.net.BackboneConfig;
import io.optimus.policy.data.SyntheticReaching;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared-perception backbone as a frozen feature extractor for policies. */
class BackboneImageEncoderTest {
  static final BackboneConfig SMALL = new BackboneConfig(18, 8, 16);

  @TempDir Path tmp;

  @Test
  void scratchIsSeededAndSurvivesASaveLoadRoundTrip() {
    SyntheticReaching world = new SyntheticReaching(10, 96);
    byte[] a = world.render(world.instance(new Random(1)));
    byte[] b = world.render(world.instance(new Random(2)));
    try (BackboneImageEncoder e1 = BackboneImageEncoder.scratch(SMALL, 3, 96);
        BackboneImageEncoder e2 = BackboneImageEncoder.scratch(SMALL, 3, 96);
        BackboneImageEncoder other = BackboneImageEncoder.scratch(SMALL, 4, 96)) {
      assertEquals(16, e1.shape().channels());
      assertEquals(6, e1.shape().height());
      assertEquals(36, e1.shape().tokens());
      float[] fa = e1.encode(a, 96, 96);
      assertEquals(16 * 36, fa.length);
      assertEquals(e1.id(), e2.id());
      assertNotEquals(e1.id(), other.id());
      assertArrayEquals(fa, e2.encode(a, 96, 96), 0f);
      float[][] batch = e1.encodeBatch(List.of(a, b), 96, 96);
      assertArrayEquals(fa, batch[0], 1e-4f);
      assertNotEquals(java.util.Arrays.toString(batch[0]), java.util.Arrays.toString(batch[1]));
      e1.save(tmp.resolve("bb"));
      try (BackboneImageEncoder loaded = BackboneImageEncoder.load(tmp.resolve("bb"), 96)) {
        assertEquals(e1.id(), loaded.id());
        assertArrayEquals(fa, loaded.encode(a, 96, 96), 1e-6f);
      }
    }
  }

  @Test
  void badImagesAndMissingBackbonesAreNamed() {
    try (BackboneImageEncoder e = BackboneImageEncoder.scratch(SMALL, 3, 96)) {
      InputException size = assertThrows(InputException.class, () -> e.encode(new byte[64 * 64 * 3], 64, 64));
      assertTrue(size.getMessage().contains("64x64"), size.getMessage());
      InputException truncated = assertThrows(InputException.class, () -> e.encode(new byte[100], 96, 96));
      assertTrue(truncated.getMessage().contains("100 bytes"), truncated.getMessage());
    }
    InputException missing = assertThrows(InputException.class,
        () -> ImageEncoders.open("backbone:" + tmp.resolve("none"), 0, 96));
    assertTrue(missing.getMessage().contains("none"), missing.getMessage());
    assertThrows(InputException.class, () -> ImageEncoders.open("pixels:x", 0, 96));
    assertThrows(InputException.class, () -> BackboneImageEncoder.load(tmp, 96));
  }
}

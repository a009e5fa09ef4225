package io.optimus.motion.bvh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.optimus.common.InputErrors;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the BVH reader (Jazzer). Property: any byte string either parses into a
 * consistent clip or fails with a {@link BvhException} naming the input on one line; anything else
 * (another exception, OutOfMemoryError, StackOverflowError, a hang) is a finding. Seeds and kept
 * findings: {@code src/test/resources/io/optimus/motion/bvh/BvhParserFuzzTestInputs/parse/}.
 */
class BvhParserFuzzTest {
  private static final String NAME = "fuzz.bvh";

  @FuzzTest(maxDuration = "25s")
  void parse(byte[] input) {
    // ISO-8859-1, as BvhParser.parse(Path) reads files: every byte string is some text
    String text = new String(input, StandardCharsets.ISO_8859_1);
    // the first byte picks the unit: null exercises the inference from the skeleton span
    LengthUnit unit = input.length > 0 && (input[0] & 1) == 0 ? null : LengthUnit.CM;
    BvhClip clip;
    try {
      clip = BvhParser.parse(NAME, text, unit);
    } catch (BvhException e) {
      InputErrors.assertClear(e, NAME);
      return;
    }
    assertTrue(clip.frameCount() >= 1, "a clip has frames");
    assertTrue(clip.frameTime() > 0, "a clip has a positive frame time");
    assertEquals(unit == null, clip.unitInferred());
    int channels = clip.skeleton().channelCount();
    for (int f = 0; f < clip.frameCount(); f++) {
      for (int c = 0; c < channels; c++) {
        double v = clip.value(f, c);
        assertTrue(Double.isFinite(v), "channel values are finite");
      }
    }
  }
}

package io.optimus.motion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.optimus.common.InputErrors;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the URDF reader (Jazzer). Property: any text either loads into a robot
 * model that describes itself or fails with a {@link UrdfException} naming the input on one line;
 * anything else (another exception, OutOfMemoryError, StackOverflowError, a hang) is a finding. Seeds
 * (the shipped optimus.urdf and a small excerpt of it) and kept findings:
 * {@code src/test/resources/io/optimus/motion/model/UrdfLoaderFuzzTestInputs/parse/}.
 */
class UrdfLoaderFuzzTest {
  private static final String NAME = "fuzz.urdf";

  @FuzzTest(maxDuration = "25s")
  void parse(byte[] input) {
    // decoded as UrdfLoader.load(Path) decodes files (malformed UTF-8 becomes U+FFFD)
    String text = new String(input, StandardCharsets.UTF_8);
    RobotModel model;
    try {
      model = UrdfLoader.parse(text, NAME);
    } catch (UrdfException e) {
      InputErrors.assertClear(e, NAME);
      return;
    }
    assertFalse(model.links().isEmpty(), "a model has links");
    assertEquals(model.links().size() - 1, model.joints().size(), "a model is a tree");
    assertEquals(model.dof(), model.toDescription("fuzz").getJointsCount(), "the description lists the moving joints");
  }
}

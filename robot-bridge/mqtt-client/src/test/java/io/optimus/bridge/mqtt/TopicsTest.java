package io.optimus.bridge.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import org.junit.jupiter.api.Test;

class TopicsTest {
  @Test
  void layoutIsVersionedPerRobot() {
    assertEquals("optimus/v1/r1/operator", Topics.operator("r1"));
    assertEquals("optimus/v1/r1/camera/head", Topics.camera("r1", "head"));
    assertEquals("optimus/v1/operators/alice/status", Topics.operatorStatus("alice"));
  }

  @Test
  void wildcardsAndSeparatorsAreRejectedWithTheIdNamed() {
    for (String bad : new String[] {"a/b", "+", "#", "", "operators", "x y", "..", "a".repeat(65)}) {
      InputException e = assertThrows(InputException.class, () -> Topics.state(bad));
      assertTrue(e.getMessage().contains("robot id '" + bad + "'"), e.getMessage());
    }
  }
}

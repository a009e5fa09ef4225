package io.optimus.perception;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** PyTorch runs from the Maven Central natives with downloads forbidden. */
class DjlOfflineTest {
  @Test
  void pytorchEngineRunsOffline() {
    assertEquals("true", System.getProperty("ai.djl.offline"), "tests must run with ai.djl.offline=true");
    Engine engine = DjlRuntime.engine();
    assertEquals("2.7.1", engine.getVersion());
    try (NDManager m = engine.newBaseManager()) {
      NDArray a = m.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
      NDArray b = a.matMul(a);
      assertArrayEquals(new float[] {7, 10, 15, 22}, b.toFloatArray(), 1e-6f);
    }
  }
}

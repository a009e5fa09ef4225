package io.optimus.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The property fuzz targets check on a rejected input: a clear one-line message that names the input. */
public final class InputErrors {
  private InputErrors() {}

  public static void assertClear(InputException e, String inputName) {
    String m = e.getMessage();
    assertNotNull(m, "input error without a message");
    assertTrue(m.contains(inputName), () -> "input error does not name the input '" + inputName + "': " + m);
    assertFalse(m.contains("\n") || m.contains("\r"), () -> "input error is not one line: " + m);
  }
}

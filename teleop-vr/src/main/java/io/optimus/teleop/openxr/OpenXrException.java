package io.optimus.teleop.openxr;

/** An OpenXR call failed; {@link #result()} is the XrResult. */
public class OpenXrException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int result;

  public OpenXrException(String message, int result) {
    super(message);
    this.result = result;
  }

  public int result() {
    return result;
  }
}

package io.optimus.common;

/**
 * Bad input from outside the program: a file, an option value, a message on a topic. The message
 * names the input and says what is wrong with it; CLIs report it on one line and exit with code 2.
 * Libraries subclass it for their own formats (URDF, BVH, MCAP, ...).
 */
public class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(oneLine(message));
  }

  public InputException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  /** Messages quote the input (names, tokens, parser errors), which may hold line breaks: keep one line. */
  private static String oneLine(String message) {
    return message == null ? null : message.replaceAll("\\R", " ");
  }
}

package io.optimus.motion.model;

import io.optimus.common.InputException;

/** A URDF that cannot be turned into a robot model; the message names the file and the element. */
public class UrdfException extends InputException {
  private static final long serialVersionUID = 1L;

  public UrdfException(String message) {
    super(message);
  }

  public UrdfException(String message, Throwable cause) {
    super(message, cause);
  }
}

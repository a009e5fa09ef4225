package io.optimus.bridge.mqtt;

/** The broker could not be reached or refused us; the message names the broker and why. */
public final class BrokerUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BrokerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.optimus.bridge;

/**
 * What a bridge accepts from the network, so no message can hold up the MQTT thread that also
 * carries the e-stop. Payloads over their topic's limit are dropped and counted before parsing;
 * the connection declares {@link #MAX_PACKET_BYTES} as its MQTT 5 Maximum Packet Size, so the broker
 * never even sends larger ones. Typical sizes: an operator frame 300-600 B, a 29-joint command ~1 KB,
 * a control request under 200 B.
 */
public final class BridgeLimits {
  /** {@code .../operator}: OperatorFrame (with both hands' 26 tracked joints about 4 KB). */
  public static final int OPERATOR_FRAME_BYTES = 16 * 1024;
  /** {@code .../command}: JointCommand (positions, velocities, efforts of up to ~600 joints). */
  public static final int COMMAND_BYTES = 16 * 1024;
  /** {@code .../control}: ControlRequest. */
  public static final int CONTROL_BYTES = 16 * 1024;
  /** {@code operators/+/status}: OperatorStatus. */
  public static final int STATUS_BYTES = 4 * 1024;
  /**
   * MQTT 5 Maximum Packet Size of the bridge's connection (payload, topic and properties). Paho holds
   * outgoing packets to it too: the retained description with both URDFs (model and display, ~110 KB
   * for the optimus) must fit; incoming payloads are still held to their topic's limit above.
   */
  public static final int MAX_PACKET_BYTES = 256 * 1024;
  /** Operator events acted on per frame (at most one of them a recording start); the rest are dropped and counted. */
  public static final int EVENTS_PER_FRAME = 8;
  /** Heavy requests (recording, action source, replay loading, task reset) waiting for the worker. */
  public static final int WORKER_QUEUE = 32;

  private BridgeLimits() {}
}

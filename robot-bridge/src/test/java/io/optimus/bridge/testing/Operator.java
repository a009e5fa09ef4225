package io.optimus.bridge.testing;

import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.OperatorCommands;
import io.optimus.proto.v1.OperatorEvent;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.Timestamp;
import io.optimus.proto.v1.Vector3;

/** A scripted operator for tests: builds valid frames and publishes them through MQTT. */
public final class Operator {
  private final MqttEndpoint mqtt;
  private final String robotId;
  private final String operatorId;
  private final String sessionId;
  private long sequence;
  private long eventId;

  public Operator(MqttEndpoint mqtt, String robotId) {
    this(mqtt, robotId, "tester", "s1");
  }

  /** An operator with its own id and session (a second client, an intruder). */
  public Operator(MqttEndpoint mqtt, String robotId, String operatorId, String sessionId) {
    this.mqtt = mqtt;
    this.robotId = robotId;
    this.operatorId = operatorId;
    this.sessionId = sessionId;
  }

  public static Pose pose(double x, double y, double z) {
    return Pose.newBuilder().setPosition(Vector3.newBuilder().setX(x).setY(y).setZ(z))
        .setOrientation(Quaternion.newBuilder().setW(1)).build();
  }

  public OperatorFrame.Builder frame(boolean deadman, float trigger) {
    long now = System.nanoTime();
    return OperatorFrame.newBuilder()
        .setSchemaVersion(1)
        .setOperatorId(operatorId)
        .setSessionId(sessionId)
        .setSource("scripted:test")
        .setSequence(++sequence)
        .setCaptureTime(Timestamp.newBuilder().setMonotonicNs(now))
        .setHead(pose(0, 0, 1.6)).setHeadValid(true)
        .setLeft(HandInput.newBuilder().setGripPose(pose(0.3, 0.2, 1.0)).setGripValid(true).setTracked(true))
        .setRight(HandInput.newBuilder().setGripPose(pose(0.3, -0.2, 1.0)).setGripValid(true).setTracked(true)
            .setTrigger(trigger))
        .setCommands(OperatorCommands.newBuilder().setDeadman(deadman));
  }

  public long send(boolean deadman, float trigger) {
    OperatorFrame f = frame(deadman, trigger).build();
    mqtt.publishOperatorFrame(robotId, f);
    return f.getSequence();
  }

  public void send(OperatorFrame f) {
    mqtt.publishOperatorFrame(robotId, f);
  }

  public OperatorEvent event(OperatorEventType t) {
    return OperatorEvent.newBuilder().setEventId(++eventId).setType(t).build();
  }

  /** Makes the next frame carry {@code s} as its sequence's predecessor (a client that restarted numbering). */
  public void restartSequence(long s) {
    sequence = s;
  }

  public long sequence() {
    return sequence;
  }
}

package io.optimus.bridge.mqtt;

import io.optimus.common.Stamps;
import io.optimus.proto.v1.BridgeStatus;
import io.optimus.proto.v1.OperatorStatus;

/** A Last Will: what the broker publishes for a client that vanishes without disconnecting. */
public record LastWill(String topic, byte[] payload, int qos, boolean retained) {

  /** The bridge's will: {@code BridgeStatus{online=false}}, retained, so late subscribers see it too. */
  public static LastWill bridgeOffline(String robotId) {
    BridgeStatus s = BridgeStatus.newBuilder().setSchemaVersion(1).setRobotId(robotId).setOnline(false)
        .setStamp(Stamps.now()).build();
    return new LastWill(Topics.status(robotId), s.toByteArray(), MqttEndpoint.QOS_RELIABLE, true);
  }

  /** An operator client's will: {@code OperatorStatus{online=false}} naming the robot it drove. */
  public static LastWill operatorOffline(String operatorId, String robotId) {
    OperatorStatus s = OperatorStatus.newBuilder().setSchemaVersion(1).setOperatorId(operatorId)
        .setRobotId(robotId == null ? "" : robotId).setOnline(false).setStamp(Stamps.now()).build();
    return new LastWill(Topics.operatorStatus(operatorId), s.toByteArray(), MqttEndpoint.QOS_RELIABLE, true);
  }
}

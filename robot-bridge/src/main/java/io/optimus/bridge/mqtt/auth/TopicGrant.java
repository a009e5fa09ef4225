package io.optimus.bridge.mqtt.auth;

/**
 * One allowed activity on a topic filter. Anything without a grant is denied.
 *
 * @param filter MQTT topic filter ({@code +} one level)
 * @param publish true: may publish to matching topics; false: may subscribe to (read) them
 * @param retain for publishing: whether the retain flag is allowed (commands must never be retained,
 *     or a stale one would replay to the robot on its next subscribe)
 */
public record TopicGrant(String filter, boolean publish, boolean retain) {
  static TopicGrant read(String filter) {
    return new TopicGrant(filter, false, false);
  }

  static TopicGrant write(String filter) {
    return new TopicGrant(filter, true, false);
  }

  static TopicGrant writeRetained(String filter) {
    return new TopicGrant(filter, true, true);
  }

  @Override
  public String toString() {
    return (publish ? (retain ? "publish (retained allowed) " : "publish ") : "subscribe ") + filter;
  }
}

package io.optimus.bridge.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/** Raw Paho MQTT 5 clients for tests that look at CONNACK, SUBACK and PUBACK reason codes. */
public final class Paho {
  public static final int NOT_AUTHORIZED = 0x87;

  private Paho() {}

  /** Connects (clean start); a refused CONNECT throws with the CONNACK reason code. */
  public static MqttAsyncClient connect(String url, String clientId, String user, String password) throws MqttException {
    return connect(url, clientId, user, password, null);
  }

  public static MqttAsyncClient connect(String url, String clientId, String user, String password,
      SSLSocketFactory tls) throws MqttException {
    MqttAsyncClient c = new MqttAsyncClient(url, clientId, new MemoryPersistence());
    route(c);
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    o.setConnectionTimeout(10);
    o.setAutomaticReconnect(false);
    if (user != null) {
      o.setUserName(user);
    }
    if (password != null) {
      o.setPassword(password.getBytes(StandardCharsets.UTF_8));
    }
    if (tls != null) {
      o.setSocketFactory(tls);
      o.setHttpsHostnameVerificationEnabled(false);
    }
    try {
      c.connect(o).waitForCompletion(15_000);
    } catch (MqttException e) {
      c.close(true);
      throw e;
    }
    return c;
  }

  /** The CONNACK reason code of a refused connect, or 0 if it was accepted (then disconnected). */
  public static int connackCode(String url, String clientId, String user, String password) {
    try {
      MqttAsyncClient c = connect(url, clientId, user, password);
      close(c);
      return 0;
    } catch (MqttException e) {
      return e.getReasonCode();
    }
  }

  private static final java.util.Map<MqttAsyncClient, List<Object[]>> SINKS = new java.util.concurrent.ConcurrentHashMap<>();

  private static void route(MqttAsyncClient c) {
    List<Object[]> sinks = new CopyOnWriteArrayList<>();
    SINKS.put(c, sinks);
    c.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
      @Override
      public void messageArrived(String topic, MqttMessage m) {
        for (Object[] s : sinks) {
          if (io.optimus.bridge.mqtt.Topics.matches((String) s[0], topic)) {
            @SuppressWarnings("unchecked")
            List<String> sink = (List<String>) s[1];
            sink.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8));
          }
        }
      }

      @Override
      public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) {}

      @Override
      public void mqttErrorOccurred(MqttException e) {}

      @Override
      public void deliveryComplete(IMqttToken t) {}

      @Override
      public void connectComplete(boolean reconnect, String uri) {}

      @Override
      public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {}
    });
  }

  /** Subscribes at QoS 1 (messages land in {@code sink} as "TOPIC PAYLOAD"); returns the SUBACK reason code. */
  public static int subscribe(MqttAsyncClient c, String filter, List<String> sink) throws MqttException {
    SINKS.get(c).add(new Object[] {filter, sink});
    IMqttToken t = c.subscribe(new MqttSubscription(filter, 1));
    t.waitForCompletion(10_000);
    return t.getReasonCodes()[0];
  }

  /** Publishes at QoS 1 and returns the PUBACK reason code (0 success, 0x10 no subscribers, >= 0x80 refused). */
  public static int publish(MqttAsyncClient c, String topic, String payload, boolean retained) {
    MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), 1, retained, null);
    try {
      IMqttToken t = c.publish(topic, m);
      t.waitForCompletion(10_000);
      int[] codes = t.getReasonCodes();
      return codes == null || codes.length == 0 ? 0 : codes[0];
    } catch (MqttException e) {
      return e.getReasonCode();
    }
  }

  public static List<String> sink() {
    return new CopyOnWriteArrayList<>();
  }

  public static void close(MqttAsyncClient c) {
    try {
      if (c.isConnected()) {
        c.disconnect().waitForCompletion(5_000);
      }
      c.close(true);
    } catch (MqttException e) {
      // already gone
    } finally {
      SINKS.remove(c);
    }
  }
}

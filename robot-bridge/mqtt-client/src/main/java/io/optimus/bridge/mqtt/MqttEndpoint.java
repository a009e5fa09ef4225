package io.optimus.bridge.mqtt;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.optimus.common.InputException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT 5 connection (Paho v5) with the project's delivery rules:
 * <ul>
 *   <li>streams (operator frames, states, camera) go QoS 0; operator frames carry a message expiry
 *       so a broker never hands out stale ones;</li>
 *   <li>control, safety, status and description go QoS 1 (the last three retained);</li>
 *   <li>subscriptions are remembered and re-sent after every reconnect, since a clean-start session
 *       loses them and Paho does not restore them;</li>
 *   <li>a payload over its subscription's size limit is dropped and counted before it is parsed; a
 *       connection may also declare an MQTT 5 Maximum Packet Size, so the broker never sends larger
 *       packets at all;</li>
 *   <li>a payload that does not parse, or a handler that throws, is counted and logged (rate-limited)
 *       and never reaches Paho, which would otherwise drop the connection;</li>
 *   <li>every QoS 1 message, replies included, waits in one ordered retry queue when Paho's in-flight
 *       window is full, instead of being refused ("Too many publishes in progress").</li>
 * </ul>
 * Handlers run on Paho's single callback thread: they must be quick, since every message of this
 * connection waits behind them.
 * Publishing never throws: failures (e.g. while reconnecting) are counted, since a control loop must
 * not stop because a broker is away.
 */
public final class MqttEndpoint implements AutoCloseable {
  public static final int QOS_STREAM = 0;
  public static final int QOS_RELIABLE = 1;
  /** Operator frames older than this are dropped by the broker, never queued (MQTT 5 expiry, s). */
  public static final long OPERATOR_FRAME_EXPIRY_S = 1;

  private static final Logger LOG = LoggerFactory.getLogger(MqttEndpoint.class);

  /** Receives a parsed message. May throw: the endpoint counts and logs it. */
  @FunctionalInterface
  public interface Handler<T> {
    void accept(String topic, T message) throws Exception;
  }

  /** Receives a parsed request with its MQTT 5 response topic and correlation data (null when absent). */
  @FunctionalInterface
  public interface RequestHandler<T> {
    void accept(String topic, T message, String responseTopic, byte[] correlationData) throws Exception;
  }

  @FunctionalInterface
  private interface RawHandler {
    void accept(String topic, MqttMessage message) throws Exception;
  }

  /** No per-subscription payload limit. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  private record Subscription(String filter, int qos, int maxPayloadBytes, RawHandler handler) {}

  private final MqttSettings settings;
  private final MqttAsyncClient client;
  private final MqttConnectionOptions options;
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final List<Runnable> connectListeners = new CopyOnWriteArrayList<>();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong garbage = new AtomicLong();
  private final AtomicLong oversized = new AtomicLong();
  private final AtomicLong handlerErrors = new AtomicLong();
  private final AtomicLong publishFailures = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong disconnects = new AtomicLong();
  private volatile boolean closed;
  /** QoS 1 messages that met a full in-flight window (topic, MqttMessage); re-sent in order. */
  private final java.util.concurrent.BlockingQueue<Object[]> retries = new java.util.concurrent.ArrayBlockingQueue<>(4096);
  private final Object sendLock = new Object();
  private Thread retryThread;

  private MqttEndpoint(MqttSettings settings, LastWill will, long maximumPacketBytes) throws MqttException {
    this.settings = settings;
    this.client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
    this.options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setAutomaticReconnect(true);
    options.setAutomaticReconnectDelay(1, 2);
    options.setKeepAliveInterval(settings.keepAliveSeconds());
    options.setConnectionTimeout(settings.connectTimeoutSeconds());
    options.setSessionExpiryInterval(0L);
    if (settings.username() != null) {
      options.setUserName(settings.username());
    }
    if (settings.password() != null) {
      options.setPassword(settings.password().getBytes(StandardCharsets.UTF_8));
    }
    if (settings.tls() != null) {
      options.setSocketFactory(settings.tls().socketFactory());
      options.setHttpsHostnameVerificationEnabled(settings.tls().verifyHostname());
    }
    if (maximumPacketBytes > 0) {
      options.setMaximumPacketSize(maximumPacketBytes); // the broker drops larger packets for us
    }
    if (will != null) {
      MqttMessage m = new MqttMessage(will.payload(), will.qos(), will.retained(), null);
      options.setWill(will.topic(), m);
    }
    client.setCallback(new Callback());
  }

  /** Connects (waiting up to the connect timeout); a failure names the broker and the reason. */
  public static MqttEndpoint connect(MqttSettings settings, LastWill will) {
    return connect(settings, will, 0);
  }

  /**
   * Like {@link #connect(MqttSettings, LastWill)}, declaring the MQTT 5 Maximum Packet Size this
   * client accepts (0: none): a spec-conforming broker discards larger packets for this client instead
   * of sending them, so a huge payload never reaches this process.
   */
  public static MqttEndpoint connect(MqttSettings settings, LastWill will, long maximumPacketBytes) {
    MqttEndpoint e;
    try {
      e = new MqttEndpoint(settings, will, maximumPacketBytes);
    } catch (MqttException ex) {
      throw new InputException("cannot create MQTT client for " + settings.serverUri() + ": " + ex.getMessage(), ex);
    }
    try {
      e.client.connect(e.options).waitForCompletion(settings.connectTimeoutSeconds() * 1000L + 1000L);
    } catch (MqttException ex) {
      e.closeQuietly();
      throw new BrokerUnavailableException("cannot connect to MQTT broker " + settings.serverUri()
          + " as '" + settings.clientId() + "': " + describe(ex), ex);
    }
    LOG.debug("connected to {} as {}", settings.serverUri(), settings.clientId());
    return e;
  }

  public static MqttEndpoint connect(MqttSettings settings) {
    return connect(settings, null);
  }

  private static String describe(MqttException ex) {
    String m = ex.getMessage();
    int code = ex.getReasonCode();
    if (code == 0x86 || code == 0x87 || code == 4 || code == 5) {
      return "not authorized (bad user name or password)";
    }
    return (m == null ? "reason code " + code : m) + (ex.getCause() != null ? " (" + ex.getCause().getMessage() + ")" : "");
  }

  /** Subscribes to {@code filter} with raw payloads; re-subscribed after every reconnect. */
  public void subscribeRaw(String filter, int qos, Handler<byte[]> handler) {
    subscribeRaw(filter, qos, UNLIMITED, handler);
  }

  /** Like {@link #subscribeRaw(String, int, Handler)}; payloads over {@code maxPayloadBytes} are dropped and counted. */
  public void subscribeRaw(String filter, int qos, int maxPayloadBytes, Handler<byte[]> handler) {
    add(new Subscription(filter, qos, maxPayloadBytes, (topic, m) -> handler.accept(topic, m.getPayload())));
  }

  private void add(Subscription s) {
    subscriptions.add(s);
    sendSubscribe(s);
  }

  /** Like {@link #subscribe}, also handing over the MQTT 5 response topic and correlation data. */
  public <T extends MessageLite> void subscribeRequests(String filter, int qos, Parser<T> parser,
      RequestHandler<T> handler) {
    subscribeRequests(filter, qos, UNLIMITED, parser, handler);
  }

  /** Like {@link #subscribeRequests(String, int, Parser, RequestHandler)} with a payload limit. */
  public <T extends MessageLite> void subscribeRequests(String filter, int qos, int maxPayloadBytes, Parser<T> parser,
      RequestHandler<T> handler) {
    add(new Subscription(filter, qos, maxPayloadBytes, (topic, m) -> {
      T msg = parse(parser, topic, m.getPayload());
      if (msg != null) {
        MqttProperties p = m.getProperties();
        handler.accept(topic, msg, p == null ? null : p.getResponseTopic(), p == null ? null : p.getCorrelationData());
      }
    }));
  }

  private <T extends MessageLite> T parse(Parser<T> parser, String topic, byte[] payload) {
    try {
      return parser.parseFrom(payload);
    } catch (InvalidProtocolBufferException ex) {
      long n = garbage.incrementAndGet();
      if (shouldLog(n)) {
        LOG.warn("ignored unparseable payload on {} ({} bytes): {} [{} so far]", topic, payload.length,
            ex.getMessage(), n);
      }
      return null;
    }
  }

  /** A QoS 1 reply carrying the request's correlation data (MQTT 5 request/response). */
  public boolean publishReply(String topic, MessageLite reply, byte[] correlationData) {
    if (closed) {
      return false;
    }
    MqttMessage m = new MqttMessage(reply.toByteArray(), QOS_RELIABLE, false, null);
    if (correlationData != null) {
      MqttProperties p = new MqttProperties();
      p.setCorrelationData(correlationData);
      m.setProperties(p);
    }
    return sendReliable(topic, m); // a full in-flight window queues it like any QoS 1 message
  }

  /**
   * Subscribes to {@code filter}, parsing payloads with {@code parser}. Garbage is counted
   * ({@link #garbageCount()}) and logged, never delivered.
   */
  public <T extends MessageLite> void subscribe(String filter, int qos, Parser<T> parser, Handler<T> handler) {
    subscribe(filter, qos, UNLIMITED, parser, handler);
  }

  /**
   * Like {@link #subscribe(String, int, Parser, Handler)}; a payload over {@code maxPayloadBytes} is
   * dropped and counted ({@link #oversizeCount()}) before it is parsed.
   */
  public <T extends MessageLite> void subscribe(String filter, int qos, int maxPayloadBytes, Parser<T> parser,
      Handler<T> handler) {
    add(new Subscription(filter, qos, maxPayloadBytes, (topic, m) -> {
      T msg = parse(parser, topic, m.getPayload());
      if (msg != null) {
        handler.accept(topic, msg);
      }
    }));
  }


  /** Runs after every successful reconnect (after subscriptions are restored), e.g. to re-announce presence. */
  public void onReconnect(Runnable r) {
    connectListeners.add(r);
  }

  private void sendSubscribe(Subscription s) {
    try {
      IMqttToken t = client.subscribe(new MqttSubscription(s.filter(), s.qos()));
      t.waitForCompletion(settings.connectTimeoutSeconds() * 1000L);
      int[] codes = t.getReasonCodes();
      if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
        LOG.warn("broker refused subscription to {} (reason code 0x{})", s.filter(), Integer.toHexString(codes[0]));
      }
    } catch (MqttException ex) {
      // Not connected right now: the reconnect path subscribes again.
      LOG.debug("subscribe {} deferred: {}", s.filter(), ex.getMessage());
    }
  }

  /** Publishes a message; never throws. Returns false when it could not be handed to the client. */
  public boolean publish(String topic, byte[] payload, int qos, boolean retained, long expirySeconds) {
    if (closed) {
      return false;
    }
    MqttMessage m = message(payload, qos, retained, expirySeconds);
    if (qos == 0) {
      try {
        client.publish(topic, m);
        return true;
      } catch (MqttException | RuntimeException ex) {
        return failed(topic, ex);
      }
    }
    return sendReliable(topic, m);
  }

  /** Reliable messages keep their order: behind any waiting for room in the in-flight window. */
  private boolean sendReliable(String topic, MqttMessage m) {
    synchronized (sendLock) {
      if (retries.isEmpty()) {
        try {
          client.publish(topic, m);
          return true;
        } catch (MqttException ex) {
          if (ex.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) {
            return failed(topic, ex);
          }
        } catch (RuntimeException ex) {
          return failed(topic, ex);
        }
      }
      if (!retries.offer(new Object[] {topic, m})) {
        return failed(topic, new IllegalStateException("in-flight window and retry queue full"));
      }
      if (retryThread == null) {
        retryThread = Thread.ofPlatform().daemon().name("mqtt-retry-" + settings.clientId()).start(this::drainRetries);
      }
      sendLock.notifyAll();
      return true;
    }
  }

  private static MqttMessage message(byte[] payload, int qos, boolean retained, long expirySeconds) {
    MqttMessage m = new MqttMessage(payload, qos, retained, null);
    if (expirySeconds > 0) {
      MqttProperties p = new MqttProperties();
      p.setMessageExpiryInterval(expirySeconds);
      m.setProperties(p);
    }
    return m;
  }

  private boolean failed(String topic, Exception ex) {
    long n = publishFailures.incrementAndGet();
    if (shouldLog(n)) {
      LOG.warn("publish to {} failed: {} [{} so far]", topic, ex.getMessage(), n);
    }
    return false;
  }

  /** Sends queued reliable messages in order as the in-flight window frees up. */
  private void drainRetries() {
    int spins = 0;
    while (!closed) {
      Object[] r;
      synchronized (sendLock) {
        while ((r = retries.peek()) == null && !closed) {
          try {
            sendLock.wait(1000);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
      if (r == null) {
        return;
      }
      synchronized (sendLock) {
        try {
          client.publish((String) r[0], (MqttMessage) r[1]);
          retries.poll();
          spins = 0;
          continue;
        } catch (MqttException ex) {
          if (ex.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT || ++spins > 5000) {
            retries.poll();
            failed((String) r[0], ex);
            spins = 0;
            continue;
          }
        }
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L); // the window frees as acks arrive
    }
  }

  public boolean publish(String topic, MessageLite message, int qos, boolean retained) {
    return publish(topic, message.toByteArray(), qos, retained, 0);
  }

  /** A QoS 0 stream message (states, camera frames). */
  public boolean publishStream(String topic, MessageLite message) {
    return publish(topic, message.toByteArray(), QOS_STREAM, false, 0);
  }

  /** An operator frame: QoS 0 with message expiry, so stale frames are dropped rather than queued. */
  public boolean publishOperatorFrame(String robotId, MessageLite frame) {
    return publish(Topics.operator(robotId), frame.toByteArray(), QOS_STREAM, false, OPERATOR_FRAME_EXPIRY_S);
  }

  /** Publishes and waits until the broker acknowledged it (QoS 1) or it was written (QoS 0). */
  public void publishAndWait(String topic, MessageLite message, int qos, boolean retained) {
    try {
      client.publish(topic, new MqttMessage(message.toByteArray(), qos, retained, null))
          .waitForCompletion(settings.connectTimeoutSeconds() * 1000L);
    } catch (MqttException ex) {
      throw new BrokerUnavailableException("publish to " + topic + " failed: " + describe(ex), ex);
    }
  }

  /** Reliable messages waiting for room in the in-flight window (not yet handed to Paho). */
  public int waitingReliable() {
    return retries.size();
  }

  public boolean isClosed() {
    return closed;
  }

  public boolean isConnected() {
    return client.isConnected();
  }

  public String serverUri() {
    return settings.serverUri();
  }

  public String clientId() {
    return settings.clientId();
  }

  public long receivedCount() {
    return received.get();
  }

  /** Payloads dropped unparsed because they exceeded their subscription's size limit. */
  public long oversizeCount() {
    return oversized.get();
  }

  /** Payloads that did not parse as the topic's message type. */
  public long garbageCount() {
    return garbage.get();
  }

  /** Messages whose handler threw (invalid content, a bug): counted, logged, never propagated. */
  public long handlerErrorCount() {
    return handlerErrors.get();
  }

  public long publishFailureCount() {
    return publishFailures.get();
  }

  /** Times the broker or the network dropped this connection (not counting {@link #close()}). */
  public long disconnectCount() {
    return disconnects.get();
  }

  public long reconnectCount() {
    return reconnects.get();
  }

  /**
   * Drops the TCP connection as a network fault would: no DISCONNECT, so the broker publishes the
   * Last Will. For fault-injection tests and drills; the endpoint is unusable afterwards.
   */
  public void simulateNetworkFailure() {
    try {
      client.disconnectForcibly(0, 100, false);
    } catch (MqttException e) {
      LOG.debug("forced disconnect: {}", e.getMessage());
    }
  }

  /** Disconnects cleanly (no Last Will) after publishing nothing more. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (client.isConnected()) {
        client.disconnect(2000).waitForCompletion(3000);
      }
    } catch (MqttException ex) {
      LOG.debug("disconnect: {}", ex.getMessage());
    }
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      client.close(true);
    } catch (MqttException ex) {
      LOG.debug("close: {}", ex.getMessage());
    }
  }

  private static boolean shouldLog(long n) {
    return n <= 10 || Long.bitCount(n) == 1;
  }

  private final class Callback implements MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {
      if (!closed) {
        disconnects.incrementAndGet();
        LOG.warn("disconnected from {}: {}", settings.serverUri(), response.getReasonString());
      }
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      LOG.warn("MQTT error on {}: {}", settings.serverUri(), exception.getMessage());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      received.incrementAndGet();
      for (Subscription s : subscriptions) {
        if (!Topics.matches(s.filter(), topic)) {
          continue;
        }
        int size = message.getPayload().length;
        if (size > s.maxPayloadBytes()) {
          long n = oversized.incrementAndGet();
          if (shouldLog(n)) {
            LOG.warn("dropped oversized payload on {}: {} bytes, limit {} [{} so far]", topic, size,
                s.maxPayloadBytes(), n);
          }
          continue;
        }
        try {
          s.handler().accept(topic, message);
        } catch (Exception | AssertionError ex) {
          long n = handlerErrors.incrementAndGet();
          if (shouldLog(n)) {
            if (ex instanceof InputException) {
              LOG.warn("rejected message on {}: {} [{} so far]", topic, ex.getMessage(), n);
            } else {
              LOG.error("handler for {} failed [{} so far]", topic, n, ex);
            }
          }
        }
      }
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      if (!reconnect) {
        return;
      }
      reconnects.incrementAndGet();
      LOG.info("reconnected to {}: restoring {} subscriptions", serverUri, subscriptions.size());
      // Paho calls this on its callback thread; subscribing synchronously here would deadlock.
      Thread.ofVirtual().name("mqtt-resubscribe-" + settings.clientId()).start(() -> {
        for (Subscription s : subscriptions) {
          sendSubscribe(s);
        }
        for (Runnable r : connectListeners) {
          try {
            r.run();
          } catch (RuntimeException ex) {
            LOG.warn("reconnect listener failed", ex);
          }
        }
      });
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}

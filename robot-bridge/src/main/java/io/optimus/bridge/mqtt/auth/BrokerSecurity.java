package io.optimus.bridge.mqtt.auth;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker's security, as an in-process HiveMQ extension: on CONNECT a user name and
 * password from {@link BrokerUsers} are required, the client id must belong to that user
 * ({@link BrokerUsers#clientIdAllowed}), and the connection gets its role's {@link TopicGrant}s as
 * HiveMQ default permissions with default behaviour DENY. HiveMQ then refuses every other
 * SUBSCRIBE (SUBACK 0x87), PUBLISH (PUBACK 0x87 at QoS 1; disconnect at QoS 0) and Last Will.
 */
public final class BrokerSecurity implements ExtensionMain {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerSecurity.class);
  /** Checked for unknown users too, so a refusal takes as long whether or not the user exists. */
  private static final PasswordHash DECOY = PasswordHash.of("decoy".toCharArray(), PasswordHash.DEFAULT_ITERATIONS);

  private final BrokerUsers users;
  // PBKDF2 is slow on purpose: off HiveMQ's threads, two at a time, a bounded queue (a CONNECT flood
  // is refused as "server busy" instead of piling up).
  private final ThreadPoolExecutor hashing = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(256), Thread.ofPlatform().daemon().name("broker-auth-", 0).factory());

  public BrokerSecurity(BrokerUsers users) {
    this.users = users;
    hashing.allowCoreThreadTimeOut(true);
  }

  @Override
  public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
    SimpleAuthenticator authenticator = this::onConnect;
    Services.securityRegistry().setAuthenticatorProvider(input -> authenticator);
    LOG.info("broker authentication on: {} user(s), default deny", users.size());
  }

  @Override
  public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {
    hashing.shutdownNow();
  }

  private void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
    ConnectPacket c = input.getConnectPacket();
    Optional<String> user = c.getUserName();
    if (user.isEmpty() || c.getPassword().isEmpty()) {
      refuse(output, ConnackReasonCode.NOT_AUTHORIZED, c.getClientId(), "this broker needs a user name and password");
      return;
    }
    byte[] password = bytes(c.getPassword().get());
    Async<SimpleAuthOutput> async = output.async(Duration.ofSeconds(20), TimeoutFallback.FAILURE);
    try {
      hashing.execute(() -> {
        try {
          decide(user.get(), password, c.getClientId(), output);
        } finally {
          Arrays.fill(password, (byte) 0);
          async.resume();
        }
      });
    } catch (RejectedExecutionException e) {
      refuse(output, ConnackReasonCode.SERVER_BUSY, c.getClientId(), "too many logins at once");
      async.resume();
    }
  }

  private void decide(String name, byte[] password, String clientId, SimpleAuthOutput output) {
    Optional<BrokerUser> found = users.get(name);
    boolean ok = found.map(u -> u.password().matches(password)).orElseGet(() -> {
      DECOY.matches(password); // same cost as a real check
      return false;
    });
    if (!ok) {
      refuse(output, ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, clientId, "bad user name or password");
      return;
    }
    BrokerUser u = found.get();
    if (!BrokerUsers.clientIdAllowed(u.name(), clientId)) {
      refuse(output, ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID, clientId,
          "client id '" + clientId + "' is not user " + u.name() + "'s: use " + u.name() + " or " + u.name() + "-SUFFIX");
      return;
    }
    ModifiableDefaultPermissions p = output.getDefaultPermissions();
    p.clear();
    for (TopicGrant g : u.grants()) {
      p.add(permission(g));
    }
    p.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
    output.authenticateSuccessfully();
    LOG.debug("client {} logged in as {} ({} of {})", clientId, u.name(), u.role().id(), u.robots());
  }

  static TopicPermission permission(TopicGrant g) {
    return Builders.topicPermission()
        .topicFilter(g.filter())
        .type(TopicPermission.PermissionType.ALLOW)
        .activity(g.publish() ? TopicPermission.MqttActivity.PUBLISH : TopicPermission.MqttActivity.SUBSCRIBE)
        .retain(!g.publish() || g.retain() ? TopicPermission.Retain.ALL : TopicPermission.Retain.NOT_RETAINED)
        .qos(TopicPermission.Qos.ALL)
        .sharedSubscription(TopicPermission.SharedSubscription.NOT_SHARED)
        .build();
  }

  private static void refuse(SimpleAuthOutput output, ConnackReasonCode code, String clientId, String why) {
    LOG.info("refused CONNECT of client {}: {}", clientId, why);
    output.failAuthentication(code, why);
  }

  private static byte[] bytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] a = new byte[d.remaining()];
    d.get(a);
    return a;
  }
}

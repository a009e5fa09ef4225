package io.optimus.bridge.mqtt.auth;

import io.optimus.bridge.mqtt.MqttSettings;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Random passwords for users that live only as long as one process (the demo's bridge, operator and
 * policy on their own embedded broker): nothing is written anywhere, so nothing outlives the run.
 */
public final class OneTimeCredentials {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, String> passwords = new LinkedHashMap<>();
  private final List<BrokerUser> users = new ArrayList<>();

  /** Adds {@code name} as {@code role} of {@code robot} with a fresh 192-bit password. */
  public OneTimeCredentials add(String name, Role role, String robot) {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    String pw = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    // a random 192-bit secret needs no key stretching: the lowest iteration count keeps logins instant
    users.add(new BrokerUser(name, role, List.of(robot), PasswordHash.of(pw.toCharArray(), PasswordHash.MIN_ITERATIONS)));
    passwords.put(name, pw);
    return this;
  }

  public BrokerUsers users() {
    return BrokerUsers.of(users);
  }

  /** Settings for {@code user} on {@code url} with client id {@code clientId} (which must belong to the user). */
  public MqttSettings login(String url, String user, String clientId) {
    String pw = passwords.get(user);
    if (pw == null) {
      throw new IllegalArgumentException("no one-time user " + user);
    }
    return MqttSettings.of(url, clientId).withCredentials(user, pw);
  }
}

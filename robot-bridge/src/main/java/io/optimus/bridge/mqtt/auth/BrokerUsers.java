package io.optimus.bridge.mqtt.auth;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The users the embedded broker accepts. Client ids are bound to users: a client of user {@code U}
 * must use the client id {@code U} or {@code U-<anything>} (so bridge-r1 logs in as bridge-r1 with
 * client id bridge-r1; operator alice as alice-1a2b3c4d). No user name may equal another's followed
 * by '-' and more ({@code bridge} beside {@code bridge-r1} is refused), so every client id belongs to
 * at most one user and nobody can take over another user's session.
 */
public final class BrokerUsers {
  private final Map<String, BrokerUser> users;

  private BrokerUsers(Map<String, BrokerUser> users) {
    this.users = users;
  }

  /** Throws IllegalArgumentException on a duplicate or a name that prefixes another's client ids. */
  public static BrokerUsers of(Collection<BrokerUser> list) {
    Map<String, BrokerUser> m = new LinkedHashMap<>();
    for (BrokerUser u : list) {
      String clash = clash(m.values(), u.name());
      if (clash != null) {
        throw new IllegalArgumentException(clash);
      }
      m.put(u.name(), u);
    }
    return new BrokerUsers(m);
  }

  /** Why {@code name} cannot join {@code existing}, or null. */
  static String clash(Collection<BrokerUser> existing, String name) {
    for (BrokerUser o : existing) {
      if (o.name().equals(name)) {
        return "user " + name + " is listed twice";
      }
      if (name.startsWith(o.name() + "-") || o.name().startsWith(name + "-")) {
        return "users " + o.name() + " and " + name + " would share client ids (a user name must not be another's"
            + " followed by '-')";
      }
    }
    return null;
  }

  public Optional<BrokerUser> get(String name) {
    return Optional.ofNullable(users.get(name));
  }

  public Collection<BrokerUser> all() {
    return users.values();
  }

  public int size() {
    return users.size();
  }

  /** The client id rule: {@code clientId} equals {@code user} or starts with {@code user + "-"}. */
  public static boolean clientIdAllowed(String user, String clientId) {
    return clientId.equals(user) || (clientId.startsWith(user + "-") && clientId.length() > user.length() + 1);
  }
}

package io.optimus.bridge.broker;

import io.optimus.bridge.mqtt.auth.BrokerUsers;
import io.optimus.common.InputException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * How the embedded broker listens and whom it lets in.
 *
 * @param bind address to listen on
 * @param port TCP port, 0 for any free one
 * @param users the accounts and their roles; null = anonymous clients may do anything
 * @param tls keystore for a TLS-only listener, or null for plain TCP
 * @param insecure allow a non-loopback address without {@code users}
 * @param wsPort port of an extra MQTT-over-WebSocket listener (path {@code /mqtt}, same users and
 *     ACL, plain ws: put TLS in front of it for a network) for browsers such as the dashboard;
 *     0 = any free port, -1 = none
 */
public record BrokerOptions(String bind, int port, BrokerUsers users, Keystore tls, boolean insecure, int wsPort) {
  /** No WebSocket listener. */
  public BrokerOptions(String bind, int port, BrokerUsers users, Keystore tls, boolean insecure) {
    this(bind, port, users, tls, insecure, -1);
  }

  /** A PKCS12 (or JKS) keystore holding the broker's private key and certificate; one password for both. */
  public record Keystore(Path path, String password) {
    @Override
    public String toString() {
      return "Keystore[" + path + ", password ***]";
    }
  }

  public static BrokerOptions loopback(int port) {
    return new BrokerOptions("127.0.0.1", port, null, null, false);
  }

  public BrokerOptions withBind(String address) {
    return new BrokerOptions(address, port, users, tls, insecure, wsPort);
  }

  public BrokerOptions withUsers(BrokerUsers u) {
    return new BrokerOptions(bind, port, u, tls, insecure, wsPort);
  }

  public BrokerOptions withTls(Keystore k) {
    return new BrokerOptions(bind, port, users, k, insecure, wsPort);
  }

  public BrokerOptions withInsecure(boolean yes) {
    return new BrokerOptions(bind, port, users, tls, yes, wsPort);
  }

  /** Adds an MQTT-over-WebSocket listener on {@code port} (0 = any free one), path {@code /mqtt}. */
  public BrokerOptions withWebSocket(int port) {
    return new BrokerOptions(bind, this.port, users, tls, insecure, port);
  }

  /** Refuses an open broker on a network: anyone there could drive the robots. */
  void checkExposure() {
    InetAddress a;
    try {
      a = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new InputException("--bind " + bind + ": unknown host");
    }
    if (users == null && !insecure && !a.isLoopbackAddress()) {
      throw new InputException("refusing to listen on " + bind + " without authentication: anyone on the network could"
          + " drive the robots; give --passwd FILE (see 'optimus broker passwd'), or --insecure to allow it");
    }
  }
}

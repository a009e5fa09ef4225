package io.optimus.bridge.mqtt;

import io.optimus.common.InputException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * How to reach a broker. {@code serverUri} is {@code tcp://host:port} or {@code ssl://host:port}
 * (MQTT 5 over TCP or TLS). Credentials and TLS are optional.
 */
public record MqttSettings(String serverUri, String clientId, String username, String password,
    TlsSettings tls, int keepAliveSeconds, int connectTimeoutSeconds) {

  public MqttSettings {
    checkUri(serverUri);
    Topics.checkId("client", clientId);
    if (tls == null && serverUri.startsWith("ssl://")) {
      tls = TlsSettings.systemDefaults();
    }
  }

  public static MqttSettings of(String serverUri, String clientId) {
    return new MqttSettings(serverUri, clientId, null, null, null, 10, 10);
  }

  public MqttSettings withCredentials(String user, String pass) {
    return new MqttSettings(serverUri, clientId, user, pass, tls, keepAliveSeconds, connectTimeoutSeconds);
  }

  public MqttSettings withTls(TlsSettings t) {
    String uri = serverUri.startsWith("tcp://") ? "ssl://" + serverUri.substring(6) : serverUri;
    return new MqttSettings(uri, clientId, username, password, t, keepAliveSeconds, connectTimeoutSeconds);
  }

  public MqttSettings withClientId(String id) {
    return new MqttSettings(serverUri, id, username, password, tls, keepAliveSeconds, connectTimeoutSeconds);
  }

  public MqttSettings withKeepAlive(int seconds) {
    return new MqttSettings(serverUri, clientId, username, password, tls, seconds, connectTimeoutSeconds);
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "MqttSettings[" + serverUri + ", client " + clientId + (username == null ? "" : ", user " + username)
        + (password == null ? "" : ", password ***") + (tls == null ? "" : ", " + tls) + "]";
  }

  private static void checkUri(String uri) {
    try {
      URI u = new URI(uri);
      if (!("tcp".equals(u.getScheme()) || "ssl".equals(u.getScheme())) || u.getHost() == null || u.getPort() <= 0) {
        throw new InputException("broker URL '" + uri + "' is invalid: use tcp://HOST:PORT or ssl://HOST:PORT");
      }
    } catch (URISyntaxException | NullPointerException e) {
      throw new InputException("broker URL '" + uri + "' is invalid: use tcp://HOST:PORT or ssl://HOST:PORT");
    }
  }
}

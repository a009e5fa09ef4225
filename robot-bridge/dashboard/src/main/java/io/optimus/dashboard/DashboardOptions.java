package io.optimus.dashboard;

import io.optimus.common.InputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the dashboard server listens and what it tells the page.
 *
 * @param bind address of the HTTP listener (loopback by default: the recordings are served without a login)
 * @param port HTTP port, 0 for any free one
 * @param brokerWs the broker's MQTT-over-WebSocket URL the page connects to ({@code ws://} or {@code wss://})
 * @param recordings directory of recorded episodes (.mcap, searched recursively) offered for replay, or null
 */
public record DashboardOptions(String bind, int port, String brokerWs, Path recordings) {
  public DashboardOptions {
    if (port < 0 || port > 65535) {
      throw new InputException("dashboard port " + port + " is out of range 0-65535");
    }
    checkBrokerUrl(brokerWs);
    if (recordings != null && !Files.isDirectory(recordings)) {
      throw new InputException("--recordings " + recordings + ": no such directory");
    }
  }

  public static DashboardOptions loopback(int port, String brokerWs) {
    return new DashboardOptions("127.0.0.1", port, brokerWs, null);
  }

  public DashboardOptions withRecordings(Path dir) {
    return new DashboardOptions(bind, port, brokerWs, dir);
  }

  public DashboardOptions withBind(String address) {
    return new DashboardOptions(address, port, brokerWs, recordings);
  }

  /** The page speaks MQTT over WebSocket only: a tcp:// URL is refused with the fix in the message. */
  static void checkBrokerUrl(String url) {
    if (url == null || url.isBlank()) {
      throw new InputException("--broker: the broker's WebSocket URL is missing (e.g. ws://127.0.0.1:8000/mqtt)");
    }
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw new InputException("--broker " + url + ": not a URL (" + e.getReason() + ")");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme();
    if (!scheme.equals("ws") && !scheme.equals("wss")) {
      throw new InputException("--broker " + url + ": the page connects over WebSocket, give ws://HOST:PORT/mqtt or"
          + " wss://... (the broker's WebSocket listener: 'optimus broker --ws-port N', Mosquitto"
          + " 'listener N' + 'protocol websockets')");
    }
    if (u.getHost() == null || u.getPort() > 65535) {
      throw new InputException("--broker " + url + ": no host, or a port out of range");
    }
  }
}

package io.optimus.bridge.broker;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.embedded.EmbeddedHiveMQBuilder;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.auth.BrokerSecurity;
import io.optimus.common.FileTrees;
import io.optimus.common.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process MQTT 5 broker (HiveMQ Community Edition, embedded). In-memory persistence; its
 * config, data and extension folders live in a temporary directory removed on {@link #close()}.
 * Port 0 picks a free port. HiveMQ's own logging is kept at WARN unless configured otherwise.
 */
public final class EmbeddedBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

  /** The WebSocket listener's HTTP path (mqtt.js and Paho's ws:// default). */
  public static final String WS_PATH = "/mqtt";

  private final EmbeddedHiveMQ hivemq;
  private final Path home;
  private final String host;
  private final int port;
  private final boolean tls;
  private final int wsPort;

  private EmbeddedBroker(EmbeddedHiveMQ hivemq, Path home, String host, int port, boolean tls, int wsPort) {
    this.hivemq = hivemq;
    this.home = home;
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.wsPort = wsPort;
  }

  /** Starts an open broker on loopback; {@code port} 0 picks a free one. */
  public static EmbeddedBroker start(int port) {
    return start(BrokerOptions.loopback(port));
  }

  /** An open broker on {@code bindAddress}: refused unless that is a loopback address (see {@link BrokerOptions}). */
  public static EmbeddedBroker start(String bindAddress, int port) {
    return start(BrokerOptions.loopback(port).withBind(bindAddress));
  }

  /**
   * Starts a broker as {@code o} says. With users, every client must log in and gets only its role's
   * topics ({@link BrokerSecurity}); a non-loopback address without users needs {@code insecure}.
   */
  public static EmbeddedBroker start(BrokerOptions o) {
    String bindAddress = o.bind();
    int port = o.port();
    if (port < 0 || port > 65535) {
      throw new InputException("broker port " + port + " is out of range 0-65535");
    }
    o.checkExposure();
    if (o.tls() != null) {
      checkKeystore(o.tls());
    }
    quietHiveMqLogging();
    int actual = port == 0 ? freePort(bindAddress) : port;
    if (o.wsPort() > 65535 || o.wsPort() < -1) {
      throw new InputException("--ws-port " + o.wsPort() + " is out of range 0-65535");
    }
    int ws = o.wsPort() == 0 ? freePort(bindAddress) : o.wsPort();
    Path home;
    try {
      home = Files.createTempDirectory("optimus-hivemq-");
      Path conf = Files.createDirectories(home.resolve("conf"));
      Files.createDirectories(home.resolve("data"));
      Files.createDirectories(home.resolve("extensions"));
      Files.writeString(conf.resolve("config.xml"), """
          <?xml version="1.0"?>
          <hivemq>
            <listeners>
              %s
            </listeners>
            <persistence><mode>in-memory</mode></persistence>
            <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
          </hivemq>
          """.formatted(listener(o, actual) + webSocketListener(o, ws)));
      restrictToOwner(conf.resolve("config.xml")); // it may hold the keystore password
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the embedded broker's folders", e);
    }
    EmbeddedHiveMQBuilder builder = EmbeddedHiveMQ.builder()
        .withConfigurationFolder(home.resolve("conf"))
        .withDataFolder(home.resolve("data"))
        .withExtensionsFolder(home.resolve("extensions"))
        .withoutLoggingBootstrap();
    if (o.users() != null) {
      builder = builder.withEmbeddedExtension(EmbeddedExtension.builder().withId("optimus-broker-security")
          .withName("optimus broker security").withVersion("1").withAuthor("optimus-teleop")
          .withPriority(1000).withStartPriority(1000).withExtensionMain(new BrokerSecurity(o.users())).build());
    }
    EmbeddedHiveMQ hivemq = builder.build();
    try {
      hivemq.start().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(hivemq, home);
      throw new IllegalStateException("interrupted while starting the embedded broker", e);
    } catch (ExecutionException | TimeoutException e) {
      closeQuietly(hivemq, home);
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("embedded broker could not start on " + bindAddress + ":" + actual
          + ": " + cause.getMessage(), cause);
    }
    LOG.info("embedded MQTT broker (HiveMQ CE) listening on {}:{}{}{}{}", bindAddress, actual,
        o.tls() != null ? " (TLS)" : "", o.users() != null ? " with " + o.users().size() + " user(s)" : " (anonymous)",
        ws > 0 ? ", WebSocket on port " + ws + WS_PATH : "");
    return new EmbeddedBroker(hivemq, home, bindAddress, actual, o.tls() != null, ws);
  }

  private static String listener(BrokerOptions o, int port) {
    if (o.tls() == null) {
      return "<tcp-listener><port>%d</port><bind-address>%s</bind-address></tcp-listener>"
          .formatted(port, xml(o.bind()));
    }
    String pw = xml(o.tls().password());
    return """
        <tls-tcp-listener><port>%d</port><bind-address>%s</bind-address>
                <tls>
                  <keystore><path>%s</path><password>%s</password><private-key-password>%s</private-key-password></keystore>
                  <client-authentication-mode>NONE</client-authentication-mode>
                </tls>
              </tls-tcp-listener>""".formatted(port, xml(o.bind()), xml(o.tls().path().toAbsolutePath().toString()), pw, pw);
  }

  /** MQTT over WebSocket for browsers (the dashboard): the same users, roles and ACL as the TCP listener. */
  private static String webSocketListener(BrokerOptions o, int ws) {
    if (ws <= 0) {
      return "";
    }
    return """
        <websocket-listener><port>%d</port><bind-address>%s</bind-address><path>%s</path>
                <subprotocols><subprotocol>mqtt</subprotocol></subprotocols><allow-extensions>true</allow-extensions>
              </websocket-listener>""".formatted(ws, xml(o.bind()), WS_PATH);
  }

  /** HiveMQ would log a bad keystore and run without the listener: refuse it here, in one line. */
  private static void checkKeystore(BrokerOptions.Keystore k) {
    if (!Files.isReadable(k.path())) {
      throw new InputException("--tls-keystore " + k.path() + ": no such readable file");
    }
    try {
      java.security.KeyStore ks = java.security.KeyStore.getInstance(k.path().toFile(), k.password().toCharArray());
      boolean hasKey = false;
      for (String alias : java.util.Collections.list(ks.aliases())) {
        hasKey |= ks.isKeyEntry(alias);
      }
      if (!hasKey) {
        throw new InputException("--tls-keystore " + k.path() + " holds no private key (only certificates)");
      }
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new InputException("--tls-keystore " + k.path() + ": not a PKCS12/JKS keystore, or a wrong password ("
          + e.getMessage() + ")");
    }
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
        .replace("'", "&apos;");
  }

  private static void restrictToOwner(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // the temporary folder is private to the user already
    }
  }

  public int port() {
    return port;
  }

  /** {@code tcp://host:port} ({@code ssl://} with TLS), for {@link MqttSettings}. */
  public String url() {
    return (tls ? "ssl://" : "tcp://") + host + ":" + port;
  }

  /** The WebSocket listener's port, or -1 without one. */
  public int wsPort() {
    return wsPort > 0 ? wsPort : -1;
  }

  /** {@code ws://host:port/mqtt} for browsers, or null without a WebSocket listener. */
  public String wsUrl() {
    return wsPort > 0 ? "ws://" + host + ":" + wsPort + WS_PATH : null;
  }

  @Override
  public void close() {
    closeQuietly(hivemq, home);
  }

  private static void closeQuietly(EmbeddedHiveMQ hivemq, Path home) {
    try {
      hivemq.stop().get(30, TimeUnit.SECONDS);
      hivemq.close();
    } catch (Exception e) {
      LOG.debug("embedded broker stop: {}", e.toString());
    }
    if (!FileTrees.deleteQuietly(home)) {
      LOG.debug("cannot delete {}", home);
    }
  }

  /** A currently free TCP port on {@code bindAddress} (the broker binds it right after). */
  public static int freePort(String bindAddress) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + bindAddress, e);
    }
  }

  private static void quietHiveMqLogging() {
    // slf4j-simple reads per-logger levels from system properties when each logger is created.
    for (String name : new String[] {"com.hivemq", "migrations", "oshi", "io.netty", "org.jboss", "jetbrains.exodus",
        "org.rocksdb"}) {
      String key = "org.slf4j.simpleLogger.log." + name;
      if (System.getProperty(key) == null) {
        System.setProperty(key, "warn");
      }
    }
  }
}

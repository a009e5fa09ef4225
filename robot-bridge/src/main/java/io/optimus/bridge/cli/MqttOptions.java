package io.optimus.bridge.cli;

import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.TlsSettings;
import io.optimus.common.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Broker connection options shared by the bridge commands. */
public final class MqttOptions {
  @Option(names = "--broker", paramLabel = "URL",
      description = "MQTT 5 broker, tcp://HOST:PORT or ssl://HOST:PORT. Without it an embedded broker is started in-process.")
  String broker;

  @Option(names = "--username", description = "Broker user name.")
  String username;

  @Option(names = "--password-env", paramLabel = "VAR", defaultValue = "OPTIMUS_MQTT_PASSWORD",
      description = "Environment variable holding the broker password (default ${DEFAULT-VALUE}).")
  String passwordEnv;

  @Option(names = "--ca", paramLabel = "PEM", description = "Trust only these CA certificates (implies TLS).")
  Path ca;

  @Option(names = "--insecure-hostname", description = "Do not check that the broker certificate names its host.")
  boolean insecureHostname;

  /** Settings for {@code broker} (or the given URL when no --broker). */
  public MqttSettings settings(String url, String clientId) {
    MqttSettings s = MqttSettings.of(url, clientId);
    if (username != null) {
      String pw = System.getenv(passwordEnv);
      s = s.withCredentials(username, pw);
    }
    if (ca != null) {
      if (!Files.isReadable(ca)) {
        throw new InputException("--ca " + ca + ": no such readable file");
      }
      s = s.withTls(new TlsSettings(ca, !insecureHostname));
    } else if (insecureHostname) {
      s = s.withTls(new TlsSettings(null, false));
    }
    return s;
  }

  public String broker() {
    return broker;
  }
}

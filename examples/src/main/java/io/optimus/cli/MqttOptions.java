package io.optimus.cli;

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

  /** Where the password comes from when no --password-env names a variable (used only if set). */
  public static final String DEFAULT_PASSWORD_ENV = "OPTIMUS_MQTT_PASSWORD";

  @Option(names = "--password-env", paramLabel = "VAR",
      description = "Environment variable holding the broker password; it must be set. Without this option "
          + DEFAULT_PASSWORD_ENV + " is used if set, else the user name goes without a password.")
  String passwordEnv;

  @Option(names = "--ca", paramLabel = "PEM", description = "Trust only these CA certificates (implies TLS).")
  Path ca;

  @Option(names = "--insecure-hostname", description = "Do not check that the broker certificate names its host.")
  boolean insecureHostname;

  /** Settings for {@code broker} (or the given URL when no --broker). */
  public MqttSettings settings(String url, String clientId) {
    MqttSettings s = MqttSettings.of(url, clientId);
    if (passwordEnv != null && username == null) {
      throw new InputException("--password-env " + passwordEnv + " needs --username: the broker checks a password"
          + " against a user name");
    }
    if (username != null) {
      // a variable the operator named but forgot to export would otherwise log in without a
      // password and fail as "not authorized", far from the cause
      String pw = System.getenv(passwordEnv != null ? passwordEnv : DEFAULT_PASSWORD_ENV);
      if (pw == null && passwordEnv != null) {
        throw new InputException("--password-env " + passwordEnv + ": no such environment variable is set (export it,"
            + " or leave out --password-env for a user name without a password)");
      }
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

  /** The --username, or null. */
  public String username() {
    return username;
  }
}

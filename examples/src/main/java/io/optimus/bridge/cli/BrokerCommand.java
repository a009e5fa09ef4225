package io.optimus.bridge.cli;

import io.optimus.bridge.broker.BrokerOptions;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.auth.BrokerUsers;
import io.optimus.bridge.mqtt.auth.PasswordFile;
import io.optimus.common.InputException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code optimus broker}: the embedded MQTT 5 broker (HiveMQ CE) until interrupted. */
@Command(name = "broker", mixinStandardHelpOptions = true, subcommands = BrokerPasswdCommand.class,
    description = {"Run the embedded MQTT 5 broker (HiveMQ CE) until Ctrl-C.",
        "In-memory persistence; prints the broker URL on stdout.",
        "With --passwd every client logs in and may touch only its role's topics (see README, Security).",
        "A non-loopback --bind needs --passwd (or an explicit --insecure)."})
public final class BrokerCommand implements Callable<Integer> {
  /** Where the keystore password comes from unless --tls-password-env names another variable. */
  public static final String DEFAULT_TLS_PASSWORD_ENV = "OPTIMUS_TLS_KEYSTORE_PASSWORD";

  @Option(names = "--port", description = "TCP port (0 = any free port; default 1883, 8883 with --tls-keystore).")
  Integer port;

  @Option(names = "--bind", defaultValue = "127.0.0.1",
      description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for headsets on the LAN, with --passwd).")
  String bind;

  @Option(names = "--passwd", paramLabel = "FILE",
      description = "Users, roles and password hashes (create with 'optimus broker passwd'); clients must log in.")
  Path passwd;

  @Option(names = "--tls-keystore", paramLabel = "FILE",
      description = "PKCS12 keystore with the broker's key and certificate: the listener speaks TLS only.")
  Path tlsKeystore;

  @Option(names = "--tls-password-env", paramLabel = "VAR", defaultValue = DEFAULT_TLS_PASSWORD_ENV,
      description = "Environment variable holding the keystore password (default ${DEFAULT-VALUE}).")
  String tlsPasswordEnv;

  @Option(names = "--insecure", description = "Allow a non-loopback --bind without --passwd: anyone there may"
      + " connect and drive the robots.")
  boolean insecure;

  @Option(names = "--ws-port", paramLabel = "PORT",
      description = "Also serve MQTT over WebSocket on PORT (path /mqtt; same users and roles), for browsers such as"
          + " 'optimus dashboard' (0 = any free port; plain ws: put TLS in front of it on a network).")
  Integer wsPort;

  @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
      description = "Stop after this many seconds (0 = run until interrupted).")
  double duration;

  /** The options as given, checked; the broker is not started. */
  BrokerOptions options() {
    int p = port != null ? port : tlsKeystore != null ? 8883 : 1883;
    BrokerUsers users = passwd == null ? null : PasswordFile.read(passwd);
    BrokerOptions o = new BrokerOptions(bind, p, users, null, insecure, wsPort == null ? -1 : wsPort);
    if (tlsKeystore != null) {
      String pw = System.getenv(tlsPasswordEnv);
      if (pw == null) {
        throw new InputException("--tls-keystore " + tlsKeystore + " needs its password in the environment variable "
            + tlsPasswordEnv + ", which is not set");
      }
      o = o.withTls(new BrokerOptions.Keystore(tlsKeystore, pw));
    }
    return o;
  }

  @Override
  public Integer call() throws Exception {
    BrokerOptions o = options();
    EmbeddedBroker broker = EmbeddedBroker.start(o);
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      broker.close();
      stop.countDown();
    }, "broker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    System.out.println(broker.url());
    if (broker.wsUrl() != null) {
      System.out.println(broker.wsUrl());
    }
    System.out.flush();
    System.err.println("optimus broker: HiveMQ CE listening on " + broker.url()
        + (o.users() != null ? " (" + o.users().size() + " users from " + passwd + ")" : " (anyone may connect)")
        + " (Ctrl-C stops it)");
    if (duration > 0) {
      stop.await((long) (duration * 1000), java.util.concurrent.TimeUnit.MILLISECONDS);
      Runtime.getRuntime().removeShutdownHook(hook);
      broker.close();
    } else {
      stop.await();
    }
    return 0;
  }
}

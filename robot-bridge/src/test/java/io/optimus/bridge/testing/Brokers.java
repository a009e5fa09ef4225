package io.optimus.bridge.testing;

import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.broker.MosquittoBroker;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Mosquitto for tests: skipped when absent, except on CI (env CI=true), where absence fails. */
public final class Brokers {
  private Brokers() {}

  private static EmbeddedBroker shared;

  /**
   * One embedded HiveMQ for the whole test JVM (it takes seconds to start); stopped at JVM exit.
   * Tests use their own robot ids and client ids, so they do not see each other.
   */
  public static synchronized EmbeddedBroker embedded() {
    if (shared == null) {
      EmbeddedBroker b = EmbeddedBroker.start(0);
      Runtime.getRuntime().addShutdownHook(new Thread(b::close, "test-broker-shutdown"));
      shared = b;
    }
    return shared;
  }

  public static void assumeMosquitto() {
    if (MosquittoBroker.executable().isEmpty()) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError("mosquitto is required on CI (add it to .ci/run PKGS)");
      }
      Assumptions.abort("mosquitto not installed: skipping (apt-get install -y mosquitto)");
    }
  }

  public static MosquittoBroker mosquitto() {
    assumeMosquitto();
    return MosquittoBroker.start();
  }

  public static MosquittoBroker mosquitto(List<String> config) {
    assumeMosquitto();
    return MosquittoBroker.start(config);
  }
}

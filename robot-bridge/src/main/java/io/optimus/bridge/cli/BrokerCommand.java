package io.optimus.bridge.cli;

import io.optimus.bridge.mqtt.EmbeddedBroker;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code optimus broker}: the embedded MQTT 5 broker (HiveMQ CE) until interrupted. */
@Command(name = "broker", mixinStandardHelpOptions = true,
    description = {"Run the embedded MQTT 5 broker (HiveMQ CE) until Ctrl-C.",
        "In-memory persistence; prints the broker URL on stdout."})
public final class BrokerCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "1883", description = "TCP port (0 = any free port; default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1",
      description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for headsets on the LAN).")
  String bind;

  @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
      description = "Stop after this many seconds (0 = run until interrupted).")
  double duration;

  @Override
  public Integer call() throws Exception {
    EmbeddedBroker broker = EmbeddedBroker.start(bind, port);
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      broker.close();
      stop.countDown();
    }, "broker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    System.out.println(broker.url());
    System.out.flush();
    System.err.println("optimus broker: HiveMQ CE listening on " + broker.url() + " (Ctrl-C stops it)");
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

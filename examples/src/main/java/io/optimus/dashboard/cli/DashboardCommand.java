package io.optimus.dashboard.cli;

import io.optimus.dashboard.DashboardOptions;
import io.optimus.dashboard.DashboardServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code optimus dashboard}: the live web dashboard until interrupted. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
    description = {"Serve the live web dashboard: the fleet, one robot in 3D with its cameras, joint plots, safety",
        "events and task, e-stop and reset, replay of recorded episodes. The page connects to the broker itself",
        "(MQTT over WebSocket) and logs in there: the broker's roles decide what it may see and do.",
        "Prints the page's URL on stdout."})
public final class DashboardCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--broker", paramLabel = "URL", defaultValue = "ws://127.0.0.1:8000/mqtt",
      description = "The broker's MQTT-over-WebSocket URL, as the browser reaches it (default ${DEFAULT-VALUE};"
          + " 'optimus broker --ws-port 8000', or Mosquitto's 'listener 8000' + 'protocol websockets').")
  String broker;

  @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default ${DEFAULT-VALUE}; 0 = free).")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1",
      description = "Address to serve on (default ${DEFAULT-VALUE}; recordings are served without a login).")
  String bind;

  @Option(names = "--recordings", paramLabel = "DIR",
      description = "Recorded episodes (.mcap, e.g. bridge --record or policy eval --record folders) to replay.")
  Path recordings;

  @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
      description = "Stop after this many seconds (0 = run until interrupted).")
  double duration;

  @Override
  public Integer call() throws Exception {
    DashboardServer server = DashboardServer.start(new DashboardOptions(bind, port, broker, recordings));
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      server.close();
      stop.countDown();
    }, "dashboard-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    spec.commandLine().getOut().println(server.url());
    spec.commandLine().getOut().flush();
    spec.commandLine().getErr().println("optimus dashboard: open " + server.url() + " (broker " + broker + "; Ctrl-C stops it)");
    if (duration > 0) {
      stop.await((long) (duration * 1000), TimeUnit.MILLISECONDS);
      Runtime.getRuntime().removeShutdownHook(hook);
      server.close();
    } else {
      stop.await();
    }
    return 0;
  }
}

package io.optimus.bridge.cli;

import io.optimus.cli.MqttOptions;
import io.optimus.cli.RobotOption;
import io.optimus.cli.VideoOptions;
import io.optimus.cli.WorldOption;
import io.optimus.cli.WristCameraOption;
import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.control.LatencyStats;
import io.optimus.bridge.control.MotionRetargeter;
import io.optimus.bridge.control.TickTimes;
import io.optimus.bridge.broker.BrokerOptions;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.dashboard.DashboardOptions;
import io.optimus.dashboard.DashboardServer;
import java.nio.file.Files;
import io.optimus.motion.model.RobotModel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code optimus bridge}: one robot (simulated body) on MQTT until interrupted. */
@Command(name = "bridge", mixinStandardHelpOptions = true,
    description = {"Run a robot bridge: MQTT endpoint, control loop, safety supervisor, simulated body,",
        "task world, head and wrist cameras (one topic each). Without --broker an embedded broker runs in-process.",
        "Progress (mode, rate, latency, refused operator frames) goes to stderr every few seconds.",
        "With --console, type 'estop' or 'reset' (e-stop reset, refused while a link is lost) and Enter."})
public final class BridgeCommand implements Callable<Integer> {
  @Mixin RobotOption robot;

  @Mixin WorldOption world;

  @Option(names = "--robot-id", required = true, paramLabel = "ID", description = "Robot id in the topic names.")
  String robotId;

  @Mixin MqttOptions mqtt;

  @Option(names = "--port", defaultValue = "1883",
      description = "Port of the in-process broker when no --broker is given (default ${DEFAULT-VALUE}; 0 = free).")
  int port;

  @Option(names = "--task", defaultValue = "pick-place",
      description = "Task world: pick-place, stack, handover or none (default ${DEFAULT-VALUE}).")
  String task;

  @Option(names = "--seed", defaultValue = "1", description = "Task layout seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--record", paramLabel = "DIR", description = "Record episodes (started by the operator or a control request) into DIR.")
  Path record;

  @Option(names = "--rate", defaultValue = "250", description = "Control rate in Hz (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--camera-rate", defaultValue = "10", description = "Camera rate in Hz, 0 = off (default ${DEFAULT-VALUE}).")
  double cameraRate;

  @Mixin WristCameraOption wristCamera;

  @Option(names = "--source", defaultValue = "teleop",
      description = "Initial action source: teleop, command, replay:EPISODE_ID (default ${DEFAULT-VALUE}).")
  String source;

  @Option(names = "--replay-dir", paramLabel = "DIR",
      description = "Directory of the episodes 'replay:EPISODE_ID' may name; without it replays are refused.")
  Path replayDir;

  @Option(names = "--unattended", description = "Move without an operator's deadman (simulation only: replay, policies).")
  boolean unattended;

  @Option(names = "--sync-operator",
      description = "Phase-lock control ticks to operator frame arrivals (lower latency; ticks stay at least 1/rate apart at most).")
  boolean syncOperator;

  @Option(names = "--console",
      description = "Read console commands from stdin: 'estop', 'reset' (the bridge-side e-stop reset).")
  boolean console;

  @Option(names = "--estop-connection", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "A second MQTT connection (same login) that only latches e-stops (default on). Use"
          + " --no-estop-connection with a broker that allows one connection per user (Mosquitto's"
          + " use_username_as_clientid).")
  boolean estopConnection;

  @Option(names = "--video", description = {"Stream video for people on video/{camera}: a stereo head pair and the wrists,",
      "JPEG, off the control loop (sizes and rate: the --video-* options)."})
  boolean video;

  @Mixin VideoOptions videoOptions;

  @Option(names = "--dashboard", paramLabel = "PORT",
      description = {"Also serve the web dashboard on PORT (see 'optimus dashboard'); the embedded broker then",
          "opens a WebSocket listener for the page (--ws-port), with --broker give --dashboard-broker."})
  Integer dashboard;

  @Option(names = "--ws-port", paramLabel = "PORT", defaultValue = "0",
      description = "The embedded broker's WebSocket port with --dashboard (default ${DEFAULT-VALUE} = any free port).")
  int wsPort;

  @Option(names = "--dashboard-broker", paramLabel = "URL",
      description = "With --broker and --dashboard: that broker's WebSocket URL as the browser reaches it.")
  String dashboardBroker;

  @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
      description = "Stop after this many seconds (0 = run until interrupted).")
  double duration;

  @Override
  public Integer call() throws Exception {
    var videoConfig = video ? videoOptions.config() : null; // a bad option fails before anything starts
    RobotModel model = robot.load();
    RobotRig rig = wristCamera.apply(new RobotRig(model));
    String t = task == null || task.equals("none") ? null : task;
    BridgeConfig config = BridgeConfig.defaults(robotId).withRate(rate).withCamera(cameraRate).withTask(t, seed)
        .withRecordDir(record).withUnattended(unattended).withSource(source).withSyncToOperator(syncOperator)
        .withWorld(world.name());
    EmbeddedBroker embedded = null;
    String url = mqtt.broker();
    if (dashboard != null && url != null && dashboardBroker == null) {
      throw new io.optimus.common.InputException("--dashboard with --broker needs --dashboard-broker ws://HOST:PORT/mqtt"
          + " (that broker's WebSocket listener, as the browser reaches it)");
    }
    if (url == null) {
      embedded = EmbeddedBroker.start(dashboard == null ? BrokerOptions.loopback(port)
          : BrokerOptions.loopback(port).withWebSocket(wsPort));
      url = embedded.url();
      System.err.println("optimus bridge: embedded broker on " + url
          + (embedded.wsUrl() != null ? " and " + embedded.wsUrl() : ""));
    }
    DashboardServer dash = null;
    if (dashboard != null) {
      try {
        dash = DashboardServer.start(new DashboardOptions("127.0.0.1", dashboard,
            embedded != null ? embedded.wsUrl() : dashboardBroker, record != null ? Files.createDirectories(record) : null));
      } catch (RuntimeException e) {
        if (embedded != null) {
          embedded.close();
        }
        throw e;
      }
      System.err.println("optimus bridge: dashboard on " + dash.url());
    }
    RobotBridge bridge;
    try {
      bridge = RobotBridge.builder(rig, config)
          .mqtt(mqtt.settings(url, "bridge-" + robotId))
          .retargeter(new MotionRetargeter(model, rig.home()))
          .replayDir(replayDir)
          .estopConnection(estopConnection)
          .video(videoConfig)
          .start();
    } catch (RuntimeException e) {
      if (dash != null) {
        dash.close();
      }
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
    EmbeddedBroker broker = embedded;
    DashboardServer dashServer = dash;
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      if (dashServer != null) {
        dashServer.close();
      }
      bridge.close();
      var run = bridge.loop().tickTimes().snapshot();
      System.err.printf(Locale.ROOT, "optimus bridge %s, whole run: %d ticks, %d overruns, %d over a period, %d"
              + " reports dropped; tick ms p50/p99 %s; max tick %.1f ms, max off-cpu %.1f ms%n", robotId,
          bridge.loop().ticks(), bridge.loop().overruns(),
          run.countAtLeast(TickTimes.Phase.TICK, (long) (1e9 / bridge.loop().rateHz())),
          bridge.loop().reportsDropped(), run.describe(),
          run.maxMs(TickTimes.Phase.TICK),
          run.maxMs(TickTimes.Phase.OFF_CPU));
      if (broker != null) {
        broker.close();
      }
      stop.countDown();
    }, "bridge-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    System.out.println("bridge " + robotId + " on " + url + " (" + model.name() + ", " + rig.dof() + " joints, "
        + config.world() + " world)");
    System.out.flush();
    if (console) {
      Thread.ofPlatform().daemon().name("bridge-console").start(() -> console(bridge));
    }
    long end = duration > 0 ? System.nanoTime() + (long) (duration * 1e9) : Long.MAX_VALUE;
    long lastTicks = 0;
    long lastNs = System.nanoTime();
    var lastTimes = bridge.loop().tickTimes().snapshot();
    long lastAllocated = bridge.loop().allocatedBytes();
    while (!stop.await(Math.min(5000, Math.max(1, (end - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS)) {
      long now = System.nanoTime();
      if (now >= end) {
        Runtime.getRuntime().removeShutdownHook(hook);
        hook.run();
        break;
      }
      long ticks = bridge.loop().ticks();
      long[] lat = bridge.loop().latency().appliedSorted();
      System.err.printf(Locale.ROOT, "optimus bridge %s: %s, %.0f Hz, %d overruns, %d operator frames (%d invalid),"
              + " latency p50 %.2f ms, task success %s, operator frames refused %s%n",
          robotId, bridge.supervisor().mode().name().replace("CONTROL_MODE_", "").toLowerCase(Locale.ROOT),
          (ticks - lastTicks) / ((now - lastNs) / 1e9), bridge.loop().overruns(), bridge.inbox().acceptedCount(),
          bridge.invalidFrames(), LatencyStats.quantile(lat, 0.5) / 1e6,
          bridge.world() == null ? "-" : String.valueOf(bridge.world().success()),
          bridge.frameDrops().total() == 0 ? "0" : bridge.frameDrops().snapshot().toString());
      var times = bridge.loop().tickTimes().snapshot();
      var window = times.since(lastTimes);
      long allocated = bridge.loop().allocatedBytes();
      System.err.printf(Locale.ROOT, "optimus bridge %s: tick ms p50/p99 %s; ticks over a period %d; loop %s B/tick%n",
          robotId, window.describe(), window.countAtLeast(TickTimes.Phase.TICK,
              (long) (1e9 / bridge.loop().rateHz())), allocated < 0 || lastAllocated < 0 || ticks == lastTicks ? "?"
              : String.valueOf((allocated - lastAllocated) / (ticks - lastTicks)));
      lastTimes = times;
      lastAllocated = allocated;
      lastTicks = ticks;
      lastNs = now;
    }
    if (bridge.loop().crash() != null) {
      throw new IllegalStateException("control loop crashed: " + bridge.loop().crash());
    }
    return 0;
  }

  /** The bridge's local console on stdin: the operator role besides the rig (e-stop and its reset). */
  private static void console(RobotBridge bridge) {
    try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
        java.nio.charset.StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        switch (line.trim()) {
          case "estop" -> {
            bridge.supervisor().estop(System.nanoTime(), "bridge console");
            System.out.println("e-stop latched");
          }
          case "reset" -> {
            String why = bridge.resetEstopLocally("console");
            System.out.println(why == null ? "e-stop reset" : "e-stop reset refused: " + why);
          }
          case "" -> { }
          default -> System.out.println("console commands: estop, reset");
        }
        System.out.flush();
      }
    } catch (java.io.IOException e) {
      // stdin closed: no console
    }
  }
}

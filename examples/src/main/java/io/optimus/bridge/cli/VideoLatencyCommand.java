package io.optimus.bridge.cli;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.video.VideoStreamer;
import io.optimus.cli.RobotOption;
import io.optimus.cli.VideoOptions;
import io.optimus.cli.WorldOption;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.examples.bench.VideoLatencyBench;
import io.optimus.examples.bench.VideoLatencyBench.Result;
import io.optimus.examples.bench.VideoLatencyBench.Ticks;
import io.optimus.motion.model.RobotRig;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code optimus bench video-latency}. */
@Command(name = "video-latency", mixinStandardHelpOptions = true,
    description = {"Robot video on loopback with the embedded broker: stereo head and wrist cameras rendered on the",
        "simulated robot, JPEG-encoded, published, received, decoded and submitted by a stand-in for the headset's",
        "frame loop; prints p50/p99 per stage and end to end, render/encode cost per camera, and the control",
        "loop's tick intervals without and with video."})
public final class VideoLatencyCommand implements Callable<Integer> {
  @Mixin VideoOptions video;

  @Mixin RobotOption robot;

  @Mixin WorldOption world;

  @Option(names = "--seconds", defaultValue = "20", description = "Measured seconds, each phase (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds (default ${DEFAULT-VALUE}).")
  double warmup;

  @Option(names = "--rate", defaultValue = "250", description = "Control rate in Hz (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--display-hz", defaultValue = "90", description = "The headset's frame rate (default ${DEFAULT-VALUE}).")
  double displayHz;

  @Option(names = "--json", description = "Print the results as JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (!(seconds > 0 && seconds <= 3600) || !(warmup >= 0 && warmup <= 600)) {
      throw new InputException("--seconds " + seconds + " / --warmup " + warmup + " is out of range");
    }
    if (!(displayHz >= 1 && displayHz <= 240)) {
      throw new InputException("--display-hz " + displayHz + " is out of range 1-240");
    }
    var v = video.config();
    RobotRig rig = new RobotRig(robot.load());
    BridgeConfig config = BridgeConfig.defaults("video-bench").withRate(rate).withWorld(world.name());
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    Result r;
    try (EmbeddedBroker broker = EmbeddedBroker.start(0)) {
      r = VideoLatencyBench.run(broker.url(), rig, config, v, displayHz, warmup, seconds, System.err::println);
    }
    if (json) {
      System.out.println(Json.write(r));
      return 0;
    }
    System.out.printf(Locale.ROOT, "video latency: %.0f Hz, eyes %s (IPD %.0f mm), wrists %s, JPEG q%d; headset %.0f Hz;"
        + " control %.0f Hz, %s world; %d cores, load average %.1f before, %.1f after%n", v.rateHz(), v.eye(),
        v.ipdM() * 1000, v.wrist() == null ? "off" : v.wrist(), v.jpegQuality(), displayHz, rate, world.name(),
        Runtime.getRuntime().availableProcessors(), loadBefore,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.printf(Locale.ROOT, "%-10s %8s %8s %8s%n", "stage", "frames", "p50 ms", "p99 ms");
    for (VideoLatencyBench.Stage s : r.stages()) {
      System.out.printf(Locale.ROOT, "%-10s %8d %8.2f %8.2f%n", s.name(), s.count(), s.p50Ms(), s.p99Ms());
    }
    System.out.println("render = captured -> rendered, encode = -> JPEG, publish = -> handed to MQTT, transport = ->"
        + " received by the operator's client, decode = -> texture-ready, submit = -> the next headset frame after"
        + " its upload, total = captured on the robot -> submitted");
    System.out.printf(Locale.ROOT, "%-12s %9s %8s %10s %10s %10s %10s %9s %9s %9s %9s %9s %9s%n", "camera",
        "published", "dropped", "render p50", "render p99", "encode p50", "encode p99", "KB p50", "rx drops", "render",
        "encode", "decode", "heap KB");
    System.out.printf(Locale.ROOT, "%-12s %9s %8s %10s %10s %10s %10s %9s %9s %9s %9s %9s %9s%n", "", "", "", "ms", "ms",
        "ms", "ms", "", "", "CPU ms", "CPU ms", "CPU ms", "per frame");
    for (VideoStreamer.CameraStats c : r.cameras()) {
      System.out.printf(Locale.ROOT, "%-12s %9d %8d %10.2f %10.2f %10.2f %10.2f %9.1f %9d %9.2f %9.2f %9.2f %9.0f%n",
          c.camera(),
          c.published(), c.dropped(), c.renderP50Ns() / 1e6, c.renderP99Ns() / 1e6, c.encodeP50Ns() / 1e6,
          c.encodeP99Ns() / 1e6, c.bytesP50() / 1024.0, r.decoderDrops().getOrDefault(c.camera(), 0L),
          c.renderCpuP50Ns() / 1e6, c.encodeCpuP50Ns() / 1e6, r.decodeCpuP50Ns().getOrDefault(c.camera(), -1L) / 1e6,
          c.heapBytesP50() / 1024.0);
    }
    System.out.printf(Locale.ROOT, "video: %d thread(s), JVM: %s%n", v.threads(), jvm());
    System.out.printf(Locale.ROOT, "%-14s %8s %9s %9s %9s %9s %9s %9s %9s %9s %6s %7s%n", "control loop", "ticks",
        "p50 ms", "p99 ms", "max ms", "overruns", "loop CPU%", "loop B", "video", "JVM heap", "GCs", "GC ms");
    System.out.printf(Locale.ROOT, "%-14s %8s %9s %9s %9s %9s %9s %9s %9s %9s %6s %7s%n", "", "", "", "", "", "", "",
        "per tick", "CPU%", "MB/s", "", "");
    tick("without video", r.withoutVideo());
    tick("with video", r.withVideo());
    if (r.rejected() > 0) {
      System.out.println("frames refused by the operator's decoder: " + r.rejected());
    }
    return 0;
  }

  private static void tick(String what, Ticks t) {
    System.out.printf(Locale.ROOT, "%-14s %8d %9.3f %9.3f %9.3f %9d %9.1f %9.0f %9.1f %9.1f %6d %7d%n", what,
        t.ticks(), t.p50Ms(), t.p99Ms(), t.maxMs(), t.overruns(), t.loopCpuPercent(), t.loopBytesPerTick(),
        t.videoCpuPercent(), t.jvmMbPerS(), t.gcCount(), t.gcMs());
  }

  /** The collectors and the largest heap: what the loop's GC pauses depend on. */
  private static String jvm() {
    StringBuilder b = new StringBuilder();
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      b.append(b.isEmpty() ? "" : ", ").append(gc.getName());
    }
    return b + "; max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB";
  }
}

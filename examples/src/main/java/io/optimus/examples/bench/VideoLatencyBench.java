package io.optimus.examples.bench;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.control.ControlLoop;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.sim.SimulatedRobot;
import io.optimus.bridge.video.VideoConfig;
import io.optimus.bridge.video.VideoStreamer;
import io.optimus.common.FramePacer;
import io.optimus.common.SampleRing;
import io.optimus.common.Stamps;
import io.optimus.motion.model.RobotRig;
import io.optimus.proto.v1.JointState;
import io.optimus.teleop.video.VideoFeed;
import io.optimus.teleop.video.VideoLatency;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Video latency on loopback, in this process: a simulated robot (control loop at its rate, the
 * training cameras at theirs) streams its video ({@link VideoStreamer}: stereo head and wrists, JPEG)
 * over its own MQTT connection through the broker at {@code url} to an operator's {@link VideoFeed},
 * which decodes it; a stand-in for the headset's frame loop at {@code displayHz} takes each camera's
 * newest frame, copies it as a texture upload would and stamps it submitted. Also measures the control
 * loop's tick intervals for the same time without video and then with it. Prints nothing.
 */
public final class VideoLatencyBench {
  /** Figures of one stage, ms. */
  public record Stage(String name, long count, double p50Ms, double p99Ms) {}

  /**
   * The control loop's tick intervals, ms, overruns (ticks that started late by a period or more), heap the
   * loop thread allocated per tick, the video threads' CPU (% of one core; 0 without video), the heap the
   * whole JVM allocated per second (what makes collections) and its garbage collections meanwhile (count,
   * ms: stop-the-world pauses stall the loop too).
   */
  public record Ticks(long ticks, double p50Ms, double p99Ms, double maxMs, long overruns, double loopCpuPercent,
      double loopBytesPerTick, double videoCpuPercent, double jvmMbPerS, long gcCount, long gcMs) {}

  public record Result(VideoConfig video, double controlHz, double displayHz, double seconds, List<Stage> stages,
      List<VideoStreamer.CameraStats> cameras, Map<String, Long> decoderDrops, Map<String, Long> decodeCpuP50Ns,
      long rejected, Ticks withoutVideo,
      Ticks withVideo) {}

  private VideoLatencyBench() {}

  /** Records when each tick published its state (every tick). */
  private static final class TickClock implements ControlLoop.Output {
    final SampleRing intervals = new SampleRing(1 << 16);
    volatile boolean on;
    long last;

    @Override
    public void state(JointState s) {
      long now = System.nanoTime();
      if (on && last != 0) {
        intervals.add(now - last);
      }
      last = now;
    }
  }

  public static Result run(String url, RobotRig rig, BridgeConfig config, VideoConfig video, double displayHz,
      double warmupS, double seconds, Consumer<String> progress) throws InterruptedException {
    TickClock clock = new TickClock();
    try (SimulatedRobot robot = SimulatedRobot.builder(rig, config).output(clock).stateEvery(1).build()) {
      robot.start();
      Thread.sleep((long) (warmupS * 1000));
      progress.accept("video-latency: control loop without video, " + seconds + " s");
      Ticks without = ticks(robot, null, clock, seconds);

      String id = config.robotId();
      try (MqttEndpoint robotMqtt = MqttEndpoint.connect(MqttSettings.of(url, "bridge-" + id + "-video"));
          MqttEndpoint operator = MqttEndpoint.connect(MqttSettings.of(url, "op-video-bench"), null,
              VideoFeed.MAX_PAYLOAD_BYTES + 1024)) {
        VideoStreamer streamer = new VideoStreamer(robot, video,
            f -> robotMqtt.publishStream(Topics.video(id, f.getCameraName()), f));
        VideoFeed feed = new VideoFeed(operator, id, streamer.cameraNames());
        int bytes = 4 * Math.max(video.eye().width() * video.eye().height(),
            video.wrist() == null ? 0 : video.wrist().width() * video.wrist().height());
        Display display = new Display(feed, streamer.cameraNames(), displayHz, bytes);
        try {
          streamer.start();
          display.thread.start();
          progress.accept("video-latency: warming up with video " + streamer.cameraNames() + ", " + warmupS + " s");
          Thread.sleep((long) (warmupS * 1000));
          feed.latency().clear();
          progress.accept("video-latency: control loop with video, " + seconds + " s");
          Ticks with = ticks(robot, streamer, clock, seconds);
          List<Stage> stages = feed.latency().all().entrySet().stream()
              .map(e -> new Stage(e.getKey().name().toLowerCase(java.util.Locale.ROOT), e.getValue().count(),
                  e.getValue().p50Ns() / 1e6, e.getValue().p99Ns() / 1e6))
              .toList();
          Map<String, Long> drops = new HashMap<>();
          Map<String, Long> decodeCpu = new HashMap<>();
          for (String c : streamer.cameraNames()) {
            drops.put(c, feed.dropped(c));
            decodeCpu.put(c, feed.decodeCpuP50Ns(c));
          }
          return new Result(video, config.controlRateHz(), displayHz, seconds, stages, streamer.stats(), drops,
              decodeCpu, feed.rejected(), without, with);
        } finally {
          display.stop();
          streamer.close();
          feed.close();
        }
      }
    }
  }

  private static Ticks ticks(SimulatedRobot robot, VideoStreamer video, TickClock clock, double seconds)
      throws InterruptedException {
    clock.intervals.clear();
    long overruns0 = robot.loop().overruns();
    long cpu0 = robot.loop().cpuNanos();
    long ticks0 = robot.loop().ticks();
    long alloc0 = robot.loop().allocatedBytes();
    long video0 = video == null ? 0 : video.cpuNanos();
    long heap0 = jvmAllocated();
    long[] gc0 = gc();
    long t0 = System.nanoTime();
    clock.on = true;
    Thread.sleep((long) (seconds * 1000));
    clock.on = false;
    long wall = System.nanoTime() - t0;
    long cpu = robot.loop().cpuNanos() - cpu0;
    long ticked = robot.loop().ticks() - ticks0;
    double bytesPerTick = alloc0 < 0 || ticked == 0 ? Double.NaN
        : (robot.loop().allocatedBytes() - alloc0) / (double) ticked;
    double videoCpu = video == null ? 0 : 100.0 * (video.cpuNanos() - video0) / wall;
    double mbPerS = heap0 < 0 ? Double.NaN : (jvmAllocated() - heap0) / 1e6 / (wall / 1e9);
    long[] gc1 = gc();
    long[] s = clock.intervals.sorted();
    return new Ticks(s.length, SampleRing.quantile(s, 0.5) / 1e6, SampleRing.quantile(s, 0.99) / 1e6,
        s.length == 0 ? Double.NaN : s[s.length - 1] / 1e6, robot.loop().overruns() - overruns0,
        cpu0 < 0 ? Double.NaN : 100.0 * cpu / wall, bytesPerTick, videoCpu, mbPerS, gc1[0] - gc0[0],
        gc1[1] - gc0[1]);
  }

  /** Heap every thread of this JVM allocated so far (bytes), -1 where the JVM does not tell. */
  private static long jvmAllocated() {
    return java.lang.management.ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
        && t.isThreadAllocatedMemoryEnabled() ? t.getTotalThreadAllocatedBytes() : -1;
  }

  /** Collections so far and their accumulated time (ms), every collector. */
  private static long[] gc() {
    long n = 0;
    long ms = 0;
    for (var b : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, b.getCollectionCount());
      ms += Math.max(0, b.getCollectionTime());
    }
    return new long[] {n, ms};
  }

  /** The headset's frame loop, standing in: each display frame uploads every camera's new frame and submits. */
  private static final class Display {
    final VideoFeed feed;
    final List<String> cameras;
    final Thread thread;
    final long[] shownSequence;
    final ByteBuffer texture;
    volatile boolean running = true;

    Display(VideoFeed feed, List<String> cameras, double hz, int textureBytes) {
      this.feed = feed;
      this.texture = ByteBuffer.allocateDirect(textureBytes);
      this.cameras = cameras;
      this.shownSequence = new long[cameras.size()];
      FramePacer pacer = new FramePacer(hz);
      this.thread = Thread.ofPlatform().daemon().name("display").unstarted(() -> {
        while (pacer.awaitWhile(() -> running, () -> false) >= 0) {
          frame();
        }
      });
    }

    void frame() {
      VideoFeed.Shown[] shown = new VideoFeed.Shown[cameras.size()];
      for (int i = 0; i < shown.length; i++) {
        VideoFeed.Shown s = feed.take(cameras.get(i));
        if (s == null) {
          continue;
        }
        if (s.sequence() != shownSequence[i] && s.rgba().remaining() <= texture.capacity()) {
          texture.clear();
          texture.put(s.rgba().duplicate()); // what glTexSubImage2D copies
          shownSequence[i] = s.sequence();
          shown[i] = s;
        }
        s.close();
      }
      long mono = System.nanoTime(); // xrEndFrame would return here
      long wall = Stamps.wallNanos();
      for (VideoFeed.Shown s : shown) {
        if (s != null) {
          feed.submitted(s, mono, wall);
        }
      }
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join(2000);
    }
  }
}

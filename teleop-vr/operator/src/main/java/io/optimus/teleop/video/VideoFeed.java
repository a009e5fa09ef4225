package io.optimus.teleop.video;

import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.common.InputException;
import io.optimus.common.Stamps;
import io.optimus.proto.v1.VideoFrame;
import io.optimus.proto.v1.VideoStages;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The robot's video on the operator's side: subscribes to {@code video/{camera}}, and decodes each camera's
 * newest frame on that camera's own thread (never on the MQTT thread or the headset's frame loop) into
 * a texture-ready buffer ({@link VideoImage}). A frame arriving before the previous one of its camera
 * was decoded replaces it (dropped, counted); bad frames are refused with a one-line error (counted,
 * logged at most every 10 s per camera) and the stream goes on. The headset takes the newest decoded
 * frame of a camera with {@link #take}, uploads it, gives it back with {@link Shown#close()}, and
 * reports what it submitted with {@link #submitted}, which feeds {@link #latency()}.
 */
public final class VideoFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VideoFeed.class);
  /** A JPEG eye of 4096x4096 fits well inside; larger payloads are dropped before parsing. */
  public static final int MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;
  /** Cameras decoded at most (names come from topics: a stranger must not make us start threads without end). */
  public static final int MAX_CAMERAS = 8;
  private static final long LOG_EVERY_NS = 10_000_000_000L;
  private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

  /** A decoded frame as the headset shows it: metadata and its RGBA rows (bottom-up), valid until closed. */
  public record Shown(String camera, String eye, long sequence, int width, int height, double verticalFovRad,
      ByteBuffer rgba, VideoStages stages, long receivedMono, long receivedWall, long decodedMono, Runnable release)
      implements AutoCloseable {
    @Override
    public void close() {
      release.run();
    }
  }

  private final String robotId;
  private final Map<String, Camera> cameras = new ConcurrentHashMap<>();
  private final VideoLatency latency = new VideoLatency(4096);
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong ignoredCameras = new AtomicLong();
  private volatile String lastError;
  private volatile boolean closed;

  /** The cameras a headset shows: the stereo pair, then the wrists. */
  public static final List<String> CAMERAS = List.of("head_left", "head_right", "left_wrist", "right_wrist");

  /** Subscribes to {@code robotId}'s {@link #CAMERAS} on {@code mqtt} (which the caller keeps and closes). */
  public VideoFeed(MqttEndpoint mqtt, String robotId) {
    this(mqtt, robotId, CAMERAS);
  }

  /**
   * Subscribes to {@code cameras} of {@code robotId}, one topic each: the camera is named by the topic it
   * came on, and only these get a decoder.
   */
  public VideoFeed(MqttEndpoint mqtt, String robotId, List<String> cameras) {
    this.robotId = Topics.checkId("robot", robotId);
    for (String c : cameras) {
      mqtt.subscribeRaw(Topics.video(robotId, c), MqttEndpoint.QOS_STREAM, MAX_PAYLOAD_BYTES,
          (topic, payload) -> arrived(c, payload));
    }
  }

  /** A payload from the topic of {@code camera} (MQTT thread: stamp, hand over, return). */
  void arrived(String camera, byte[] payload) {
    long mono = System.nanoTime();
    long wall = Stamps.wallNanos();
    if (closed) {
      return;
    }
    Camera c = cameras.get(camera);
    if (c == null) {
      synchronized (cameras) {
        c = cameras.get(camera);
        if (c == null) {
          if (cameras.size() >= MAX_CAMERAS) {
            ignoredCameras.incrementAndGet();
            return;
          }
          c = new Camera(camera);
          cameras.put(camera, c);
        }
      }
    }
    c.offer(new Arrival(payload, mono, wall));
  }

  private record Arrival(byte[] payload, long mono, long wall) {}

  /** One camera: its newest undecoded payload, its decoding thread and three texture buffers. */
  private final class Camera {
    final String name;
    final VideoImage decoder;
    final Thread thread;
    final java.util.concurrent.atomic.AtomicReference<Arrival> pending = new java.util.concurrent.atomic.AtomicReference<>();
    final AtomicLong decoded = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final io.optimus.common.SampleRing cpuNs = new io.optimus.common.SampleRing(4096);
    // texture buffers: the newest decoded one, the one the headset holds, and one to decode into
    final ByteBuffer[] buffers = new ByteBuffer[3];
    final Shown[] frames = new Shown[3];
    int latest = -1;
    int held = -1;
    long lastLogNs = Long.MIN_VALUE;
    long unlogged;

    Camera(String name) {
      this.name = name;
      this.decoder = new VideoImage(name);
      // below the headset's frame loop (see VideoStreamer on priorities)
      this.thread = Thread.ofPlatform().daemon().priority(Thread.MIN_PRIORITY).name("video-decode-" + name)
          .start(this::run);
    }

    void offer(Arrival a) {
      if (pending.getAndSet(a) != null) {
        dropped.incrementAndGet();
      }
      LockSupport.unpark(thread);
    }

    void run() {
      while (!closed) {
        Arrival a = pending.getAndSet(null);
        if (a == null) {
          LockSupport.park(this);
          continue;
        }
        long c0 = CPU.getCurrentThreadCpuTime();
        try {
          decode(a);
          cpuNs.add(CPU.getCurrentThreadCpuTime() - c0);
        } catch (InputException e) {
          refused(e.getMessage());
        } catch (RuntimeException | OutOfMemoryError e) {
          refused("video " + name + ": " + e);
        }
      }
    }

    private void decode(Arrival a) {
      VideoFrame f = decoder.parse(a.payload());
      int bytes = f.getWidth() * f.getHeight() * 4;
      int slot;
      synchronized (this) {
        slot = 0;
        while (slot == latest || slot == held) {
          slot++;
        }
      }
      if (buffers[slot] == null || buffers[slot].capacity() < bytes) {
        buffers[slot] = ByteBuffer.allocateDirect(bytes);
      }
      decoder.decode(f, buffers[slot]);
      int s = slot;
      Shown shown = new Shown(name, f.getEye(), f.getSequence(), f.getWidth(), f.getHeight(),
          VideoImage.verticalFov(f), buffers[slot].duplicate(), f.getStages(), a.mono(), a.wall(), System.nanoTime(),
          () -> release(s));
      synchronized (this) {
        frames[slot] = shown;
        latest = slot;
      }
      decoded.incrementAndGet();
    }

    synchronized Shown take() {
      if (latest < 0) {
        return null;
      }
      held = latest;
      return frames[held];
    }

    synchronized void release(int slot) {
      if (held == slot) {
        held = -1;
      }
    }

    void refused(String message) {
      rejected.incrementAndGet();
      lastError = message;
      long now = System.nanoTime();
      if (lastLogNs == Long.MIN_VALUE || now - lastLogNs >= LOG_EVERY_NS) {
        LOG.warn("{}{}", message, unlogged > 0 ? " (and " + unlogged + " more refused frames since the last report)" : "");
        lastLogNs = now;
        unlogged = 0;
      } else {
        unlogged++;
      }
    }
  }

  /**
   * The newest decoded frame of {@code camera}, held for the caller until it closes it (the decoder
   * writes elsewhere meanwhile); null before the first. Hold at most one frame of a camera at a time.
   */
  public Shown take(String camera) {
    Camera c = cameras.get(camera);
    return c == null ? null : c.take();
  }

  /** The headset submitted {@code f} in a frame (after xrEndFrame) at these instants. */
  public void submitted(Shown f, long submittedMono, long submittedWall) {
    latency.add(f.stages(), f.receivedMono(), f.receivedWall(), f.decodedMono(), submittedMono, submittedWall);
  }

  public VideoLatency latency() {
    return latency;
  }

  public String robotId() {
    return robotId;
  }

  /** Cameras seen so far. */
  public List<String> cameras() {
    return cameras.keySet().stream().sorted().toList();
  }

  /** Frames of {@code camera} decoded so far. */
  public long decoded(String camera) {
    Camera c = cameras.get(camera);
    return c == null ? 0 : c.decoded.get();
  }

  /** Frames of {@code camera} replaced before they were decoded. */
  public long dropped(String camera) {
    Camera c = cameras.get(camera);
    return c == null ? 0 : c.dropped.get();
  }

  /** Median CPU time of decoding one frame of {@code camera} (parse, JPEG, texture rows), ns; -1 before any. */
  public long decodeCpuP50Ns(String camera) {
    Camera c = cameras.get(camera);
    return c == null ? -1 : c.cpuNs.quantile(0.5);
  }

  /** Frames refused as bad, all cameras. */
  public long rejected() {
    return rejected.get();
  }

  /** Frames of cameras beyond {@link #MAX_CAMERAS}, ignored. */
  public long ignoredCameras() {
    return ignoredCameras.get();
  }

  /** The last refusal's one-line reason, or null. */
  public String lastError() {
    return lastError;
  }

  @Override
  public void close() {
    closed = true;
    for (Camera c : cameras.values()) {
      LockSupport.unpark(c.thread);
      try {
        c.thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}

package io.optimus.bridge.video;

import io.optimus.bridge.sim.SimulatedRobot;
import io.optimus.bridge.world.CameraRenderer;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.common.FramePacer;
import io.optimus.common.SampleRing;
import io.optimus.common.Stamps;
import io.optimus.motion.geometry.proto.Pose3Proto;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.CameraSize;
import io.optimus.motion.model.RobotRig;
import io.optimus.proto.v1.CameraIntrinsics;
import io.optimus.proto.v1.ImageEncoding;
import io.optimus.proto.v1.Timestamp;
import io.optimus.proto.v1.VideoFrame;
import io.optimus.proto.v1.VideoStages;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The robot's video for people, off the control loop: a pacer thread takes a snapshot of the robot
 * ({@link SimulatedRobot#snapshot}: the last tick's measured pose and a copy of the objects) at the
 * video rate and hands it to {@link VideoConfig#threads()} worker threads, each of which renders and
 * encodes its share of the cameras (the head's stereo pair "head_left" and "head_right",
 * {@link VideoConfig#ipdM()} apart, then the wrists') one after the other, each with its own
 * {@link CameraRenderer} and image, and passes each {@link VideoFrame} to the sink. Few threads, not
 * one per camera: on a small machine video then takes at most that many cores at once and the control
 * loop finds one free. A worker still busy when the next snapshot comes skips it: the newest snapshot
 * waits, older ones are dropped and counted, so nothing queues and the control loop only ever pays for
 * one copy of its joint positions per round. A frame allocates next to no pixels: the image and the
 * JPEG buffer are reused (see {@link JpegEncoder}).
 */
public final class VideoStreamer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VideoStreamer.class);
  public static final String LEFT_EYE = "head_left";
  public static final String RIGHT_EYE = "head_right";
  private static final int STATS = 4096;
  private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

  /** Heap this thread allocated so far (-1 where the JVM does not tell): the video's garbage is the loop's GC pauses. */
  private static long allocated() {
    return CPU instanceof com.sun.management.ThreadMXBean t ? t.getCurrentThreadAllocatedBytes() : -1;
  }

  /**
   * Where finished frames go (a worker's thread; publish and return). The frame's image data is the
   * encoder's buffer, valid only during the call: serialize the frame (as a publish does) or copy it to
   * keep it.
   */
  @FunctionalInterface
  public interface Sink {
    void frame(VideoFrame frame);
  }

  /** A round's state, shared read-only by the workers; reused once none holds it. */
  private static final class Snapshot {
    final KinematicsData kin;
    final TaskWorld objects;
    final AtomicInteger holders = new AtomicInteger();
    long sequence;
    Timestamp captured;

    Snapshot(RobotRig rig, TaskWorld objects) {
      this.kin = rig.kinematics().newData();
      rig.placeBase(kin);
      this.objects = objects;
    }
  }

  private final SimulatedRobot robot;
  private final VideoConfig config;
  private final Sink sink;
  private final Camera[] cameras;
  private final Worker[] workers;
  private final Snapshot[] snapshots;
  private final long periodNs;
  private final AtomicLong rounds = new AtomicLong();
  private final AtomicLong skippedRounds = new AtomicLong();
  private volatile boolean closed;
  private Thread pacer;

  /** Builds the cameras of {@code config} on {@code robot}'s rig; {@link #start()} starts the threads. */
  public VideoStreamer(SimulatedRobot robot, VideoConfig config, Sink sink) {
    this.robot = robot;
    this.config = config;
    this.sink = sink;
    RobotRig rig = robot.rig();
    String robotId = robot.config().robotId();
    List<Camera> cs = new ArrayList<>();
    for (RobotRig.Camera c : rig.cameras()) {
      if (c.name().equals("head")) {
        RobotRig.Camera eye = sized(c, config.eye());
        cs.add(new Camera(CameraRenderer.forVideo(rig, rename(eye, LEFT_EYE), robotId, -config.ipdM() / 2), "left"));
        cs.add(new Camera(CameraRenderer.forVideo(rig, rename(eye, RIGHT_EYE), robotId, config.ipdM() / 2), "right"));
      } else if (config.wrist() != null) {
        cs.add(new Camera(CameraRenderer.forVideo(rig, sized(c, config.wrist()), robotId, 0), ""));
      }
    }
    if (cs.isEmpty()) {
      throw new IllegalArgumentException("model " + rig.model().name() + " has no camera to stream video from");
    }
    this.cameras = cs.toArray(Camera[]::new);
    // camera i to worker i mod n: with two, each takes one eye and one wrist
    int n = Math.min(config.threads(), cameras.length);
    this.workers = new Worker[n];
    for (int w = 0; w < n; w++) {
      List<Camera> mine = new ArrayList<>();
      for (int i = w; i < cameras.length; i += n) {
        mine.add(cameras[i]);
      }
      workers[w] = new Worker(w, mine.toArray(Camera[]::new));
    }
    this.snapshots = new Snapshot[2 * workers.length + 2]; // each worker holds one and has one waiting, +1 filling
    for (int i = 0; i < snapshots.length; i++) {
      snapshots[i] = new Snapshot(rig, robot.newObjectsView());
    }
    this.periodNs = (long) (1e9 / config.rateHz());
  }

  private static RobotRig.Camera sized(RobotRig.Camera c, CameraSize s) {
    return new RobotRig.Camera(c.name(), c.link(), s.width(), s.height(), s.focal(), s.verticalFovRad());
  }

  private static RobotRig.Camera rename(RobotRig.Camera c, String name) {
    return new RobotRig.Camera(name, c.link(), c.width(), c.height(), c.focal(), c.verticalFovRad());
  }

  /** The cameras streamed, by topic name: head_left, head_right, then the wrists'. */
  public List<String> cameraNames() {
    List<String> n = new ArrayList<>();
    for (Camera c : cameras) {
      n.add(c.renderer.name());
    }
    return n;
  }

  public VideoConfig config() {
    return config;
  }

  public VideoStreamer start() {
    String id = robot.config().robotId();
    for (Worker w : workers) {
      // below the control loop (MAX_PRIORITY): the JVM maps priorities to nice values with -XX:ThreadPriorityPolicy=1
      w.thread = Thread.ofPlatform().daemon().priority(Thread.MIN_PRIORITY).name("video-" + id + "-" + w.index)
          .start(w::run);
    }
    // the pacer's work is tiny (a snapshot: ~0.1 ms); at the loop's priority it is not descheduled while it holds
    // the task world's lock for the objects' copy, which the loop's physics step waits for
    pacer = Thread.ofPlatform().daemon().priority(Thread.MAX_PRIORITY).name("video-pacer-" + id).start(this::pace);
    return this;
  }

  private void pace() {
    FramePacer p = FramePacer.ofPeriod(periodNs);
    while (p.awaitWhile(() -> !closed, () -> false) >= 0) {
      try {
        round();
      } catch (RuntimeException e) {
        LOG.error("video of {} failed; it stops", robot.config().robotId(), e);
        return;
      }
    }
  }

  /** One round: a snapshot for every worker (replacing one still waiting: those frames are dropped). */
  void round() {
    if (robot.loop().ticks() == 0) {
      return; // nothing measured yet: the robot's pose is unknown
    }
    Snapshot s = free();
    if (s == null) {
      skippedRounds.incrementAndGet();
      return;
    }
    s.captured = Stamps.now();
    robot.snapshot(s.kin, s.objects);
    s.kin.linkQuats(); // computed here, once: the workers only read the snapshot
    s.sequence = rounds.incrementAndGet();
    s.holders.set(workers.length);
    for (Worker w : workers) {
      Snapshot old = w.next.getAndSet(s);
      if (old != null) {
        for (Camera c : w.cameras) {
          c.dropped.incrementAndGet();
        }
        old.holders.decrementAndGet();
      }
      LockSupport.unpark(w.thread);
    }
  }

  private Snapshot free() {
    for (Snapshot s : snapshots) {
      if (s.holders.get() == 0) {
        return s;
      }
    }
    return null;
  }

  /** One camera: its renderer (and image), what it did so far. Used by one worker thread. */
  private final class Camera {
    final CameraRenderer renderer;
    final String eye;
    final AtomicLong published = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final SampleRing renderNs = new SampleRing(STATS);
    final SampleRing encodeNs = new SampleRing(STATS);
    final SampleRing bytes = new SampleRing(STATS);
    final SampleRing renderCpuNs = new SampleRing(STATS);
    final SampleRing encodeCpuNs = new SampleRing(STATS);
    final SampleRing heapBytes = new SampleRing(STATS);
    final double[] lens = new double[3];
    final double[] quat = new double[4];
    BufferedImage rgb; // the renderer's image read as R, G, B

    Camera(CameraRenderer renderer, String eye) {
      this.renderer = renderer;
      this.eye = eye;
    }

    void frame(Snapshot s, JpegEncoder jpeg) {
      long t0 = System.nanoTime();
      long a0 = allocated();
      long c0 = CPU.getCurrentThreadCpuTime();
      BufferedImage image = renderer.renderImage(s.kin, s.objects);
      if (rgb == null) {
        rgb = JpegEncoder.rgbView(image); // the same image every frame
      }
      Timestamp rendered = Stamps.now();
      long c1 = CPU.getCurrentThreadCpuTime();
      var data = jpeg.encodeShared(rgb);
      Timestamp encoded = Stamps.now();
      long c2 = CPU.getCurrentThreadCpuTime();
      renderCpuNs.add(c1 - c0); // CPU time: what a frame costs even when the machine is shared
      encodeCpuNs.add(c2 - c1);
      renderNs.add(rendered.getMonotonicNs() - t0);
      encodeNs.add(encoded.getMonotonicNs() - rendered.getMonotonicNs());
      bytes.add(data.size());
      renderer.lensPosition(lens);
      s.kin.linkQuat(renderer.camera().link(), quat, 0);
      VideoFrame f = VideoFrame.newBuilder()
          .setSchemaVersion(1)
          .setRobotId(robot.config().robotId())
          .setCameraName(renderer.name())
          .setEye(eye)
          .setSequence(s.sequence)
          .setEncoding(ImageEncoding.IMAGE_ENCODING_JPEG)
          .setWidth(renderer.width())
          .setHeight(renderer.height())
          .setData(data) // the encoder's buffer: the sink serializes (copies) it before the next frame
          .setIntrinsics(CameraIntrinsics.newBuilder().setFx(renderer.focal()).setFy(renderer.focal())
              .setCx(renderer.width() / 2.0).setCy(renderer.height() / 2.0).setDistortionModel("none"))
          .setCameraPose(Pose3Proto.toProto(lens, 0, quat, 0))
          .setStages(VideoStages.newBuilder().setCaptured(s.captured).setRendered(rendered).setEncoded(encoded)
              .setPublished(Stamps.now()))
          .build();
      sink.frame(f);
      heapBytes.add(allocated() - a0);
      published.incrementAndGet();
    }
  }

  /** One worker thread: renders, encodes and hands over its cameras' views of the newest snapshot, in turn. */
  private final class Worker {
    final int index;
    final Camera[] cameras;
    final AtomicReference<Snapshot> next = new AtomicReference<>();
    volatile Thread thread;
    volatile long cpuAtExitNs = -1; // the thread's CPU time once it has ended (a dead thread's is unknown)

    Worker(int index, Camera[] cameras) {
      this.index = index;
      this.cameras = cameras;
    }

    void run() {
      try (JpegEncoder jpeg = new JpegEncoder(config.jpegQuality())) {
        loop(jpeg);
      } finally {
        cpuAtExitNs = CPU.getCurrentThreadCpuTime();
      }
    }

    private void loop(JpegEncoder jpeg) {
      while (!closed) {
        Snapshot s = next.getAndSet(null);
        if (s == null) {
          LockSupport.park(this);
          continue;
        }
        Camera current = null;
        try {
          for (Camera c : cameras) {
            current = c;
            c.frame(s, jpeg);
          }
        } catch (RuntimeException e) {
          LOG.error("video camera {} failed; its thread stops", current.renderer.name(), e);
          return;
        } finally {
          s.holders.decrementAndGet();
        }
      }
    }
  }

  /**
   * What one camera's stream did so far: frames handed to the sink, frames dropped, wall and CPU time
   * per frame of rendering and of encoding (ns), JPEG bytes, heap allocated per frame (render to publish).
   */
  public record CameraStats(String camera, long published, long dropped, long renderP50Ns, long renderP99Ns,
      long encodeP50Ns, long encodeP99Ns, long bytesP50, long renderCpuP50Ns, long encodeCpuP50Ns,
      long heapBytesP50) {}

  public List<CameraStats> stats() {
    List<CameraStats> out = new ArrayList<>();
    for (Camera c : cameras) {
      long[] r = c.renderNs.sorted();
      long[] e = c.encodeNs.sorted();
      out.add(new CameraStats(c.renderer.name(), c.published.get(), c.dropped.get(), SampleRing.quantile(r, 0.5),
          SampleRing.quantile(r, 0.99), SampleRing.quantile(e, 0.5), SampleRing.quantile(e, 0.99),
          c.bytes.quantile(0.5), c.renderCpuNs.quantile(0.5), c.encodeCpuNs.quantile(0.5), c.heapBytes.quantile(0.5)));
    }
    return out;
  }

  /** Snapshots taken so far (rounds). */
  public long rounds() {
    return rounds.get();
  }

  /** Rounds skipped because every snapshot buffer was still in use. */
  public long skippedRounds() {
    return skippedRounds.get();
  }

  /** Worker threads rendering and encoding. */
  public int threads() {
    return workers.length;
  }

  /** CPU time the video's worker threads used so far (after close too), ns; -1 when the JVM does not tell. */
  public long cpuNanos() {
    if (!CPU.isThreadCpuTimeSupported()) {
      return -1;
    }
    long sum = 0;
    for (Worker w : workers) {
      long atExit = w.cpuAtExitNs;
      sum += atExit >= 0 ? atExit : w.thread == null ? 0 : Math.max(0, CPU.getThreadCpuTime(w.thread.threadId()));
    }
    return sum;
  }

  @Override
  public void close() {
    closed = true;
    List<Thread> threads = new ArrayList<>();
    if (pacer != null) {
      threads.add(pacer);
    }
    for (Worker w : workers) {
      if (w.thread != null) {
        threads.add(w.thread);
      }
    }
    for (Thread t : threads) {
      LockSupport.unpark(t);
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}

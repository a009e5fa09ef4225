package io.optimus.motion.record;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.optimus.common.BuildInfo;
import io.optimus.motion.record.mcap.McapWriter;
import io.optimus.proto.foxglove.RawImage;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.EpisodeOutcomeRecord;
import io.optimus.proto.v1.Timestamp;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one episode into one MCAP file, fed from a 250-500 Hz control loop.
 *
 * <p>The {@code write...} methods are thread-safe, never block on I/O and never throw: they put the
 * message in a bounded queue (allocation-free) and return false when it is full, counting a drop. A
 * writer thread serializes, chunks (zstd) and writes; it closes a chunk at least every
 * {@link Options#flushNanos} (and every {@link Options#chunkBytes}), so a killed process loses at most
 * that much. On an I/O error (disk full, directory gone) recording stops: {@link #state()} becomes
 * FAILED, {@link #error()} says why, further writes are counted as drops, the file is cut back to its
 * last complete chunk and finished with a summary where the disk still allows (else it stays
 * recoverable with {@code optimus dataset recover}); a file that holds no chunk yet is removed. The
 * listener is told last, when {@link #finish()} no longer blocks.
 *
 * <p>Log time of each message is the recorder's clock at {@code write} (Unix epoch ns, advanced by
 * the monotonic clock so it never goes backwards); publish time is the message's own stamp (wall ns)
 * when it has one.
 */
public final class EpisodeWriter implements EpisodeSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EpisodeWriter.class);
  private static final int BATCH = 256;

  public enum State { RECORDING, FINISHED, FAILED }

  /**
   * Told how a recording ended: on the writer thread once it is done (on the caller's thread when the
   * file could not even be created), so {@link #finish()} returns at once from here. Keep it short.
   */
  public interface Listener {
    default void onFailure(Path file, String error) {}

    default void onFinished(EpisodeSummary summary) {}
  }

  /**
   * Queue capacity (messages) and byte budget (serialized bytes queued), chunk flush period,
   * uncompressed chunk bound, zstd level, fsync after each chunk, nominal rates (Hz) by topic for
   * gap detection (defaults from the header: control rate for /state, each camera's rate), and
   * whether each camera frame is also written as a Foxglove image ({@link EpisodeTopics#cameraImage},
   * built on the writer thread, sharing the frame's pixel bytes) so Foxglove's Image panel can show
   * the recording. Defaults: 16384 messages, 256 MiB, 0.5 s, 8 MiB, level 3, fsync, Foxglove images on.
   */
  public record Options(int queueCapacity, long queueBytes, long flushNanos, int chunkBytes, int zstdLevel,
      boolean fsync, Map<String, Double> nominalRates, boolean foxgloveImages) {
    public Options {
      if (queueCapacity < 16) {
        throw new IllegalArgumentException("queueCapacity must be at least 16");
      }
      if (queueBytes < 1 << 16) {
        throw new IllegalArgumentException("queueBytes must be at least 64 KiB");
      }
      if (flushNanos <= 0) {
        throw new IllegalArgumentException("flushNanos must be positive");
      }
      nominalRates = Map.copyOf(nominalRates);
    }

    public static Options defaults() {
      return new Options(16384, 256L << 20, TimeUnit.MILLISECONDS.toNanos(500), 8 << 20, 3, true, Map.of(), true);
    }

    public Options withFlushNanos(long nanos) {
      return new Options(queueCapacity, queueBytes, nanos, chunkBytes, zstdLevel, fsync, nominalRates, foxgloveImages);
    }

    public Options withQueueBytes(long maxBytes) {
      return new Options(queueCapacity, maxBytes, flushNanos, chunkBytes, zstdLevel, fsync, nominalRates, foxgloveImages);
    }

    public Options withQueueCapacity(int capacity) {
      return new Options(capacity, queueBytes, flushNanos, chunkBytes, zstdLevel, fsync, nominalRates, foxgloveImages);
    }

    public Options withFsync(boolean f) {
      return new Options(queueCapacity, queueBytes, flushNanos, chunkBytes, zstdLevel, f, nominalRates, foxgloveImages);
    }

    public Options withZstdLevel(int level) {
      return new Options(queueCapacity, queueBytes, flushNanos, chunkBytes, level, fsync, nominalRates, foxgloveImages);
    }

    public Options withNominalRate(String topic, double hz) {
      Map<String, Double> m = new HashMap<>(nominalRates);
      m.put(topic, hz);
      return new Options(queueCapacity, queueBytes, flushNanos, chunkBytes, zstdLevel, fsync, m, foxgloveImages);
    }

    /** Off: camera frames are recorded only as optimus.v1.CameraFrame (smaller files, no Image panel). */
    public Options withFoxgloveImages(boolean on) {
      return new Options(queueCapacity, queueBytes, flushNanos, chunkBytes, zstdLevel, fsync, nominalRates, on);
    }
  }

  private final Path file;
  private final EpisodeHeader header;
  private final Options options;
  private final Listener listener;
  private final RecordQueue queue;
  private final long wallAtStart;
  private final long monoAtStart;
  private final Map<String, LongAdder> drops = new ConcurrentHashMap<>();
  private final Map<String, String> cameraTopics = new ConcurrentHashMap<>();
  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread thread;
  private volatile State state = State.RECORDING;
  private volatile String error;
  private volatile boolean stopRequested;
  private volatile EpisodeOutcome outcome = EpisodeOutcome.EPISODE_OUTCOME_UNSPECIFIED;
  private volatile String outcomeNotes = "";
  private volatile boolean taskSuccess;
  private volatile long writerCpuNanos = -1;
  private volatile EpisodeSummary summary;
  private final LongAdder accepted = new LongAdder();

  // Writer-thread state.
  private McapWriter mcap;
  private final EpisodeChannels channels;
  private final EpisodeViews.Factory viewsFactory;
  private EpisodeViews views;
  private final EpisodeViews.Out viewsOut = this::writeDerived;
  private final Map<String, String> rawViewTopics = new HashMap<>(); // camera topic -> its RawImage view topic
  private final Map<String, String> compressedViewTopics = new HashMap<>();
  private final Set<String> unviewableWarned = new HashSet<>();
  private byte[] serialized = new byte[64 * 1024];
  private long lastFlushNanos;
  private long lastLogTime;

  private EpisodeWriter(Path file, EpisodeHeader header, Options options, Listener listener,
      EpisodeViews.Factory views) {
    this.file = file;
    this.viewsFactory = views;
    this.header = header;
    this.options = options;
    this.listener = listener == null ? new Listener() {} : listener;
    this.queue = new RecordQueue(options.queueCapacity(), options.queueBytes());
    this.channels = new EpisodeChannels(header, options.nominalRates());
    Instant now = Instant.now();
    this.monoAtStart = System.nanoTime();
    this.wallAtStart = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    this.thread = new Thread(this::run, "episode-writer-" + file.getFileName());
    this.thread.setDaemon(true);
  }

  /**
   * Creates {@code file} (must not exist) and starts recording. Never throws for I/O: if the file
   * cannot be created the writer is returned already FAILED with the reason in {@link #error()}.
   * Header fields left empty are filled: start time, software version, schema version.
   */
  public static EpisodeWriter start(Path file, EpisodeHeader header, Options options, Listener listener) {
    return start(file, header, options, listener, null);
  }

  /**
   * As {@link #start(Path, EpisodeHeader, Options, Listener)}, with {@code views} (may be null)
   * deriving further messages on the writer thread ({@link EpisodeViews}).
   */
  public static EpisodeWriter start(Path file, EpisodeHeader header, Options options, Listener listener,
      EpisodeViews.Factory views) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(header, "header");
    EpisodeHeader.Builder h = header.toBuilder();
    if (h.getSchemaVersion() == 0) {
      h.setSchemaVersion(1);
    }
    if (!h.hasStart()) {
      Instant now = Instant.now();
      h.setStart(Timestamp.newBuilder().setMonotonicNs(System.nanoTime())
          .setWallNs(now.getEpochSecond() * 1_000_000_000L + now.getNano()));
    }
    if (h.getSoftwareVersion().isEmpty()) {
      h.setSoftwareVersion(BuildInfo.version());
    }
    if (h.getControlRateHz() == 0 && h.getRobot().getControlRateHz() > 0) {
      h.setControlRateHz(h.getRobot().getControlRateHz());
    }
    EpisodeWriter w = new EpisodeWriter(file, h.build(), options, listener, views);
    try {
      w.open();
    } catch (IOException | RuntimeException e) {
      w.fail(RecordingFailures.describe(file, e) + RecordingFailures.keepWhatWasWritten(file, w.mcap));
      w.summary = w.buildSummary();
      w.done.countDown();
      w.tellFailure();
      return w;
    }
    w.thread.start();
    return w;
  }

  public static EpisodeWriter start(Path file, EpisodeHeader header) {
    return start(file, header, Options.defaults(), null);
  }

  public Path file() {
    return file;
  }

  public EpisodeHeader header() {
    return header;
  }

  public State state() {
    return state;
  }

  public boolean isRecording() {
    return state == State.RECORDING && !stopRequested;
  }

  /** Why recording stopped, if it failed. */
  public String error() {
    return error;
  }

  /** Messages dropped so far (queue full, stopped, or failed). */
  public long dropped() {
    long n = 0;
    for (LongAdder a : drops.values()) {
      n += a.sum();
    }
    return n;
  }

  /** Messages accepted into the queue so far. */
  public long accepted() {
    return accepted.sum();
  }

  /** CPU time the writer thread used (ns), known after {@link #finish()}; -1 before. */
  public long writerCpuNanos() {
    return writerCpuNanos;
  }

  // ---- the control loop's side: non-blocking, allocation-free, never throws ----

  @Override
  public boolean writeCamera(CameraFrame f) {
    String topic = cameraTopics.get(f.getCameraName());
    if (topic == null) {
      try {
        topic = cameraTopics.computeIfAbsent(f.getCameraName(), EpisodeTopics::camera);
      } catch (RuntimeException e) {
        topic = EpisodeTopics.CAMERA_PREFIX + "invalid";
      }
    }
    return offer(topic, f);
  }

  /** Queues {@code message} on {@code topic}; false (and a drop counted) if full or not recording. */
  @Override
  public boolean offer(String topic, Message message) {
    if (message == null || topic == null) {
      return false;
    }
    // getSerializedSize is memoized by protobuf: the writer thread reuses it.
    if (state == State.RECORDING && !stopRequested
        && queue.offer(topic, message, wallAtStart + (System.nanoTime() - monoAtStart), message.getSerializedSize())) {
      accepted.increment();
      return true;
    }
    LongAdder a = drops.get(topic);
    if (a == null) {
      a = drops.computeIfAbsent(topic, t -> new LongAdder());
    }
    a.increment();
    return false;
  }

  /** Sets the outcome written at {@link #finish()} (operator: mark success / failure / discard). */
  public void markOutcome(EpisodeOutcome o, String notes) {
    outcome = Objects.requireNonNull(o);
    outcomeNotes = notes == null ? "" : notes;
  }

  /** The task world's own success predicate at the end, written with the outcome. */
  public void setTaskSuccess(boolean success) {
    taskSuccess = success;
  }

  public EpisodeOutcome outcome() {
    return outcome;
  }

  /**
   * Stops accepting messages, writes everything queued, the outcome record and the summary, and
   * closes the file. Blocks until done (normally well under a second). Never throws: a failure is in
   * the returned summary.
   */
  public EpisodeSummary finish() {
    stopRequested = true;
    queue.wakeUp();
    try {
      while (!done.await(5, TimeUnit.SECONDS)) {
        LOG.info("still finishing {} ({} messages queued)", file, queue.size());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return summary;
  }

  public EpisodeSummary finish(EpisodeOutcome o, String notes) {
    markOutcome(o, notes);
    return finish();
  }

  @Override
  public void close() {
    finish();
  }

  // ---- writer thread ----

  private void open() throws IOException {
    mcap = McapWriter.create(file, McapWriter.Options.defaults()
        .withLibrary("optimus-teleop " + BuildInfo.version())
        .withChunkBytes(Math.max(64 * 1024, options.chunkBytes()))
        .withZstdLevel(options.zstdLevel())
        .withFsync(options.fsync()));
    write(EpisodeTopics.HEADER, header, wallAtStart);
    mcap.addMetadata("episode", EpisodeMetadata.episode(header));
    lastFlushNanos = System.nanoTime();
  }

  private void run() {
    String[] topics = new String[BATCH];
    Message[] messages = new Message[BATCH];
    long[] times = new long[BATCH];
    try {
      startViews();
      while (true) {
        boolean stopping = stopRequested;
        int n = queue.drain(topics, messages, times, RecordQueue.millis(10));
        for (int i = 0; i < n; i++) {
          write(topics[i], messages[i], times[i]);
          messages[i] = null;
        }
        long now = System.nanoTime();
        if (mcap.pendingChunkMessages() > 0 && now - lastFlushNanos >= options.flushNanos()) {
          mcap.flushChunk();
          lastFlushNanos = now;
        }
        if (stopping && n == 0) {
          break;
        }
      }
      // A producer that checked stopRequested just before finish() may publish a moment later.
      for (int n; (n = queue.drain(topics, messages, times, 0)) > 0; ) {
        for (int i = 0; i < n; i++) {
          write(topics[i], messages[i], times[i]);
          messages[i] = null;
        }
      }
      writeOutcome();
      mcap.close();
      state = State.FINISHED;
    } catch (IOException | RuntimeException e) {
      state = State.FAILED; // stop accepting at once; tidying up may take a moment
      fail(RecordingFailures.describe(file, e) + RecordingFailures.keepWhatWasWritten(file, mcap));
    } catch (InterruptedException e) {
      state = State.FAILED;
      fail("writer interrupted" + RecordingFailures.keepWhatWasWritten(file, mcap));
    } catch (Throwable e) { // an Error (e.g. out of memory): still report it and release finish()
      fail(RecordingFailures.describe(file, e));
    } finally {
      writerCpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      summary = buildSummary();
      done.countDown();
      if (state == State.FINISHED) {
        try {
          listener.onFinished(summary);
        } catch (RuntimeException e) {
          LOG.warn("episode listener failed", e);
        }
      } else {
        tellFailure();
      }
    }
  }

  private void write(String topic, Message message, long logTime) throws IOException {
    EpisodeChannels.Track track = channels.track(mcap, topic, message, Map.of());
    Timestamp stamp = EpisodeMessages.stamp(message);
    long publish = stamp != null && stamp.getWallNs() > 0 ? stamp.getWallNs() : logTime;
    track.stamped(stamp != null && stamp.getMonotonicNs() != 0 ? stamp.getMonotonicNs() : logTime);
    append(track, message, logTime, publish);
    if (message instanceof CameraFrame f && options.foxgloveImages() && EpisodeTopics.isCamera(topic)) {
      writeView(topic, f, logTime, publish);
    }
    if (views != null) {
      try {
        views.after(topic, message, logTime, publish, viewsOut);
      } catch (RuntimeException e) {
        viewsFailed(e);
      }
    }
  }

  private void startViews() throws IOException {
    if (viewsFactory == null) {
      return;
    }
    try {
      views = viewsFactory.create(header);
      if (views != null) {
        views.start(wallAtStart, viewsOut);
      }
    } catch (RuntimeException e) {
      viewsFailed(e);
    }
  }

  /** A view's bug or bad input costs the views, never the recording. */
  private void viewsFailed(RuntimeException e) {
    views = null;
    LOG.warn("{}: derived views stopped for the rest of this episode: {}", file.getFileName(), e.toString(), e);
  }

  /** A derived message: its own channel, the same chunking and ordering as the originals. */
  private void writeDerived(String topic, Message message, long logTime, long publish) throws IOException {
    append(channels.track(mcap, topic, message, Map.of()), message, logTime, publish);
  }

  /** The frame again as a Foxglove image, on the camera's view channel (same log and publish time). */
  private void writeView(String cameraTopic, CameraFrame f, long logTime, long publish) throws IOException {
    Message view = FoxgloveImages.view(f, publish);
    if (view == null) {
      if (unviewableWarned.add(cameraTopic)) {
        LOG.warn("{}: frame #{} has no Foxglove image view ({}); such frames are recorded only as CameraFrame",
            cameraTopic, f.getSequence(), FoxgloveImages.unviewable(f));
      }
      return;
    }
    boolean raw = view instanceof RawImage;
    Map<String, String> names = raw ? rawViewTopics : compressedViewTopics; // no string building per frame
    String topic = names.get(cameraTopic);
    if (topic == null) {
      topic = cameraTopic + (raw ? EpisodeTopics.IMAGE_SUFFIX : EpisodeTopics.COMPRESSED_SUFFIX);
      names.put(cameraTopic, topic);
    }
    append(channels.track(mcap, topic, view, Map.of("source_topic", cameraTopic)), view, logTime, publish);
  }

  private void append(EpisodeChannels.Track track, Message message, long logTime, long publish) throws IOException {
    int size = message.getSerializedSize();
    if (serialized.length < size) {
      serialized = new byte[Math.max(size, serialized.length * 2)];
    }
    CodedOutputStream out = CodedOutputStream.newInstance(serialized, 0, size);
    message.writeTo(out);
    mcap.addMessage(track.id, track.messages, logTime, publish, serialized, 0, size);
    track.messages++;
    lastLogTime = Math.max(lastLogTime, logTime);
  }

  private void writeOutcome() throws IOException {
    long end = Math.max(lastLogTime, wallAtStart + (System.nanoTime() - monoAtStart));
    double duration = (end - header.getStart().getWallNs()) / 1e9;
    Instant now = Instant.now();
    Timestamp stamp = Timestamp.newBuilder().setMonotonicNs(System.nanoTime())
        .setWallNs(now.getEpochSecond() * 1_000_000_000L + now.getNano()).build();
    EpisodeOutcomeRecord record = EpisodeOutcomeRecord.newBuilder().setSchemaVersion(1).setOutcome(outcome)
        .setNotes(outcomeNotes).setStamp(stamp).setTaskSuccess(taskSuccess).setDurationS(duration)
        .addAllChannels(channels.stats(drops)).setEnd(stamp).build();
    write(EpisodeTopics.OUTCOME, record, end);
    mcap.addMetadata("outcome", EpisodeMetadata.outcome(record, now, dropped()));
  }

  private void fail(String message) {
    error = message;
    state = State.FAILED;
    LOG.error("episode recording stopped: {}", message);
  }

  private void tellFailure() {
    try {
      listener.onFailure(file, error);
    } catch (RuntimeException e) {
      LOG.warn("episode listener failed", e);
    }
  }

  private EpisodeSummary buildSummary() {
    long messages = channels.messages();
    double duration = (lastLogTime == 0 ? 0 : lastLogTime - header.getStart().getWallNs()) / 1e9;
    long bytes = mcap == null ? 0 : java.nio.file.Files.exists(file) ? file.toFile().length() : 0;
    return new EpisodeSummary(file, header.getEpisodeId(), outcome, messages, dropped(), Math.max(0, duration), bytes,
        channels.stats(drops), error);
  }
}

package io.optimus.motion.record;

import com.google.protobuf.Message;
import io.optimus.proto.v1.Annotation;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.OperatorEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.UUID;

/**
 * Start/stop recording of episodes into a dataset directory, as the operator (record start, stop,
 * mark success / failure / discard) or the API asks. As an {@link EpisodeSink} it can be written from
 * the control loop at any time: messages go to the current episode, or do nothing (return false) when no
 * episode is being recorded. Never throws for I/O: a recording that fails (disk full) ends its
 * session at once: {@link #isRecording()} turns false, {@link #last()} holds its summary with the
 * error, and then the listener is told.
 */
public final class EpisodeRecorder implements EpisodeSink, AutoCloseable {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final Path dir;
  private final EpisodeWriter.Options options;
  private final EpisodeWriter.Listener listener;
  private final EpisodeViews.Factory views;
  private final java.util.LinkedHashSet<Long> handledEvents = new java.util.LinkedHashSet<>();
  private volatile EpisodeWriter current;
  private CompletableFuture<Void> indexing = CompletableFuture.completedFuture(null);
  private volatile EpisodeSummary last;

  public EpisodeRecorder(Path datasetDir, EpisodeWriter.Options options, EpisodeWriter.Listener listener) {
    this(datasetDir, options, listener, null);
  }

  /** As above, each episode also carrying the messages {@code views} (may be null) derive ({@link EpisodeViews}). */
  public EpisodeRecorder(Path datasetDir, EpisodeWriter.Options options, EpisodeWriter.Listener listener,
      EpisodeViews.Factory views) {
    this.views = views;
    this.dir = Objects.requireNonNull(datasetDir);
    this.options = Objects.requireNonNull(options);
    EpisodeWriter.Listener told = listener == null ? new EpisodeWriter.Listener() {} : listener;
    this.listener = new EpisodeWriter.Listener() {
      @Override
      public void onFailure(Path file, String error) {
        endFailed(file);
        told.onFailure(file, error);
      }

      @Override
      public void onFinished(EpisodeSummary summary) {
        told.onFinished(summary);
      }
    };
  }

  /** Ends the session of a writer that failed (called once its writer thread is done). */
  private synchronized void endFailed(Path file) {
    EpisodeWriter w = current;
    if (w != null && w.file().equals(file) && w.state() == EpisodeWriter.State.FAILED) {
      current = null;
      last = w.finish(); // returns at once: the writer is done
    }
  }

  public Path dir() {
    return dir;
  }

  /**
   * Starts a new episode (finishing the current one first, keeping its marked outcome). An empty
   * episode id gets a time-based one; the file is {@code <episode_id>.mcap} in the dataset directory
   * (created if missing). Returns the writer, which is FAILED at once if the file cannot be created.
   */
  public synchronized EpisodeWriter start(EpisodeHeader header) {
    if (current != null) {
      stop();
    }
    EpisodeHeader.Builder h = header.toBuilder();
    if (h.getEpisodeId().isEmpty()) {
      h.setEpisodeId(STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-" + UUID.randomUUID().toString().substring(0, 8));
    }
    String base = h.getEpisodeId().replaceAll("[^A-Za-z0-9_.-]", "_");
    try {
      Files.createDirectories(dir);
    } catch (Exception ignored) {
      // EpisodeWriter.start reports the real problem (permission, not a directory, ...)
    }
    Path file = dir.resolve(base + Dataset.EXTENSION);
    for (int i = 2; Files.exists(file); i++) {
      file = dir.resolve(base + "-" + i + Dataset.EXTENSION);
    }
    EpisodeWriter w = EpisodeWriter.start(file, h.build(), options, listener, views);
    if (w.state() == EpisodeWriter.State.FAILED) {
      last = w.finish(); // could not even start: no session
    } else {
      current = w;
    }
    return w;
  }

  /** True while an episode is being recorded (and has not failed). */
  public boolean isRecording() {
    EpisodeWriter w = current;
    return w != null && w.isRecording();
  }

  /** The episode being recorded (possibly FAILED), or null. */
  public EpisodeWriter current() {
    return current;
  }

  /** Summary of the last finished episode, or null. */
  public EpisodeSummary last() {
    return last;
  }

  /** Marks the current episode's outcome (kept until stop); false if nothing is being recorded. */
  public boolean mark(EpisodeOutcome outcome, String notes) {
    EpisodeWriter w = current;
    if (w == null) {
      return false;
    }
    w.markOutcome(outcome, notes);
    return true;
  }

  /**
   * Finishes the current episode (blocks until its file is complete) and refreshes the dataset index
   * in the background; null if none was recording.
   */
  public synchronized EpisodeSummary stop() {
    EpisodeWriter w = current;
    if (w == null) {
      return null;
    }
    current = null;
    EpisodeSummary s = w.finish();
    last = s;
    if (s.ok()) {
      indexing = indexing.thenRunAsync(() -> Dataset.refreshIndex(dir), task -> {
        Thread t = new Thread(task, "dataset-indexer");
        t.setDaemon(true);
        t.start();
      });
    }
    return s;
  }

  public EpisodeSummary stop(EpisodeOutcome outcome, String notes) {
    mark(outcome, notes);
    return stop();
  }

  /**
   * Acts on an operator's recording command once per event id (the client repeats events for about
   * 100 ms): RECORD_START starts an episode with {@code header} (finishing a running one), RECORD_STOP
   * finishes it with the outcome marked so far, MARK_SUCCESS / MARK_FAILURE / MARK_DISCARD set the
   * outcome (with the event's text as notes), add an annotation and finish the episode. Other event
   * types are ignored. Returns true if the event changed something.
   */
  public synchronized boolean onOperatorEvent(OperatorEvent event, EpisodeHeader header) {
    if (!handledEvents.add(event.getEventId())) {
      return false;
    }
    if (handledEvents.size() > 256) {
      handledEvents.remove(handledEvents.iterator().next());
    }
    EpisodeOutcome outcome = switch (event.getType()) {
      case OPERATOR_EVENT_MARK_SUCCESS -> EpisodeOutcome.EPISODE_OUTCOME_SUCCESS;
      case OPERATOR_EVENT_MARK_FAILURE -> EpisodeOutcome.EPISODE_OUTCOME_FAILURE;
      case OPERATOR_EVENT_MARK_DISCARD -> EpisodeOutcome.EPISODE_OUTCOME_DISCARD;
      default -> null;
    };
    switch (event.getType()) {
      case OPERATOR_EVENT_RECORD_START -> {
        start(header);
        return true;
      }
      case OPERATOR_EVENT_RECORD_STOP -> {
        return stop() != null;
      }
      default -> {
        if (outcome == null || current == null) {
          return false;
        }
        annotate(Annotation.newBuilder().setSchemaVersion(1).setStamp(event.getStamp()).setKind("mark")
            .setText(outcome.name() + (event.getText().isEmpty() ? "" : ": " + event.getText())).build());
        stop(outcome, event.getText());
        return true;
      }
    }
  }

  @Override
  public boolean offer(String topic, Message m) {
    EpisodeWriter w = current;
    return w != null && w.offer(topic, m);
  }

  @Override
  public boolean writeCamera(CameraFrame f) {
    EpisodeWriter w = current;
    return w != null && w.writeCamera(f);
  }

  /** Waits (bounded) until the dataset index reflects every finished episode. */
  public void awaitIndexed(long timeout, TimeUnit unit) {
    CompletableFuture<Void> f;
    synchronized (this) {
      f = indexing;
    }
    try {
      f.get(timeout, unit);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // refreshIndex logs its own failures; the index is only a cache
    }
  }

  /** Stops recording and waits for the index. */
  @Override
  public void close() {
    stop();
    awaitIndexed(60, TimeUnit.SECONDS);
  }
}

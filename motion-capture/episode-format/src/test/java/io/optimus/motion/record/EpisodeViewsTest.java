package io.optimus.motion.record;

import static io.optimus.motion.record.SyntheticRecording.header;
import static io.optimus.motion.record.SyntheticRecording.robot;
import static io.optimus.motion.record.SyntheticRecording.stamp;
import static io.optimus.motion.record.SyntheticRecording.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.proto.v1.Annotation;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.JointState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Views derive messages on the writer thread: beside their source, with its times; a failing view costs only itself. */
class EpisodeViewsTest {
  private static final long WALL0 = 1_700_000_000_000_000_000L;

  @TempDir
  Path dir;

  /** Per state: an annotation naming its sequence, on /derived, with the state's times; one at the start. */
  private static EpisodeViews echo(int failAt) {
    return new EpisodeViews() {
      int seen;

      @Override
      public void start(long logTime, Out out) throws java.io.IOException {
        out.write("/derived/start", Annotation.newBuilder().setSchemaVersion(1).setText("start").build(), logTime, logTime);
      }

      @Override
      public void after(String topic, com.google.protobuf.Message m, long logTime, long publishTime, Out out)
          throws java.io.IOException {
        if (m instanceof JointState s) {
          if (++seen == failAt) {
            throw new IllegalStateException("a view's bug");
          }
          out.write("/derived", Annotation.newBuilder().setSchemaVersion(1).setText("#" + s.getSequence()).build(),
              logTime, publishTime);
        }
      }
    };
  }

  @Test
  void derivedMessagesFollowTheirSourceWithItsTimes() throws Exception {
    AtomicReference<EpisodeHeader> given = new AtomicReference<>();
    EpisodeWriter w = EpisodeWriter.start(dir.resolve("v.mcap"), header("v", robot(4, 0, 0, 250, 0)),
        EpisodeWriterTest.fast(), null, h -> {
          given.set(h);
          assertTrue(Thread.currentThread().getName().startsWith("episode-writer-"), "made on the writer thread");
          return echo(-1);
        });
    for (int i = 0; i < 30; i++) {
      assertTrue(w.writeState(state(4, i, stamp(1_000 + i * 4_000_000L, WALL0 + i * 4_000_000L))));
    }
    assertTrue(w.finish().ok());
    assertEquals("v", given.get().getEpisodeId(), "the factory gets the episode's header");
    try (EpisodeReader r = EpisodeReader.open(w.file())) {
      assertEquals(1, r.messageCount("/derived/start"));
      List<EpisodeFrame> states = frames(r, EpisodeTopics.STATE), derived = frames(r, "/derived");
      assertEquals(30, derived.size());
      for (int i = 0; i < 30; i++) {
        assertEquals("#" + i, derived.get(i).as(Annotation.class).getText());
        assertEquals(states.get(i).logTimeNs(), derived.get(i).logTimeNs());
        assertEquals(WALL0 + i * 4_000_000L, derived.get(i).publishTimeNs(), "publish time: the state's wall stamp");
      }
      assertEquals(30, r.outcome().orElseThrow().getChannelsList().stream()
          .filter(c -> c.getTopic().equals("/derived")).findFirst().orElseThrow().getMessages());
    }
  }

  @Test
  void aViewThatThrowsStopsTheViewsNotTheRecording() throws Exception {
    EpisodeWriter w = EpisodeWriter.start(dir.resolve("f.mcap"), header("f", robot(4, 0, 0, 250, 0)),
        EpisodeWriterTest.fast(), null, h -> echo(3));
    for (int i = 0; i < 10; i++) {
      assertTrue(w.writeState(state(4, i, stamp(1_000 + i, WALL0 + i))));
    }
    EpisodeSummary s = w.finish();
    assertTrue(s.ok(), s.error());
    try (EpisodeReader r = EpisodeReader.open(w.file())) {
      assertEquals(10, r.messageCount(EpisodeTopics.STATE), "every state recorded");
      assertEquals(2, r.messageCount("/derived"), "the views stopped at their failure");
      assertTrue(r.outcome().isPresent());
    }
    EpisodeWriter broken = EpisodeWriter.start(dir.resolve("g.mcap"), header("g", robot(4, 0, 0, 250, 0)),
        EpisodeWriterTest.fast(), null, h -> {
          throw new IllegalArgumentException("the header's model does not parse");
        });
    assertTrue(broken.writeState(state(4, 0, stamp(1, WALL0))));
    assertTrue(broken.finish().ok(), "a factory that throws: no views, the same recording");
  }

  private static List<EpisodeFrame> frames(EpisodeReader r, String topic) {
    List<EpisodeFrame> out = new ArrayList<>();
    Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(topic));
    it.forEachRemaining(out::add);
    return out;
  }
}

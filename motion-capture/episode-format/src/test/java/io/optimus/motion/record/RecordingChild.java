package io.optimus.motion.record;

import io.optimus.common.FramePacer;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.Timestamp;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A separate JVM that records like the bridge does, for crash tests (EpisodeCrashTest):
 * {@code record FILE} paces 52 joints at 500 Hz plus two 96x96 cameras at 30 Hz and prints
 * "offered SEQ" every 50 ticks until it is killed; {@code fill FILE} records the same until
 * the writer fails (run under a file-size limit), then prints "FAILED error" and checks that the
 * control loop's writes keep returning (false) without throwing.
 */
public final class RecordingChild {
  private RecordingChild() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path file = Path.of(args[1]);
    EpisodeHeader header = SyntheticRecording.header("child", SyntheticRecording.robot(52, 2, 96, 500, 30));
    EpisodeWriter w = EpisodeWriter.start(file, header);
    System.out.println("started " + w.state());
    System.out.flush();
    FramePacer pacer = FramePacer.ofPeriod(2_000_000L);
    long deadline = pacer.awaitWhile(() -> true, () -> false) + 60_000_000_000L; // the first tick is now
    for (long seq = 0; System.nanoTime() < deadline; seq++) {
      Instant now = Instant.now();
      Timestamp ts = SyntheticRecording.stamp(System.nanoTime(), now.getEpochSecond() * 1_000_000_000L + now.getNano());
      w.writeState(SyntheticRecording.state(52, seq, ts));
      if (seq % 17 == 0) {
        w.writeCamera(SyntheticRecording.camera("head", 96, seq / 17, ts));
        w.writeCamera(SyntheticRecording.camera("wrist1", 96, seq / 17, ts));
      }
      if (mode.equals("record") && seq % 50 == 0) {
        System.out.println("offered " + seq);
        System.out.flush();
      }
      pacer.awaitWhile(() -> true, () -> false);
      if (mode.equals("fill") && w.state() == EpisodeWriter.State.FAILED) {
        for (int i = 0; i < 1000; i++) {
          if (w.writeState(SyntheticRecording.state(52, seq + i, ts))) {
            throw new AssertionError("a failed writer accepted a message");
          }
        }
        EpisodeSummary s = w.finish();
        System.out.println("FAILED " + w.error());
        System.out.println("summary-error " + s.error());
        System.out.println("dropped " + w.dropped());
        System.out.flush();
        return;
      }
    }
    System.out.println("never failed");
  }
}

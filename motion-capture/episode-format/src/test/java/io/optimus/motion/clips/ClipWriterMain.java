package io.optimus.motion.clips;

import java.nio.file.Path;

/**
 * A child process for {@link ClipQueueKillTest}: adds clips 0..n-1 of episode "kill" to the queue in
 * DIR, printing "added I" once each add returned (durable), as fast as it can.
 */
public final class ClipWriterMain {
  public static void main(String[] args) {
    ClipQueue q = ClipQueue.in(Path.of(args[0]));
    int n = Integer.parseInt(args[1]);
    for (int i = 0; i < n; i++) {
      q.add(Clip.of("r1", "kill", ClipTrigger.DISAGREEMENT, i * 1_000_000L, i * 1_000_000L + 500_000L, i, ""));
      System.out.println("added " + i);
      System.out.flush();
    }
  }
}

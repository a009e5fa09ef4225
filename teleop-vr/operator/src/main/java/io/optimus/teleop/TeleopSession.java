package io.optimus.teleop;

import io.optimus.common.Stamps;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.teleop.link.RobotLink;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Runs an operator stream into a robot link until the source finishes or {@code stop} says so. */
public final class TeleopSession {
  /** What a run did. {@code rateHz} is frames over wall time. */
  public record Summary(String source, long frames, long published, double seconds, double rateHz) {}

  /** Long enough for the release frame to reach a bridge's control loop (a few ticks) before we go. */
  static final long RELEASE_GRACE_MS = 50;

  private TeleopSession() {}

  public static Summary run(OperatorStream stream, RobotLink link, Consumer<OperatorFrame> observer,
      BooleanSupplier stop) throws InterruptedException {
    long start = System.nanoTime();
    long frames = 0;
    long published = 0;
    OperatorFrame last = null;
    while (!stop.getAsBoolean()) {
      Optional<OperatorFrame> f = stream.next();
      if (f.isEmpty()) {
        break;
      }
      frames++;
      last = f.get();
      if (link.publish(last)) {
        published++;
      }
      if (observer != null) {
        observer.accept(f.get());
      }
    }
    if (last != null && last.getCommands().getDeadman()) {
      // Let go of the deadman before leaving. Otherwise the last held frame can reach the bridge's
      // control loop after our offline status (another topic, no ordering between them), and the
      // bridge logs it as a refused re-engage at the end of every session.
      link.publish(last.toBuilder().setSequence(last.getSequence() + 1).setCaptureTime(Stamps.now()).clearDisplayTime()
          .setCommands(last.getCommands().toBuilder().setDeadman(false)).build());
      Thread.sleep(RELEASE_GRACE_MS);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Summary(stream.source().name(), frames, published, seconds, seconds > 0 ? frames / seconds : 0);
  }
}

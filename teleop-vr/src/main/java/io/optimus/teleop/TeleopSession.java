package io.optimus.teleop;

import io.optimus.proto.v1.OperatorFrame;
import io.optimus.teleop.link.RobotLink;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Runs an operator stream into a robot link until the source finishes or {@code stop} says so. */
public final class TeleopSession {
  /** What a run did. {@code rateHz} is frames over wall time. */
  public record Summary(String source, long frames, long published, double seconds, double rateHz) {}

  private TeleopSession() {}

  public static Summary run(OperatorStream stream, RobotLink link, Consumer<OperatorFrame> observer,
      BooleanSupplier stop) throws InterruptedException {
    long start = System.nanoTime();
    long frames = 0;
    long published = 0;
    while (!stop.getAsBoolean()) {
      Optional<OperatorFrame> f = stream.next();
      if (f.isEmpty()) {
        break;
      }
      frames++;
      if (link.publish(f.get())) {
        published++;
      }
      if (observer != null) {
        observer.accept(f.get());
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Summary(stream.source().name(), frames, published, seconds, seconds > 0 ? frames / seconds : 0);
  }
}

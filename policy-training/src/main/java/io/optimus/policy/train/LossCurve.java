package io.optimus.policy.train;

import io.optimus.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Training and validation loss per step, saved as CSV (the run's report plots {@code curves.json}). */
public final class LossCurve {
  /** One row; validation is NaN on steps where it was not measured. */
  public record Point(long step, double train, double validation) {}

  private final List<Point> points = new ArrayList<>();

  public void add(long step, double train, double validation) {
    points.add(new Point(step, train, validation));
  }

  public List<Point> points() {
    return List.copyOf(points);
  }

  /** Drops the rows after {@code step} (a resumed run replays from its checkpoint). */
  public void truncateAfter(long step) {
    points.removeIf(p -> p.step() > step);
  }

  public void writeCsv(Path file) throws IOException {
    StringBuilder sb = new StringBuilder("step,train_loss,validation_loss\n");
    for (Point p : points) {
      sb.append(p.step()).append(',').append(Double.toString(p.train())).append(',')
          .append(Double.isNaN(p.validation()) ? "" : Double.toString(p.validation())).append('\n');
    }
    Files.writeString(file, sb);
  }

  public static LossCurve readCsv(Path file) throws IOException {
    LossCurve c = new LossCurve();
    List<String> lines = Files.readAllLines(file);
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",", -1);
      if (f.length != 3) {
        throw new InputException("loss curve " + file + " line " + (i + 1) + ": expected 3 fields");
      }
      c.add(Long.parseLong(f[0]), Double.parseDouble(f[1]), f[2].isEmpty() ? Double.NaN : Double.parseDouble(f[2]));
    }
    return c;
  }
}

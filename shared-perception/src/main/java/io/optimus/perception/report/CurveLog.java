package io.optimus.perception.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects a trainer's logged values, point by point, into {@link Curves} (in the order first logged). */
public final class CurveLog {
  private final Map<String, List<double[]>> points = new LinkedHashMap<>();
  private final Map<String, String[]> keys = new LinkedHashMap<>();

  public void add(String head, String split, double x, double y) {
    String key = head + '\0' + split;
    keys.putIfAbsent(key, new String[] {head, split});
    points.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {x, y});
  }

  /** Drops the points after {@code x} (a resumed run replays from its checkpoint). */
  public void truncateAfter(double x) {
    points.values().forEach(l -> l.removeIf(p -> p[0] > x));
  }

  public Curves curves(String xName, String yName) {
    List<Curve> out = new ArrayList<>();
    for (Map.Entry<String, List<double[]>> e : points.entrySet()) {
      List<double[]> p = e.getValue();
      double[] x = new double[p.size()];
      double[] y = new double[p.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = p.get(i)[0];
        y[i] = p.get(i)[1];
      }
      String[] k = keys.get(e.getKey());
      out.add(new Curve(k[0], k[1], x, y));
    }
    return new Curves(xName, yName, out);
  }

  /** Continues from saved curves. */
  public static CurveLog of(Curves saved) {
    CurveLog log = new CurveLog();
    for (Curve c : saved.curves()) {
      for (int i = 0; i < c.x().length; i++) {
        log.add(c.head(), c.split(), c.x()[i], c.y()[i]);
      }
    }
    return log;
  }
}

package io.optimus.perception.report;

import java.util.Arrays;

/**
 * One plotted series of a run: a head's (or loss term's) values on one split, by step. A value that
 * is not finite stays in the data as it is (NaN, infinity) and is marked on the plot, not dropped.
 *
 * @param head what is measured: a network head, a loss term, a joint group, "total"
 * @param split "train", "validation", "evaluation"...
 */
public record Curve(String head, String split, double[] x, double[] y) {
  public Curve {
    if (x.length != y.length) {
      throw new IllegalArgumentException("curve " + head + "/" + split + ": " + x.length + " x for " + y.length + " y");
    }
  }

  public String label() {
    return head + " (" + split + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Curve c && c.head.equals(head) && c.split.equals(split) && Arrays.equals(c.x, x)
        && Arrays.equals(c.y, y);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * head.hashCode() + split.hashCode()) + Arrays.hashCode(y);
  }

  @Override
  public String toString() {
    return label() + " " + Arrays.toString(y);
  }
}

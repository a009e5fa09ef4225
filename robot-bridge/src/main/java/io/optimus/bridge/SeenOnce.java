package io.optimus.bridge;

import java.util.LinkedHashSet;

/**
 * Remembers the last few keys seen. The e-stop arrives on two connections; without this, the later
 * copy of a request could latch the e-stop again right after the operator reset it.
 */
final class SeenOnce {
  private final int capacity;
  private final LinkedHashSet<String> seen = new LinkedHashSet<>();

  SeenOnce(int capacity) {
    this.capacity = capacity;
  }

  /** True the first time {@code key} is offered (among the last {@code capacity} keys). */
  synchronized boolean first(String key) {
    if (!seen.add(key)) {
      return false;
    }
    if (seen.size() > capacity) {
      seen.remove(seen.iterator().next());
    }
    return true;
  }
}

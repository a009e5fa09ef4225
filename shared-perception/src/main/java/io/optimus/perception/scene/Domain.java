package io.optimus.perception.scene;

import io.optimus.common.InputException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Where a training image comes from; each domain has its own heads on the shared trunk. */
public enum Domain {
  /** Procedural driving scenes: lanes, drivable area, vehicle centres, depth. */
  VEHICLE,
  /** The robot's head and wrist camera frames: object/hand segmentation, depth, object centres. */
  ROBOT;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** "vehicle,robot" (any order, at least one) into a set; a one-line error naming {@code option} otherwise. */
  public static Set<Domain> parseList(String option, String list) {
    Set<Domain> out = EnumSet.noneOf(Domain.class);
    if (list == null || list.isBlank()) {
      throw new InputException(option + ": empty; expected a comma-separated list of vehicle, robot");
    }
    for (String part : list.split(",", -1)) {
      String p = part.trim().toLowerCase(Locale.ROOT);
      Domain d = p.equals("vehicle") ? VEHICLE : p.equals("robot") ? ROBOT : null;
      if (d == null) {
        throw new InputException(option + ": unknown domain '" + part.trim() + "'; expected vehicle, robot or both");
      }
      if (!out.add(d)) {
        throw new InputException(option + ": domain '" + p + "' given twice");
      }
    }
    return out;
  }
}

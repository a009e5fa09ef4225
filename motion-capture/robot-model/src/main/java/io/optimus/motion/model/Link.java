package io.optimus.motion.model;

import java.util.List;

/** One rigid body; fixed child frames (cameras, palms) are links too. */
public record Link(String name, Inertial inertial, List<Shape> visuals, List<Shape> collisions) {
  public Link {
    visuals = List.copyOf(visuals);
    collisions = List.copyOf(collisions);
  }
}

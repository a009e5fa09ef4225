package io.optimus.bridge.physics;

import io.optimus.common.InputException;

/** A rigid box to simulate: name, full edge lengths (m), mass (kg) and Coulomb friction coefficient. */
public record ObjectSpec(String name, double sx, double sy, double sz, double mass, double friction) {
  public ObjectSpec {
    if (!(sx > 0 && sy > 0 && sz > 0 && sx < 2 && sy < 2 && sz < 2)) {
      throw new InputException("object '" + name + "': size " + sx + " x " + sy + " x " + sz + " m is out of range (0, 2)");
    }
    if (!(mass > 0 && mass < 100)) {
      throw new InputException("object '" + name + "': mass " + mass + " kg is out of range (0, 100)");
    }
    if (!(friction >= 0 && friction <= 5)) {
      throw new InputException("object '" + name + "': friction " + friction + " is out of range [0, 5]");
    }
  }

  /** A cube of edge {@code edge} (m). */
  public static ObjectSpec cube(String name, double edge, double mass, double friction) {
    return new ObjectSpec(name, edge, edge, edge, mass, friction);
  }
}

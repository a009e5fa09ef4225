package io.optimus.motion.model;

import io.optimus.motion.geometry.Pose3;

/** A geometry placed in its link's frame. */
public record Shape(String name, Pose3 origin, Geometry geometry) {}

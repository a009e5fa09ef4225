package io.optimus.motion.model;

import io.optimus.motion.geometry.Vec3;

/**
 * Collision/visual geometry. Capsules follow the SDF/URDF-extension convention: a cylinder of
 * {@code length} between the two sphere centres along the shape's z axis, plus hemispherical caps.
 * Meshes are references only: the file need not exist.
 */
public sealed interface Geometry {
  record Box(Vec3 size) implements Geometry {}

  record Sphere(double radius) implements Geometry {}

  record Cylinder(double radius, double length) implements Geometry {}

  record Capsule(double radius, double length) implements Geometry {}

  record Mesh(String filename, Vec3 scale) implements Geometry {}
}

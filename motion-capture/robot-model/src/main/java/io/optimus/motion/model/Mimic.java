package io.optimus.motion.model;

/** A joint that follows another: {@code q = multiplier * q[joint] + offset}. */
public record Mimic(String joint, double multiplier, double offset) {}

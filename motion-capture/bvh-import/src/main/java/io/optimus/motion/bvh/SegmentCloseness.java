package io.optimus.motion.bvh;

/**
 * How closely the robot followed one body segment of the scaled operator over a clip or stream:
 * position error of the segment's end (metres) and orientation error of the segment relative to the
 * first frame (degrees), mean, 95th percentile and max, and the share of samples within
 * {@link BodySegment#POSITION_OK_M} and {@link BodySegment#ORIENTATION_OK_DEG} (both at once).
 * Left and right segments are pooled: {@code samples} counts each side of each frame.
 */
public record SegmentCloseness(BodySegment segment, int samples, double positionMeanM, double positionP95M,
    double positionMaxM, double orientationMeanDeg, double orientationP95Deg, double orientationMaxDeg,
    double withinShare) {}

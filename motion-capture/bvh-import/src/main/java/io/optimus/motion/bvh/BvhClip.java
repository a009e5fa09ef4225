package io.optimus.motion.bvh;

import java.util.List;

/**
 * A parsed BVH file: the skeleton, its motion in file units, and the length unit that turns file
 * units into metres (given by the user or inferred from the skeleton height).
 */
public final class BvhClip {
  private final String name;
  private final BvhSkeleton skeleton;
  private final double frameTime;
  private final int frameCount;
  private final double[] values;
  private final LengthUnit unit;
  private final boolean unitInferred;
  private final double heightInFileUnits;
  private final double spanInFileUnits;

  BvhClip(String name, BvhSkeleton skeleton, double frameTime, int frameCount, double[] values, LengthUnit unit,
      boolean unitInferred, double heightInFileUnits, double spanInFileUnits) {
    this.name = name;
    this.skeleton = skeleton;
    this.frameTime = frameTime;
    this.frameCount = frameCount;
    this.values = values;
    this.unit = unit;
    this.unitInferred = unitInferred;
    this.heightInFileUnits = heightInFileUnits;
    this.spanInFileUnits = spanInFileUnits;
  }

  /** The input's name (file name), as used in error messages. */
  public String name() {
    return name;
  }

  public BvhSkeleton skeleton() {
    return skeleton;
  }

  /** Seconds between frames. */
  public double frameTime() {
    return frameTime;
  }

  public double fps() {
    return 1.0 / frameTime;
  }

  public int frameCount() {
    return frameCount;
  }

  public double durationSeconds() {
    return frameCount * frameTime;
  }

  /** The raw value of one channel in one frame (file units or degrees). */
  public double value(int frame, int channel) {
    return values[frame * skeleton.channelCount() + channel];
  }

  public LengthUnit unit() {
    return unit;
  }

  /** True when the unit was inferred from the skeleton height rather than given. */
  public boolean unitInferred() {
    return unitInferred;
  }

  /** Metres per file unit. */
  public double metresPerUnit() {
    return unit.metres();
  }

  /**
   * Longest leaf-to-leaf path through the skeleton (fingertip to toe), in metres: pose
   * independent, about 1.3 body heights; the unit is inferred from it.
   */
  public double spanMetres() {
    return spanInFileUnits * unit.metres();
  }

  /** Largest vertical extent of the joints (end sites included) over the clip, in metres; raised arms count. */
  public double heightMetres() {
    return heightInFileUnits * unit.metres();
  }

  /** Joints whose channels never change over the clip (e.g. uncaptured fingers). */
  public List<BvhJoint> deadJoints() {
    int stride = skeleton.channelCount();
    return skeleton.joints().stream().filter(j -> {
      for (int c = 0; c < j.channels().size(); c++) {
        double first = values[j.firstChannel() + c];
        for (int f = 1; f < frameCount; f++) {
          if (values[f * stride + j.firstChannel() + c] != first) {
            return false;
          }
        }
      }
      return true;
    }).toList();
  }

  double[] rawValues() {
    return values;
  }
}

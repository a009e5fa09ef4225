package io.optimus.motion.bvh;

import java.util.List;

/**
 * One joint of a BVH hierarchy, as declared (file units, the file's y-up frame).
 *
 * @param name joint name as written
 * @param index position in {@link BvhSkeleton#joints()} (parents come before children)
 * @param parent index of the parent joint, -1 for the root
 * @param offsetX offset from the parent joint, x (file units)
 * @param offsetY offset, y
 * @param offsetZ offset, z
 * @param channels animated channels in the order the file lists them (and the rotation order)
 * @param firstChannel index of this joint's first value within a frame
 * @param endSite offset of the End Site (x, y, z) or null when the joint has none
 * @param line line of the declaration in the file
 */
public record BvhJoint(String name, int index, int parent, double offsetX, double offsetY, double offsetZ,
    List<BvhChannel> channels, int firstChannel, double[] endSite, int line) {

  public BvhJoint {
    channels = List.copyOf(channels);
    endSite = endSite == null ? null : endSite.clone();
  }

  @Override
  public double[] endSite() {
    return endSite == null ? null : endSite.clone();
  }

  public boolean hasEndSite() {
    return endSite != null;
  }

  public boolean isRoot() {
    return parent < 0;
  }

  /** The rotation channels' axes in file order, e.g. "ZYX"; empty when the joint does not rotate. */
  public String rotationOrder() {
    StringBuilder s = new StringBuilder();
    for (BvhChannel c : channels) {
      if (c.isRotation()) {
        s.append("XYZ".charAt(c.axis()));
      }
    }
    return s.toString();
  }
}

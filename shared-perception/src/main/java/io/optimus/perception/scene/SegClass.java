package io.optimus.perception.scene;

/** Segmentation classes of the drivable-area / lane head (ids stored in label maps). */
public final class SegClass {
  /** Everything else: sky, verge, vehicles. */
  public static final byte BACKGROUND = 0;
  /** Drivable road surface (asphalt, not a marking). */
  public static final byte ROAD = 1;
  /** Painted lane marking (edge lines and dashed dividers). */
  public static final byte LANE = 2;
  public static final int COUNT = 3;
  public static final String[] NAMES = {"background", "road", "lane"};

  private SegClass() {}
}

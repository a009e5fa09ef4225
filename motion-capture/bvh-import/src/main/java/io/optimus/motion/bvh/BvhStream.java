package io.optimus.motion.bvh;

import java.util.List;

/**
 * BVH over the network as mocap suites broadcast it: the HIERARCHY section (with {@code MOTION} and
 * {@code Frame Time:}, any {@code Frames:} count ignored) once, then one line of channel values per
 * frame. The header goes through {@link BvhParser} and {@link SkeletonMap#detect} like a file, so a
 * hierarchy that cannot be mapped fails with the same {@link BvhException} naming the missing joints.
 *
 * <p>Frames become {@link KeypointMotion}s calibrated against the first frame accepted (orientations
 * relative to it, the human facing +x, the pelvis over the origin): the same operator convention as a
 * clip. The floor is the lowest joint of the first and the current frame, so a stream should start
 * standing.
 */
public final class BvhStream {
  private final String name;
  private final BvhClip header;
  private final SkeletonMap map;
  private final int stride;
  private double[] first;

  private BvhStream(String name, BvhClip header, SkeletonMap map) {
    this.name = name;
    this.header = header;
    this.map = map;
    this.stride = header.skeleton().channelCount();
  }

  /**
   * Reads the header lines (HIERARCHY .. the {@code Frame Time:} line); {@code unit} null infers it
   * from the skeleton span. Throws {@link BvhException} for a malformed or unmappable hierarchy.
   */
  public static BvhStream fromHeader(String name, List<String> headerLines, LengthUnit unit) {
    StringBuilder text = new StringBuilder();
    String frameTime = null;
    boolean motion = false;
    for (String line : headerLines) {
      String t = line.strip();
      if (t.equalsIgnoreCase("MOTION")) {
        motion = true;
      } else if (motion && t.regionMatches(true, 0, "Frame Time", 0, 10)) {
        frameTime = t;
      } else if (!motion) {
        text.append(line).append('\n');
      }
    }
    if (!motion || frameTime == null) {
      throw new BvhException(name, 0, "stream header has no " + (motion ? "'Frame Time:' line" : "'MOTION' section"));
    }
    // One all-zero frame makes it a file the parser reads; a wrong CHANNELS count fails there, by line.
    text.append("MOTION\nFrames: 1\n").append(frameTime).append('\n').append(zeros(declaredChannels(text)));
    BvhClip clip = BvhParser.parse(name, text.toString(), unit);
    return new BvhStream(name, clip, SkeletonMap.detect(name, clip.skeleton()));
  }

  private static int declaredChannels(CharSequence hierarchy) {
    String[] t = hierarchy.toString().strip().split("\\s+");
    int n = 0;
    for (int i = 0; i + 1 < t.length; i++) {
      if (t[i].equalsIgnoreCase("CHANNELS")) {
        try {
          n += Math.max(0, Math.min(6, Integer.parseInt(t[i + 1])));
        } catch (NumberFormatException e) {
          // the parser names it
        }
      }
    }
    return n;
  }

  private static String zeros(int n) {
    return "0 ".repeat(Math.max(1, n)).strip() + "\n";
  }

  public String name() {
    return name;
  }

  /** Seconds between frames, from the stream's {@code Frame Time:}. */
  public double frameTime() {
    return header.frameTime();
  }

  /** Values per frame line. */
  public int channelCount() {
    return stride;
  }

  public LengthUnit unit() {
    return header.unit();
  }

  public SkeletonMap map() {
    return map;
  }

  /**
   * Parses one frame line into {@code out} ({@link #channelCount()} values); null when it is good,
   * else the problem in a few words (wrong count, not a number, not finite), without throwing.
   */
  public String parseFrame(String line, double[] out) {
    String[] tokens = line.strip().split("[ \\t\\f\\u000B]+");
    if (tokens.length != stride) {
      return (tokens.length == 1 && tokens[0].isEmpty() ? 0 : tokens.length) + " values, the hierarchy declares "
          + stride + " channels";
    }
    for (int c = 0; c < stride; c++) {
      double v;
      try {
        v = Double.parseDouble(tokens[c]);
      } catch (NumberFormatException e) {
        return "channel " + c + " is not a number: '" + abbreviate(tokens[c]) + "'";
      }
      if (!Double.isFinite(v)) {
        return "channel " + c + " is not finite: '" + abbreviate(tokens[c]) + "'";
      }
      out[c] = v;
    }
    return null;
  }

  private static String abbreviate(String s) {
    return s.length() <= 24 ? s : s.substring(0, 24) + "...";
  }

  /**
   * The keypoints of a parsed frame as a two-frame motion (the calibration frame, then this one): sample
   * it at {@link #frameTime()} for this frame. The first frame accepted calibrates.
   */
  public KeypointMotion accept(double[] values) {
    if (first == null) {
      first = values.clone();
    }
    double[] two = new double[2 * stride];
    System.arraycopy(first, 0, two, 0, stride);
    System.arraycopy(values, 0, two, stride, stride);
    BvhClip clip = new BvhClip(name, header.skeleton(), header.frameTime(), 2, two, header.unit(),
        header.unitInferred(), 0, 0);
    return KeypointMotion.from(clip, map);
  }
}

package io.optimus.motion.bvh;

import io.optimus.common.InputFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Biovision BVH motion files as real exporters write them: CRLF, LF or mixed line endings,
 * tabs or spaces, any rotation channel order per joint, 0- to 6-channel joints, End Sites, zero
 * offsets, {@code Frame Time: .0083333}. Anything else fails with a {@link BvhException} naming the
 * file, the line and the problem.
 *
 * <p>Units: BVH does not declare them. Pass a {@link LengthUnit}, or null to infer it from the
 * skeleton's height over the clip (logged as a warning, since a guess can be wrong).
 */
public final class BvhParser {
  private static final Logger LOG = LoggerFactory.getLogger(BvhParser.class);

  /** Largest BVH file read (about a quarter of an hour of 120 Hz capture of a 60-joint skeleton). */
  public static final long MAX_FILE_BYTES = 64L << 20;
  /** Deepest joint nesting accepted (human skeletons with fingers are about 30 deep). */
  public static final int MAX_DEPTH = 256;

  private BvhParser() {}

  /**
   * Parses a file; {@code unit} null infers the unit from the skeleton height. Files over
   * {@link #MAX_FILE_BYTES} and anything but a regular file are refused.
   */
  public static BvhClip parse(Path file, LengthUnit unit) {
    String text;
    try {
      text = new String(InputFiles.read(file, MAX_FILE_BYTES, "BVH files"), StandardCharsets.ISO_8859_1);
    } catch (InputFiles.Unreadable e) {
      throw new BvhException(file.toString(), 0, e.problem());
    }
    return new Reader(file.toString(), text).read(unit, file.getFileName().toString());
  }

  /** Parses BVH text; {@code name} names the input in errors. */
  public static BvhClip parse(String name, String text, LengthUnit unit) {
    return new Reader(name, text).read(unit, name);
  }

  /**
   * Tokens are split line by line as the parser reaches them (only the line offsets are kept for the
   * whole file), so memory stays a small multiple of the file size.
   */
  private static final class Reader {
    private static final String[] EMPTY = new String[0];
    private final String name;
    private final String text;
    private final Lines lines;
    private int lineIndex;
    private int tokenIndex;

    /** Line start offsets of the text ("\r\n", "\n" or "\r" end a line) and the tokens of one cached line. */
    private final class Lines {
      private int[] starts = new int[1024];
      private int count;
      private int cachedLine = -1;
      private String[] cached;

      Lines() {
        int n = text.length();
        add(0);
        for (int i = 0; i < n; i++) {
          char c = text.charAt(i);
          if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
              i++;
            }
            add(i + 1);
          }
        }
      }

      private void add(int start) {
        if (count == starts.length) {
          starts = java.util.Arrays.copyOf(starts, count * 2);
        }
        starts[count++] = start;
      }

      int size() {
        return count;
      }

      private String text(int line) {
        int start = starts[line];
        int end = start;
        while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
          end++;
        }
        return text.substring(start, end).strip();
      }

      String[] get(int line) {
        if (line != cachedLine) {
          String t = text(line);
          cached = t.isEmpty() ? EMPTY : t.split("[ \\t\\f\\u000B]+");
          cachedLine = line;
        }
        return cached;
      }

      boolean hasContent(int line) {
        for (int i = starts[line]; i < text.length(); i++) {
          char c = text.charAt(i);
          if (c == '\n' || c == '\r') {
            return false;
          }
          if (!Character.isWhitespace(c)) {
            return true;
          }
        }
        return false;
      }
    }

    Reader(String name, String text) {
      this.name = name;
      this.text = text;
      this.lines = new Lines();
    }

    private BvhException error(String problem) {
      return new BvhException(name, Math.min(lineIndex, lines.size() - 1) + 1, problem);
    }

    private BvhException errorAtLine(int line, String problem) {
      return new BvhException(name, line, problem);
    }

    /** Skips to the next token (across lines); false at end of input. */
    private boolean advance() {
      while (lineIndex < lines.size()) {
        if (tokenIndex < lines.get(lineIndex).length) {
          return true;
        }
        lineIndex++;
        tokenIndex = 0;
      }
      return false;
    }

    private String peek() {
      return advance() ? lines.get(lineIndex)[tokenIndex] : null;
    }

    private String next(String expected) {
      if (!advance()) {
        throw errorAtLine(lines.size(), "unexpected end of file, expected " + expected);
      }
      return lines.get(lineIndex)[tokenIndex++];
    }

    private int line() {
      advance();
      return lineIndex + 1;
    }

    private void expect(String keyword) {
      String t = next("'" + keyword + "'");
      if (!t.equalsIgnoreCase(keyword)) {
        throw error("expected '" + keyword + "' but found '" + t + "'");
      }
    }

    private double number(String what) {
      String t = next(what);
      return parseNumber(t, what);
    }

    private double parseNumber(String t, String what) {
      double v;
      try {
        v = Double.parseDouble(t);
      } catch (NumberFormatException e) {
        throw error("expected a number for " + what + " but found '" + t + "'");
      }
      if (!Double.isFinite(v)) {
        throw error(what + " is not finite: '" + t + "'");
      }
      return v;
    }

    BvhClip read(LengthUnit unit, String clipName) {
      String first = peek();
      if (first == null) {
        throw errorAtLine(1, "empty file, expected 'HIERARCHY'");
      }
      if (first.startsWith("\uFEFF")) {
        lines.get(lineIndex)[tokenIndex] = first.substring(1);
      }
      expect("HIERARCHY");
      List<BvhJoint> joints = new ArrayList<>();
      int[] channelCounter = {0};
      String root = next("'ROOT'");
      if (!root.equalsIgnoreCase("ROOT")) {
        throw error("expected 'ROOT' but found '" + root + "'");
      }
      readJoint(joints, -1, channelCounter, 1);
      String t = peek();
      if (t != null && t.equalsIgnoreCase("ROOT")) {
        throw error("a second ROOT is not supported (one skeleton per file)");
      }
      BvhSkeleton skeleton = new BvhSkeleton(joints);
      if (t == null) {
        throw errorAtLine(lines.size(), "unexpected end of file, expected 'MOTION'");
      }
      expect("MOTION");
      int framesLine = line();
      String framesKey = next("'Frames:'");
      String framesValue;
      if (framesKey.equalsIgnoreCase("Frames:")) {
        framesValue = next("the frame count");
      } else if (framesKey.regionMatches(true, 0, "Frames:", 0, 7)) {
        framesValue = framesKey.substring(7);
      } else {
        throw error("expected 'Frames:' but found '" + framesKey + "'");
      }
      int frameCount;
      try {
        frameCount = Integer.parseInt(framesValue);
      } catch (NumberFormatException e) {
        throw errorAtLine(framesLine, "frame count is not an integer: '" + framesValue + "'");
      }
      if (frameCount < 1) {
        throw errorAtLine(framesLine, "frame count must be at least 1, found " + frameCount);
      }
      expect("Frame");
      String timeKey = next("'Time:'");
      double frameTime;
      if (timeKey.equalsIgnoreCase("Time:")) {
        frameTime = number("Frame Time");
      } else if (timeKey.regionMatches(true, 0, "Time:", 0, 5) && timeKey.length() > 5) {
        frameTime = parseNumber(timeKey.substring(5), "Frame Time");
      } else {
        throw error("expected 'Time:' but found '" + timeKey + "'");
      }
      if (frameTime <= 0) {
        throw error("Frame Time must be positive, found " + frameTime);
      }
      int stride = skeleton.channelCount();
      double[] values = readFrames(framesLine, frameCount, stride);
      double height = skeletonHeight(skeleton, values, frameCount);
      double span = skeletonSpan(skeleton);
      boolean inferred = unit == null;
      LengthUnit chosen = inferred ? LengthUnit.inferFromSpan(span) : unit;
      if (inferred) {
        LOG.warn("{}: BVH declares no length unit; inferred '{}' from the skeleton span (longest limb-to-limb"
            + " path, fingertip to toe) of {} file units = {} m; pass the unit explicitly if this is wrong",
            name, chosen.name().toLowerCase(), String.format("%.2f", span),
            String.format("%.2f", span * chosen.metres()));
      }
      return new BvhClip(clipName, skeleton, frameTime, frameCount, values, chosen, inferred, height, span);
    }

    private double[] readFrames(int framesLine, int frameCount, int stride) {
      // Motion data is one frame per line, so counts are checked per line.
      int line = lineIndex + 1;
      if (tokenIndex < lines.get(lineIndex).length) {
        throw error("unexpected '" + lines.get(lineIndex)[tokenIndex] + "' after Frame Time");
      }
      // Never allocate for more frames than the file has lines: a header claiming 2^31 frames is refused
      // as truncated below, without first asking for gigabytes.
      int available = 0;
      for (int l = line; l < lines.size() && available < frameCount; l++) {
        if (lines.hasContent(l)) {
          available++;
        }
      }
      long cells = (long) Math.min(frameCount, available) * stride;
      if (cells > Integer.MAX_VALUE - 16) {
        throw errorAtLine(framesLine, "motion block of " + frameCount + " frames x " + stride + " channels is too large");
      }
      double[] values = new double[(int) cells];
      int frame = 0;
      for (; line < lines.size() && frame < frameCount; line++) {
        String[] tokens = lines.get(line);
        if (tokens.length == 0) {
          continue;
        }
        lineIndex = line;
        if (tokens.length != stride) {
          throw errorAtLine(line + 1, "frame " + frame + " has " + tokens.length + " values but the hierarchy"
              + " declares " + stride + " channels");
        }
        for (int c = 0; c < stride; c++) {
          values[frame * stride + c] = parseNumber(tokens[c], "frame " + frame + " channel " + c);
        }
        frame++;
      }
      if (frame < frameCount) {
        throw errorAtLine(lines.size(), "truncated motion block: 'Frames: " + frameCount + "' but the file ends"
            + " after " + frame + " frames");
      }
      for (; line < lines.size(); line++) {
        if (lines.hasContent(line)) {
          LOG.warn("{}:{}: data after the {} declared frames ignored", name, line + 1, frameCount);
          break;
        }
      }
      return values;
    }

    private void readJoint(List<BvhJoint> joints, int parent, int[] channelCounter, int depth) {
      int declLine = line();
      if (depth > MAX_DEPTH) {
        throw error("joints nested deeper than " + MAX_DEPTH + " levels");
      }
      String jointName = next("a joint name");
      if (jointName.equals("{")) {
        throw error("joint has no name");
      }
      expect("{");
      expect("OFFSET");
      double ox = number("OFFSET x");
      double oy = number("OFFSET y");
      double oz = number("OFFSET z");
      List<BvhChannel> channels = new ArrayList<>();
      String t = peek();
      if (t != null && t.equalsIgnoreCase("CHANNELS")) {
        channels = readChannels();
      } else if (t == null) {
        throw errorAtLine(lines.size(), "unexpected end of file inside joint '" + jointName + "'");
      }
      int index = joints.size();
      int first = channelCounter[0];
      channelCounter[0] += channels.size();
      joints.add(null);
      double[] endSite = null;
      while (true) {
        String k = next("'}' closing joint '" + jointName + "'");
        if (k.equals("}")) {
          break;
        } else if (k.equalsIgnoreCase("JOINT")) {
          readJoint(joints, index, channelCounter, depth + 1);
        } else if (k.equalsIgnoreCase("End")) {
          String site = next("'Site'");
          if (!site.equalsIgnoreCase("Site")) {
            throw error("expected 'End Site' but found 'End " + site + "'");
          }
          if (endSite != null) {
            throw error("joint '" + jointName + "' has two End Sites");
          }
          expect("{");
          expect("OFFSET");
          endSite = new double[] {number("End Site OFFSET x"), number("End Site OFFSET y"),
              number("End Site OFFSET z")};
          expect("}");
        } else if (k.equalsIgnoreCase("MOTION") || k.equalsIgnoreCase("ROOT")) {
          throw error("joint '" + jointName + "' (line " + declLine + ") is not closed before '" + k + "'");
        } else {
          throw error("unknown keyword '" + k + "' in joint '" + jointName + "' (expected JOINT, End Site or })");
        }
      }
      joints.set(index, new BvhJoint(jointName, index, parent, ox, oy, oz, channels, first, endSite, declLine));
    }

    private List<BvhChannel> readChannels() {
      expect("CHANNELS");
      int countLine = line();
      String countText = next("the channel count");
      int count;
      try {
        count = Integer.parseInt(countText);
      } catch (NumberFormatException e) {
        throw error("channel count is not an integer: '" + countText + "'");
      }
      if (count < 0 || count > 6) {
        throw error("channel count must be 0 to 6, found " + count);
      }
      List<BvhChannel> channels = new ArrayList<>();
      Set<BvhChannel> seen = EnumSet.noneOf(BvhChannel.class);
      for (int i = 0; i < count; i++) {
        String token = peek();
        BvhChannel c = token == null ? null : BvhChannel.parse(token);
        if (c == null) {
          throw errorAtLine(countLine, "channel count mismatch: CHANNELS declares " + count + " but lists " + i
              + (token == null ? "" : " (then '" + token + "')"));
        }
        next("a channel");
        if (!seen.add(c)) {
          throw error("channel " + c.bvhName() + " listed twice");
        }
        channels.add(c);
      }
      String after = peek();
      if (after != null && BvhChannel.parse(after) != null) {
        throw errorAtLine(countLine, "channel count mismatch: CHANNELS declares " + count + " but lists more ('"
            + after + "')");
      }
      return channels;
    }
  }

  /**
   * The longest path between two leaves of the hierarchy (end sites included), summing offset
   * lengths: fingertip to toe for a human (about 1.3 body heights), independent of the pose.
   */
  static double skeletonSpan(BvhSkeleton skeleton) {
    int n = skeleton.jointCount();
    double[] down = new double[n];
    double[] best1 = new double[n];
    double[] best2 = new double[n];
    for (BvhJoint j : skeleton.joints()) {
      double[] e = j.endSite();
      if (e != null) {
        best1[j.index()] = Math.sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]);
      }
    }
    double diameter = 0;
    for (int i = n - 1; i >= 0; i--) {
      down[i] = best1[i];
      diameter = Math.max(diameter, best1[i] + best2[i]);
      BvhJoint j = skeleton.joints().get(i);
      if (j.parent() >= 0) {
        double len = Math.sqrt(j.offsetX() * j.offsetX() + j.offsetY() * j.offsetY() + j.offsetZ() * j.offsetZ());
        double branch = down[i] + len;
        int p = j.parent();
        if (branch > best1[p]) {
          best2[p] = best1[p];
          best1[p] = branch;
        } else if (branch > best2[p]) {
          best2[p] = branch;
        }
      }
    }
    return diameter;
  }

  /** Largest vertical (file y) extent of joints and end sites over the clip, in file units. */
  static double skeletonHeight(BvhSkeleton skeleton, double[] values, int frameCount) {
    BvhPose pose = new BvhPose(skeleton, values, 1.0);
    int step = Math.max(1, frameCount / 200);
    double best = 0;
    for (int f = 0; f < frameCount; f += step) {
      pose.setFrame(f);
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < skeleton.jointCount(); j++) {
        double y = pose.filePosition(j, 1);
        lo = Math.min(lo, y);
        hi = Math.max(hi, y);
        double e = pose.fileEndSitePosition(j, 1);
        if (!Double.isNaN(e)) {
          lo = Math.min(lo, e);
          hi = Math.max(hi, e);
        }
      }
      best = Math.max(best, hi - lo);
    }
    return best;
  }
}

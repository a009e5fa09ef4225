package io.optimus.motion.bvh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BvhParserTest {

  /** Root with translation + the given rotation channels, one child at {@code childOffset}, End Site. */
  private static String twoJoints(String rootRotations, String childOffset, String frame) {
    return String.join("\n",
        "HIERARCHY",
        "ROOT Root",
        "{",
        "  OFFSET 0 0 0",
        "  CHANNELS 6 Xposition Yposition Zposition " + rootRotations,
        "  JOINT Child",
        "  {",
        "    OFFSET " + childOffset,
        "    CHANNELS 0",
        "    End Site",
        "    {",
        "      OFFSET 0 0 0",
        "    }",
        "  }",
        "}",
        "MOTION",
        "Frames: 1",
        "Frame Time: 0.1",
        frame,
        "");
  }

  /**
   * Each rotation order against hand-worked products of 90-degree rotations (Rx: y->z, z->-y;
   * Ry: z->x, x->-z; Rz: x->y, y->-x), applied right to left in the listed order.
   */
  @ParameterizedTest(name = "{0} {1} on ({2}) -> ({3})")
  @CsvSource(delimiter = ';', value = {
      "Zrotation Yrotation Xrotation; 90 90 0; 1 0 0; 0 0 -1",
      "Xrotation Yrotation Zrotation; 90 90 0; 1 0 0; 0 1 0",
      "Yrotation Xrotation Zrotation; 90 90 0; 1 0 0; 0 0 -1",
      "Zrotation Xrotation Yrotation; 90 90 0; 0 1 0; 0 0 1",
      "Xrotation Zrotation Yrotation; 90 90 0; 0 1 0; -1 0 0",
      "Yrotation Zrotation Xrotation; 90 90 0; 0 1 0; 0 0 1",
      "Zrotation Yrotation Xrotation; 0 0 90; 0 1 0; 0 0 1",
      "Zrotation Yrotation Xrotation; 30 0 0; 2 0 0; 1.7320508075688772 1 0"})
  void everyRotationOrderComposesInListedOrder(String order, String angles, String offset, String expected) {
    BvhClip clip = BvhParser.parse("order.bvh", twoJoints(order, offset, "10 20 30 " + angles), LengthUnit.M);
    assertEquals(order.replace("rotation", "").replace(" ", ""), clip.skeleton().root().rotationOrder());
    BvhPose pose = new BvhPose(clip).setFrame(0);
    double[] want = parse(expected);
    double[] got = {pose.filePosition(1, 0) - 10, pose.filePosition(1, 1) - 20, pose.filePosition(1, 2) - 30};
    assertArrayEquals(want, got, 1e-9);
    // Project frame, z up: (x, y, z)_file -> (z, x, y).
    assertEquals(30 + want[2], pose.position(1, 0), 1e-9);
    assertEquals(10 + want[0], pose.position(1, 1), 1e-9);
    assertEquals(20 + want[1], pose.position(1, 2), 1e-9);
  }

  @Test
  void orientationQuaternionIsHamiltonWxyzInZUpFrame() {
    // 90 degrees about the file's y (up) is 90 degrees about z (up) in the project frame.
    BvhClip clip = BvhParser.parse("q.bvh", twoJoints("Zrotation Yrotation Xrotation", "1 0 0", "0 0 0 0 90 0"),
        LengthUnit.M);
    double[] q = new double[4];
    new BvhPose(clip).setFrame(0).quaternion(0, q);
    double h = Math.sqrt(0.5);
    assertArrayEquals(new double[] {h, 0, 0, h}, q, 1e-12);
  }

  private static final String SAMPLE = String.join("\n",
      "HIERARCHY",
      "ROOT Hips",
      "{",
      "\tOFFSET 0.0 0.0 0.0",
      "\tCHANNELS 6 Xposition Yposition Zposition Zrotation Yrotation Xrotation",
      "\tJOINT Spine",
      "\t{",
      "\t\tOFFSET 0 10 0",
      "\t\tCHANNELS 3 Xrotation Zrotation Yrotation",
      "\t\tJOINT Dead",
      "\t\t{",
      "\t\t\tOFFSET 0 0 0",
      "\t\t\tCHANNELS 3 Zrotation Yrotation Xrotation",
      "\t\t\tEnd Site",
      "\t\t\t{",
      "\t\t\t\tOFFSET 0 5 0",
      "\t\t\t}",
      "\t\t}",
      "\t}",
      "\tJOINT Slider",
      "\t{",
      "\t\tOFFSET 1 0 0",
      "\t\tCHANNELS 6 Zrotation Xposition Yposition Zposition Yrotation Xrotation",
      "\t\tEnd Site",
      "\t\t{",
      "\t\t\tOFFSET 0 -2 0",
      "\t\t}",
      "\t}",
      "}",
      "MOTION",
      "Frames: 2",
      "Frame Time: .0083333",
      "1 2 3 0 0 0 10 0 0 0 0 0 0 0 0 0 0 0",
      "1 2 4 0 0 0 20 0 0 0 0 0 0 1 0 0 0 0",
      "");

  @ParameterizedTest(name = "line ending {0}")
  @ValueSource(strings = {"LF", "CRLF", "CR", "MIXED", "SPACES"})
  void lineEndingsAndIndentationDoNotMatter(String style) {
    String text = switch (style) {
      case "CRLF" -> SAMPLE.replace("\n", "\r\n");
      case "CR" -> SAMPLE.replace("\n", "\r");
      case "MIXED" -> {
        StringBuilder b = new StringBuilder();
        String[] lines = SAMPLE.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
          b.append(lines[i]).append(i == lines.length - 1 ? "" : (i % 2 == 0 ? "\r\n" : "\n"));
        }
        yield b.toString();
      }
      case "SPACES" -> SAMPLE.replace("\t", "    ").replace("0 0 0 0", "0  0   0 0");
      default -> SAMPLE;
    };
    BvhClip clip = BvhParser.parse("sample.bvh", text, LengthUnit.CM);
    assertEquals(4, clip.skeleton().jointCount());
    assertEquals(18, clip.skeleton().channelCount());
    assertEquals(2, clip.frameCount());
    assertEquals(0.0083333, clip.frameTime(), 1e-12);
    assertEquals(List.of("Hips", "Spine", "Dead", "Slider"),
        clip.skeleton().joints().stream().map(BvhJoint::name).toList());
    assertEquals("XZY", clip.skeleton().joint("Spine").orElseThrow().rotationOrder());
    assertArrayEquals(new double[] {0, 5, 0}, clip.skeleton().joint("Dead").orElseThrow().endSite());
    assertFalse(clip.skeleton().joint("Slider").orElseThrow().hasEndSite() == false);
    assertEquals(List.of("Dead"), clip.deadJoints().stream().map(BvhJoint::name).toList());
    // Frame 1: Slider (6 channels on a non-root joint) is translated by its own Xposition channel.
    BvhPose pose = new BvhPose(clip).setFrame(1);
    assertEquals(1 + 1 + 1, pose.filePosition(3, 0), 1e-12);
    assertEquals(2, pose.filePosition(3, 1), 1e-12);
    // Spine rotates 20 degrees about x: the Dead joint (zero offset) sits on it, the End Site 5 up the spine.
    assertEquals(2 + 10, pose.filePosition(2, 1), 1e-12);
    assertEquals(2 + 10 + 5 * Math.cos(Math.toRadians(20)), pose.fileEndSitePosition(2, 1), 1e-12);
    assertEquals(4 + 5 * Math.sin(Math.toRadians(20)), pose.fileEndSitePosition(2, 2), 1e-12);
    // Units: cm given, so metres are file units / 100; z up.
    assertEquals((2 + 10) / 100.0, pose.position(2, 2), 1e-12);
  }

  @Test
  void gluedHeaderTokensAndByteOrderMarkAreAccepted() {
    String text = "\uFEFF" + SAMPLE.replace("Frames: 2", "Frames:2").replace("Frame Time: .0083333", "Frame Time:.0083333");
    BvhClip clip = BvhParser.parse("glued.bvh", text, LengthUnit.CM);
    assertEquals(2, clip.frameCount());
    assertEquals(0.0083333, clip.frameTime(), 1e-12);
  }

  @Test
  void extraFramesAfterTheDeclaredCountAreIgnored() {
    String text = SAMPLE + "1 2 3 0 0 0 10 0 0 0 0 0 0 0 0 0 0 0\n";
    assertEquals(2, BvhParser.parse("extra.bvh", text, LengthUnit.CM).frameCount());
  }

  @Test
  void givenUnitIsNotInferred() {
    BvhClip clip = BvhParser.parse("sample.bvh", SAMPLE, LengthUnit.INCH);
    assertEquals(LengthUnit.INCH, clip.unit());
    assertFalse(clip.unitInferred());
  }

  @Test
  void unitsAreParsedByName() {
    assertEquals(LengthUnit.CMU, LengthUnit.parse("cmu"));
    assertEquals(LengthUnit.MM, LengthUnit.parse("MM"));
    assertEquals(0.0254 / 0.45, LengthUnit.CMU.metres(), 1e-15);
    assertThrows(InputException.class, () -> LengthUnit.parse("furlong"));
  }

  @ParameterizedTest(name = "span {0} file units -> {1}")
  @CsvSource({"2.1, M", "210, CM", "2100, MM", "85, INCH", "39, CMU", "28, CMU"})
  void unitIsInferredFromSkeletonSpan(double span, LengthUnit expected) {
    assertEquals(expected, LengthUnit.inferFromSpan(span));
  }

  /** Malformed inputs: each names the file and the line of the problem. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "channel count short|\tCHANNELS 3 Xrotation Zrotation Yrotation|\tCHANNELS 3 Xrotation Zrotation|9|channel count mismatch",
      "channel count long|\tCHANNELS 3 Xrotation Zrotation Yrotation|\tCHANNELS 2 Xrotation Zrotation Yrotation|9|channel count mismatch",
      "unknown keyword|\tJOINT Slider|\tJIONT Slider|20|unknown keyword 'JIONT'",
      "non-numeric offset|OFFSET 1 0 0|OFFSET 1 zero 0|22|expected a number",
      "bad channel count|CHANNELS 6 Zrotation Xposition|CHANNELS six Zrotation Xposition|23|not an integer",
      "frame too short|1 2 4 0 0 0 20 0 0 0 0 0 0 1 0 0 0 0|1 2 4 0 0 0 20 0 0 0 0 0 0 1 0 0 0|34|has 17 values but the hierarchy declares 18",
      "frame too long|1 2 3 0 0 0 10 0 0 0 0 0 0 0 0 0 0 0|1 2 3 0 0 0 10 0 0 0 0 0 0 0 0 0 0 0 7|33|has 19 values",
      "non-numeric motion|1 2 4 0 0 0 20 0 0 0 0 0 0 1 0 0 0 0|1 2 4 0 0 0 20 0 0 0 abc 0 0 1 0 0 0 0|34|found 'abc'",
      "NaN motion|1 2 4 0 0 0 20 0 0 0 0 0 0 1 0 0 0 0|1 2 4 0 0 0 NaN 0 0 0 0 0 0 1 0 0 0 0|34|not finite",
      "truncated motion|Frames: 2|Frames: 3|35|truncated motion block",
      "zero frame time|Frame Time: .0083333|Frame Time: 0|32|Frame Time must be positive",
      "bad frames count|Frames: 2|Frames: two|31|not an integer",
      "missing hierarchy|HIERARCHY|HIERARCHIE|1|expected 'HIERARCHY'"}, quoteCharacter = '"')
  void malformedInputNamesFileAndLine(String what, String from, String to, int line, String message) {
    String text = SAMPLE.replace(from, to);
    assertFalse(text.equals(SAMPLE), "the case must change the sample");
    BvhException e = assertThrows(BvhException.class, () -> BvhParser.parse("bad.bvh", text, LengthUnit.CM));
    assertEquals("bad.bvh", e.file());
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().startsWith("bad.bvh:" + line + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertTrue(e instanceof InputException);
  }

  @Test
  void unclosedJointIsReportedWhereTheNextKeywordAppears() {
    // Drop Slider's closing brace: the root's '}' closes Slider and MOTION arrives inside the root.
    String text = SAMPLE.replace("\t\t}\n\t}\n}\nMOTION", "\t\t}\n}\nMOTION");
    assertFalse(text.equals(SAMPLE));
    BvhException e = assertThrows(BvhException.class, () -> BvhParser.parse("u.bvh", text, LengthUnit.CM));
    assertEquals(29, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("joint 'Hips' (line 2) is not closed before 'MOTION'"), e.getMessage());
  }

  @Test
  void emptyAndHierarchyOnlyFilesAreErrors() {
    BvhException empty = assertThrows(BvhException.class, () -> BvhParser.parse("e.bvh", "\r\n  \n", null));
    assertTrue(empty.getMessage().contains("empty file"), empty.getMessage());
    String noMotion = SAMPLE.substring(0, SAMPLE.indexOf("MOTION"));
    BvhException e = assertThrows(BvhException.class, () -> BvhParser.parse("h.bvh", noMotion, null));
    assertTrue(e.getMessage().contains("expected 'MOTION'"), e.getMessage());
  }

  @Test
  void missingFileIsAnInputError() {
    BvhException e = assertThrows(BvhException.class,
        () -> BvhParser.parse(java.nio.file.Path.of("/nonexistent/x.bvh"), null));
    assertTrue(e.getMessage().contains("no such file"));
  }

  private static double[] parse(String xyz) {
    String[] t = xyz.trim().split("\\s+");
    return new double[] {Double.parseDouble(t[0]), Double.parseDouble(t[1]), Double.parseDouble(t[2])};
  }
}

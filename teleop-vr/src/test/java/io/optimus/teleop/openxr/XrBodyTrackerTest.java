package io.optimus.teleop.openxr;

import static io.optimus.teleop.openxr.OpenXrPoseSourceTest.assertPose;
import static io.optimus.teleop.openxr.OpenXrPoseSourceTest.fmt;
import static io.optimus.teleop.openxr.OpenXrPoseSourceTest.options;
import static io.optimus.teleop.openxr.OpenXrPoseSourceTest.run;
import static io.optimus.teleop.openxr.OpenXrPoseSourceTest.xrPose;
import static org.junit.jupiter.api.Assertions.*;

import io.optimus.proto.v1.BodyJoint;
import io.optimus.proto.v1.BodyJointId;
import io.optimus.proto.v1.BodySkeleton;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.teleop.OperatorStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lwjgl.openxr.XrBodyJointLocationBD;
import org.lwjgl.openxr.XrBodyJointLocationFB;
import org.lwjgl.openxr.XrBodyJointLocationHTC;

/**
 * Body tracking through each extension's joint set, against the fake runtime's body-joint script:
 * the client picks the preferred extension, maps its joints to the 16 BodyJointIds, converts them to
 * the operator frame and tears the tracker down; without an extension (or when the tracker is
 * refused) frames are what they were (no body, schema 1).
 */
class XrBodyTrackerTest {
  private static final int FRAMES = 20;
  private static final int MOVE_AT = 8;
  // flags: orientation valid 1, position valid 2, orientation tracked 4, position tracked 8
  private static final int INFERRED = 1 | 2;
  private static final int POSITION_ONLY = 2 | 8;

  /** Every joint of an {@code n}-joint set scripted (moving at MOVE_AT); a few with partial flags. */
  static String bodyScript(String offered, int n, XrBodyJointMap set, String extra) {
    StringBuilder s = new StringBuilder();
    s.append("period_ms 5\nexit_after ").append(FRAMES).append('\n');
    s.append("profile ").append(XrControllerActions.TOUCH).append('\n');
    s.append("body_tracking ").append(offered).append('\n').append(extra);
    s.append("0 head").append(fmt(xrPose(0, 0))).append('\n');
    s.append("0 body_active 1\n");
    for (int k : new int[] {0, MOVE_AT}) {
      for (int j = 0; j < n; j++) {
        int flags = 15;
        if (j == set.index(BodyJointId.BODY_JOINT_NECK_VALUE)) {
          flags = INFERRED;
        } else if (j == set.index(BodyJointId.BODY_JOINT_HEAD_VALUE)) {
          flags = POSITION_ONLY;
        } else if (j == set.index(BodyJointId.BODY_JOINT_PELVIS_VALUE)) {
          flags = 0; // not located this frame
        }
        double[] p = j == set.index(BodyJointId.BODY_JOINT_LEFT_ELBOW_VALUE) && k == 0 ? KNOWN_XR : xrPose(100 + j, k);
        s.append(k).append(" body_joint ").append(j).append(fmt(p)).append(' ').append(flags).append('\n');
      }
    }
    return s.toString();
  }

  /** A y-up pose: 25 cm right, 1.1 m up, 35 cm ahead, turned 90 degrees to the left (about +y). */
  static final double[] KNOWN_XR = {0.25, 1.1, -0.35, 0, Math.sqrt(0.5), 0, Math.sqrt(0.5)};

  /** ... in the operator frame: x 0.35 ahead, y -0.25 (right), z 1.1 up, turned 90 degrees about +z. */
  static void assertKnownPose(BodyJoint j) {
    assertEquals(0.35, j.getPose().getPosition().getX(), 1e-6);
    assertEquals(-0.25, j.getPose().getPosition().getY(), 1e-6);
    assertEquals(1.1, j.getPose().getPosition().getZ(), 1e-6);
    assertEquals(Math.sqrt(0.5), j.getPose().getOrientation().getW(), 1e-6);
    assertEquals(0, j.getPose().getOrientation().getX(), 1e-6);
    assertEquals(0, j.getPose().getOrientation().getY(), 1e-6);
    assertEquals(Math.sqrt(0.5), j.getPose().getOrientation().getZ(), 1e-6);
  }

  private record Run(OpenXrPoseSource source, List<OperatorFrame> frames, Map<String, String> report) {}

  private static Run run(String name, String script) throws Exception {
    Path manifest = FakeOpenXrRuntime.manifest();
    Path reportFile = FakeOpenXrRuntime.useScript(name, script);
    OpenXrPoseSource source = new OpenXrPoseSource(options(manifest));
    List<OperatorFrame> frames = OpenXrPoseSourceTest.run(source);
    return new Run(source, frames, FakeOpenXrRuntime.report(reportFile));
  }

  private static void assertSet(String offered, XrBodyJointMap set, float level, String extra) throws Exception {
    Run r = run("body-" + set.name(), bodyScript(offered, set.count, set, extra));
    assertEquals("", r.report().get("failures"));
    assertEquals(Integer.toString(set.count), r.report().get("body_joint_count"), "the tracker was created with the whole set");
    assertEquals("1", r.report().get("body_trackers_created"));
    assertEquals("0", r.report().get("body_trackers"), "the tracker was destroyed at the end");
    assertEquals("1", r.report().get("body_trackers_destroyed"), "by the client, before its session");
    assertEquals(Long.toString(FRAMES), r.report().get("body_locates"), "located once per frame, with head and hands");
    assertEquals(FRAMES, r.frames().size());
    for (int k = 0; k < FRAMES - 1; k++) {
      OperatorFrame f = r.frames().get(k);
      assertEquals(OperatorStream.SCHEMA_VERSION_BODY, f.getSchemaVersion());
      BodySkeleton b = f.getBody();
      assertTrue(b.getActive(), "frame " + k);
      assertEquals(set.source, b.getSource());
      assertEquals(XrBodyJointMap.JOINTS, b.getJointsCount());
      int t = k < MOVE_AT ? 0 : MOVE_AT;
      for (int id = 0; id < XrBodyJointMap.JOINTS; id++) {
        BodyJoint j = b.getJoints(id);
        String what = set + " " + BodyJointId.forNumber(id) + " at frame " + k;
        int native_ = set.index(id);
        if (native_ == XrBodyJointMap.NONE || id == BodyJointId.BODY_JOINT_PELVIS_VALUE) {
          assertEquals(0f, j.getConfidence(), what + ": absent or not located");
          assertFalse(j.getOrientationValid(), what);
          continue;
        }
        if (id == BodyJointId.BODY_JOINT_LEFT_ELBOW_VALUE && t == 0) {
          assertKnownPose(j);
        } else if (id == BodyJointId.BODY_JOINT_HEAD_VALUE) {
          double[] xr = xrPose(100 + native_, t);
          assertFalse(j.getOrientationValid(), what);
          assertEquals(-xr[2], j.getPose().getPosition().getX(), 1e-5, what);
        } else {
          assertPose(xrPose(100 + native_, t), j.getPose(), what);
        }
        float expected = id == BodyJointId.BODY_JOINT_NECK_VALUE ? 0.5f * level : level;
        assertEquals(expected, j.getConfidence(), 1e-6, what + " confidence");
        assertEquals(id != BodyJointId.BODY_JOINT_HEAD_VALUE, j.getOrientationValid(), what);
      }
    }
  }

  @Test
  void fbWithMetaFullBodyStreamsAll16JointsOfThe84JointSet() throws Exception {
    assertSet("XR_HTC_body_tracking XR_FB_body_tracking XR_META_body_tracking_full_body XR_BD_body_tracking",
        XrBodyJointMap.META_FULL_BODY, 1f, "");
  }

  @Test
  void fbAloneIsTheUpperBody70JointSetWithLegsAtConfidenceZero() throws Exception {
    assertSet("XR_FB_body_tracking XR_BD_body_tracking", XrBodyJointMap.FB, 0.8f, "0 body_confidence 0.8\n");
  }

  @Test
  void htcStreamsIts26JointsWithItsConfidenceLevel() throws Exception {
    assertSet("XR_HTC_body_tracking XR_BD_body_tracking", XrBodyJointMap.HTC, 0.5f, "0 body_confidence 0.5\n");
  }

  @Test
  void bdStreamsIts24Joints() throws Exception {
    assertSet("XR_BD_body_tracking", XrBodyJointMap.BD, 1f, "");
  }

  @Test
  void anUntrackedBodyIsSentInactiveWithoutJoints() throws Exception {
    Run r = run("body-inactive", bodyScript("XR_HTC_body_tracking", 26, XrBodyJointMap.HTC, "") + "5 body_active 0\n");
    OperatorFrame f = r.frames().get(7);
    assertTrue(f.hasBody());
    assertFalse(f.getBody().getActive());
    assertEquals(0, f.getBody().getJointsCount());
    assertTrue(r.frames().get(3).getBody().getActive());
  }

  @Test
  void withoutBodyTrackingFramesAreAsBefore() throws Exception {
    Run r = run("body-none", bodyScript("", 24, XrBodyJointMap.BD, ""));
    assertEquals(Optional.empty(), r.source().bodyTracking());
    assertFalse(r.report().get("extensions").contains("body"), r.report().get("extensions"));
    assertEquals("0", r.report().get("body_trackers_created"));
    for (OperatorFrame f : r.frames()) {
      assertFalse(f.hasBody());
      assertEquals(OperatorStream.SCHEMA_VERSION, f.getSchemaVersion());
      assertTrue(f.getHeadValid());
    }
  }

  @Test
  void aRefusedOrUnsupportedTrackerFallsBackToTheFramesOfBefore() throws Exception {
    for (String fault : new String[] {"body_create_fails\n", "body_unsupported\n"}) {
      Run r = run("body-refused", bodyScript("XR_FB_body_tracking", 70, XrBodyJointMap.FB, fault));
      assertEquals("", r.report().get("failures"));
      assertTrue(r.report().get("extensions").contains("XR_FB_body_tracking"), "enabled, as offered");
      assertEquals("0", r.report().get("body_trackers"));
      assertEquals(FRAMES, r.frames().size(), fault);
      for (OperatorFrame f : r.frames()) {
        assertFalse(f.hasBody(), fault);
        assertEquals(OperatorStream.SCHEMA_VERSION, f.getSchemaVersion());
      }
    }
  }

  @Test
  void aLostSessionDestroysTheTrackerAndTheNewSessionHasOneAgain() throws Exception {
    String s = bodyScript("XR_BD_body_tracking", 24, XrBodyJointMap.BD, "session_lost_after 6\nunavailable_for 1\n")
        .replace("exit_after " + FRAMES, "exit_after 30");
    Path manifest = FakeOpenXrRuntime.manifest();
    Path reportFile = FakeOpenXrRuntime.useScript("body-lost", s);
    OpenXrPoseSource source = new OpenXrPoseSource(options(manifest));
    int withBody = 0;
    try (OperatorStream stream = new OperatorStream(source, "op1")) {
      for (int n = 0; withBody < 5; n++) {
        Optional<OperatorFrame> f = stream.next();
        assertTrue(f.isPresent() && n < 500, "the stream ended before the new session's body arrived");
        if (source.sessionsRegained() > 0 && f.get().getBody().getActive()) {
          withBody++;
        }
      }
    }
    Map<String, String> report = FakeOpenXrRuntime.report(reportFile);
    assertEquals("", report.get("failures"), "no call on a destroyed tracker");
    assertEquals("2", report.get("body_trackers_created"), "one per session");
    assertEquals("2", report.get("body_trackers_destroyed"), "the lost session's tracker too, before the session");
    assertEquals("0", report.get("body_trackers"));
  }

  @Test
  void theMapNamesDistinctJointsWithinEachSetAndTheLocationLayoutsAgree() {
    for (XrBodyJointMap set : XrBodyJointMap.values()) {
      Set<Integer> seen = new HashSet<>();
      for (int id = 0; id < XrBodyJointMap.JOINTS; id++) {
        int k = set.index(id);
        assertTrue(k == XrBodyJointMap.NONE || k >= 0 && k < set.count, set + " " + id);
        assertTrue(k == XrBodyJointMap.NONE || seen.add(k), set + ": joint " + k + " mapped twice");
      }
    }
    assertEquals(BodyJointId.values().length - 1, XrBodyJointMap.JOINTS, "16 BodyJointIds (and UNRECOGNIZED)");
    assertEquals(XrBodyJointLocationFB.SIZEOF, XrBodyJointLocationHTC.SIZEOF);
    assertEquals(XrBodyJointLocationFB.SIZEOF, XrBodyJointLocationBD.SIZEOF);
    assertEquals(XrBodyJointLocationFB.POSE, XrBodyJointLocationHTC.POSE);
    assertEquals(XrBodyJointLocationFB.POSE, XrBodyJointLocationBD.POSE);
  }
}

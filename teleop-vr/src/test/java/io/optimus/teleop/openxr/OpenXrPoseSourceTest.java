package io.optimus.teleop.openxr;

import static org.junit.jupiter.api.Assertions.*;

import io.optimus.common.InputException;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.OperatorEvent;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.teleop.OperatorStream;
import io.optimus.teleop.frame.XrToOperator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The real OpenXR code path (LWJGL's loader + our client) against the fake runtime's scripted rig. */
class OpenXrPoseSourceTest {
  private static final double PERIOD_MS = 5.0;
  private static final int FRAMES = 40;
  private static final double EPS = 1e-5; // the runtime speaks float

  /** Scripted OpenXR (y-up) pose of some tracked thing at frame k: everything moves every frame. */
  static double[] xrPose(int thing, int k) {
    double a = 0.05 * k + 0.3 * thing;
    double[] axis = {Math.sin(thing + 1.0), Math.cos(thing * 0.7), 0.5};
    double n = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
    double s = Math.sin(a / 2) / n;
    return new double[] {0.1 * thing + 0.01 * k, 1.0 + 0.02 * thing, -0.3 - 0.005 * k,
        axis[0] * s, axis[1] * s, axis[2] * s, Math.cos(a / 2)};
  }

  static String fmt(double[] p) {
    StringBuilder b = new StringBuilder();
    for (double d : p) {
      b.append(' ').append(d);
    }
    return b.toString();
  }

  static String script(String profile, boolean withHands) {
    StringBuilder s = new StringBuilder();
    s.append("period_ms ").append(PERIOD_MS).append('\n').append("exit_after ").append(FRAMES).append('\n');
    s.append("profile ").append(profile).append('\n');
    for (int k = 0; k < FRAMES + 2; k++) {
      s.append(k).append(" head").append(fmt(xrPose(0, k))).append('\n');
      s.append(k).append(" grip left").append(fmt(xrPose(1, k))).append('\n');
      s.append(k).append(" aim left").append(fmt(xrPose(2, k))).append('\n');
      s.append(k).append(" grip right").append(fmt(xrPose(3, k))).append('\n');
      s.append(k).append(" aim right").append(fmt(xrPose(4, k))).append('\n');
      if (withHands) {
        for (int j = 0; j < 26; j++) {
          s.append(k).append(" joint left ").append(j).append(fmt(xrPose(10 + j, k))).append(" 0.01\n");
          s.append(k).append(" joint right ").append(j).append(fmt(xrPose(40 + j, k))).append(' ').append(0.005 + j * 1e-4).append('\n');
        }
      }
    }
    if (withHands) {
      s.append("0 hand_active left 1\n0 hand_active right 1\n");
    }
    return s.toString();
  }

  static void assertPose(double[] xr, Pose actual, String what) {
    Pose expected = XrToOperator.pose(xr[0], xr[1], xr[2], xr[3], xr[4], xr[5], xr[6]);
    assertEquals(expected.getPosition().getX(), actual.getPosition().getX(), EPS, what + " x");
    assertEquals(expected.getPosition().getY(), actual.getPosition().getY(), EPS, what + " y");
    assertEquals(expected.getPosition().getZ(), actual.getPosition().getZ(), EPS, what + " z");
    double dot = expected.getOrientation().getW() * actual.getOrientation().getW()
        + expected.getOrientation().getX() * actual.getOrientation().getX()
        + expected.getOrientation().getY() * actual.getOrientation().getY()
        + expected.getOrientation().getZ() * actual.getOrientation().getZ();
    assertEquals(1.0, Math.abs(dot), EPS, what + " orientation");
  }

  static List<OperatorFrame> run(OpenXrPoseSource source) throws Exception {
    List<OperatorFrame> frames = new ArrayList<>();
    try (OperatorStream stream = new OperatorStream(source, "op1")) {
      for (Optional<OperatorFrame> f = stream.next(); f.isPresent(); f = stream.next()) {
        frames.add(f.get());
        assertTrue(frames.size() < 10 * FRAMES, "the session never ended");
      }
    }
    return frames;
  }

  static OpenXrOptions options(Path manifest) {
    return OpenXrOptions.headlessDefaults().withRuntimeJson(manifest).withHeadlessRate(1000 / PERIOD_MS);
  }

  @Test
  void touchControllersAndHandsArriveInTheOperatorFrame() throws Exception {
    Path manifest = FakeOpenXrRuntime.manifest();
    StringBuilder s = new StringBuilder(script(XrControllerActions.TOUCH, true));
    s.append("5 input right /input/squeeze/value 0.95\n");
    s.append("6 input left /input/trigger/value 0.25\n");
    s.append("6 input left /input/thumbstick 0.5 -0.25\n");
    s.append("10 input right /input/b/click 1\n12 input right /input/b/click 0\n");
    Path reportFile = FakeOpenXrRuntime.useScript("touch", s.toString());

    OpenXrPoseSource source = new OpenXrPoseSource(options(manifest));
    assertEquals("optimus fake runtime", source.runtimeName());
    assertEquals("STAGE", source.baseSpace());
    assertTrue(source.handTracking());
    assertEquals(4, source.profilesSuggested().size());
    long startWall = System.nanoTime();
    List<OperatorFrame> frames = run(source);
    long elapsed = System.nanoTime() - startWall;

    long afterRun = System.nanoTime();
    assertEquals(List.of(SessionLifecycle.State.IDLE, SessionLifecycle.State.READY, SessionLifecycle.State.SYNCHRONIZED,
        SessionLifecycle.State.VISIBLE, SessionLifecycle.State.FOCUSED, SessionLifecycle.State.VISIBLE,
        SessionLifecycle.State.SYNCHRONIZED, SessionLifecycle.State.STOPPING, SessionLifecycle.State.IDLE,
        SessionLifecycle.State.EXITING), source.statesSeen());
    assertFalse(source.lost());
    assertEquals(FRAMES, frames.size());
    // headless: paced by the client's own clock at the requested rate, sampled now (never in the future)
    assertTrue(elapsed >= (FRAMES - 2) * PERIOD_MS * 1e6, "frames came faster than the requested rate: " + elapsed);
    for (int k = 1; k < frames.size(); k++) {
      long dt = frames.get(k).getCaptureTime().getMonotonicNs() - frames.get(k - 1).getCaptureTime().getMonotonicNs();
      assertTrue(dt > 0, "capture times increase: frame " + k + ": " + dt);
      assertEquals(frames.get(k - 1).getSequence() + 1, frames.get(k).getSequence());
      assertEquals(frames.get(k).getCaptureTime(), frames.get(k).getDisplayTime(), "headless locates at the sampling time");
    }
    for (OperatorFrame f : frames) {
      long capture = f.getCaptureTime().getMonotonicNs();
      assertTrue(capture >= startWall && capture <= afterRun, "capture time is a past System.nanoTime instant: " + capture);
    }

    // the runtime focuses a headless session at xrBeginSession: everything is live from frame 0
    for (int k = 0; k < FRAMES - 1; k++) {
      OperatorFrame f = frames.get(k);
      assertTrue(f.getHeadValid());
      assertPose(xrPose(0, k), f.getHead(), "head at frame " + k);
      assertPose(xrPose(1, k), f.getLeft().getGripPose(), "left grip at frame " + k);
      assertPose(xrPose(2, k), f.getLeft().getAimPose(), "left aim at frame " + k);
      assertPose(xrPose(3, k), f.getRight().getGripPose(), "right grip at frame " + k);
      assertPose(xrPose(4, k), f.getRight().getAimPose(), "right aim at frame " + k);
      for (HandInput h : List.of(f.getLeft(), f.getRight())) {
        assertTrue(h.getGripValid() && h.getAimValid() && h.getTracked());
        assertEquals(XrControllerActions.TOUCH, h.getInteractionProfile());
        assertTrue(h.getHand().getActive());
        assertEquals(26, h.getHand().getJointsCount());
      }
      for (int j = 0; j < 26; j++) {
        assertPose(xrPose(10 + j, k), f.getLeft().getHand().getJoints(j).getPose(), "left joint " + j + " at " + k);
        assertPose(xrPose(40 + j, k), f.getRight().getHand().getJoints(j).getPose(), "right joint " + j + " at " + k);
        assertEquals(0.005 + j * 1e-4, f.getRight().getHand().getJoints(j).getRadius(), 1e-6);
        assertTrue(f.getLeft().getHand().getJoints(j).getPositionTracked());
      }
      assertEquals(k >= 5, f.getCommands().getDeadman(), "deadman (right squeeze) at frame " + k);
      assertEquals(k >= 5 ? 0.95f : 0f, f.getRight().getSqueeze(), 1e-6);
      assertEquals(k >= 6 ? 0.25f : 0f, f.getLeft().getTrigger(), 1e-6);
      assertEquals(k >= 6 ? 0.5 : 0, f.getLeft().getThumbstick().getX(), 1e-6);
      assertEquals(k >= 6 ? -0.25 : 0, f.getLeft().getThumbstick().getY(), 1e-6);
      assertEquals(k == 10 || k == 11, f.getRight().getButtons().getSecondary(), "B at frame " + k);
      assertFalse(f.getCommands().getEstop());
    }
    // B pressed at frame 10: RECORD_START in the frames of the next 100 ms (20 frames at 5 ms), one id
    Set<Long> ids = new HashSet<>();
    int carrying = 0;
    for (int k = 0; k < FRAMES; k++) {
      for (OperatorEvent e : frames.get(k).getEventsList()) {
        assertEquals(OperatorEventType.OPERATOR_EVENT_RECORD_START, e.getType());
        assertTrue(k >= 10);
        ids.add(e.getEventId());
        carrying++;
      }
    }
    assertEquals(1, ids.size());
    // 100 ms at 5 ms per frame: 20 frames on time, fewer (at least 3) when a loaded machine is late
    assertTrue(carrying >= 3 && carrying <= 22, "frames carrying the event: " + carrying);

    Map<String, String> report = FakeOpenXrRuntime.report(reportFile);
    assertEquals("", report.get("failures"));
    assertTrue(report.get("extensions").contains("XR_MND_headless"));
    assertTrue(report.get("extensions").contains("XR_EXT_hand_tracking"));
    for (String p : List.of(XrControllerActions.TOUCH, XrControllerActions.INDEX, XrControllerActions.VIVE,
        XrControllerActions.SIMPLE)) {
      assertTrue(report.get("profiles").contains(p + ":"), "bindings suggested for " + p);
    }
    assertEquals("0", report.get("hand_trackers"), "hand trackers destroyed");
    assertEquals("0", report.get("frame_loop_calls"), "a headless session runs no frame loop (XR_MND_headless)");
  }

  @Test
  void viveWithoutStageOrHandsFallsBackToLocalAndMapsTheChord() throws Exception {
    Path manifest = FakeOpenXrRuntime.manifest();
    String s = script(XrControllerActions.VIVE, false) + "no_stage\nno_hand_tracking\n"
        + "3 input left /input/squeeze/click 1\n"
        + "4 input right /input/trackpad 0.75 0.5\n"
        + "20 input left /input/menu/click 1\n20 input right /input/menu/click 1\n";
    FakeOpenXrRuntime.useScript("vive", s);
    OpenXrPoseSource source = new OpenXrPoseSource(options(manifest));
    assertEquals("LOCAL", source.baseSpace());
    assertFalse(source.handTracking());
    assertFalse(source.enabledExtensions().contains("XR_EXT_hand_tracking"));
    List<OperatorFrame> frames = run(source);
    OperatorFrame f = frames.get(8);
    assertEquals(XrControllerActions.VIVE, f.getLeft().getInteractionProfile());
    assertEquals(1f, f.getLeft().getSqueeze(), 0, "squeeze/click drives the float squeeze");
    assertEquals(0.75, f.getRight().getThumbstick().getX(), 1e-6, "trackpad is the thumbstick");
    assertTrue(f.getCommands().getDeadman());
    assertFalse(f.getLeft().getHand().getActive());
    assertPose(xrPose(0, 8), f.getHead(), "head in LOCAL (= STAGE in the fake)");
    OperatorFrame chord = frames.get(22);
    assertTrue(chord.getCommands().getEstop(), "both menus are the e-stop chord");
    assertFalse(chord.getCommands().getDeadman(), "the e-stop chord overrides the deadman");
    assertTrue(chord.getEventsList().stream().anyMatch(e -> e.getType() == OperatorEventType.OPERATOR_EVENT_ESTOP));
  }

  @Test
  void lossPendingEndsTheStream() throws Exception {
    Path manifest = FakeOpenXrRuntime.manifest();
    String s = "period_ms 2\nloss_after 10\nprofile " + XrControllerActions.INDEX + "\n0 head 0 1.7 0 0 0 0 1\n";
    FakeOpenXrRuntime.useScript("loss", s);
    OpenXrPoseSource source = new OpenXrPoseSource(options(manifest).withRecovery(false));
    List<OperatorFrame> frames = run(source);
    assertTrue(source.lost());
    assertEquals(SessionLifecycle.State.LOSS_PENDING, source.statesSeen().get(source.statesSeen().size() - 1));
    assertEquals(10, frames.size());
    assertEquals(1.7, frames.get(5).getHead().getPosition().getZ(), EPS, "y-up 1.7 m is z-up 1.7 m");
  }

  @Test
  void stopFromAnotherThreadRequestsTheExitAndRunsTheSessionDown() throws Exception {
    Path manifest = FakeOpenXrRuntime.manifest();
    Path reportFile = FakeOpenXrRuntime.useScript("stop", "profile " + XrControllerActions.INDEX + "\n0 head 0 1.7 0 0 0 0 1\n");
    OpenXrPoseSource source = new OpenXrPoseSource(options(manifest));
    List<OperatorFrame> frames = new ArrayList<>();
    try (OperatorStream stream = new OperatorStream(source, "op1")) {
      for (Optional<OperatorFrame> f = stream.next(); f.isPresent(); f = stream.next()) {
        frames.add(f.get());
        if (frames.size() == 10) {
          Thread hook = new Thread(source::stop); // as the shutdown hook does it
          hook.start();
          hook.join();
        }
        assertTrue(frames.size() < 100, "stop() did not end the stream");
      }
    }
    assertFalse(source.lost());
    List<SessionLifecycle.State> states = source.statesSeen();
    assertEquals(List.of(SessionLifecycle.State.STOPPING, SessionLifecycle.State.IDLE, SessionLifecycle.State.EXITING),
        states.subList(states.size() - 3, states.size()), "xrRequestExitSession, then xrEndSession: " + states);
    Map<String, String> report = FakeOpenXrRuntime.report(reportFile);
    assertEquals("", report.get("failures"));
    assertTrue(report.get("states").endsWith("EXITING"), report.get("states"));
  }

  /** Frames of a source that loses its session: held squeeze from frame 0, released 30..34, held again from 35. */
  static String lossScript(String loss) {
    return "profile " + XrControllerActions.INDEX + "\nexit_after 45\n" + loss + "\n0 head 0 1.7 0 0 0 0 1\n"
        + "0 input right /input/squeeze/value 0.95\n30 input right /input/squeeze/value 0.1\n"
        + "35 input right /input/squeeze/value 0.95\n";
  }

  /** Index of the release frame: the one without a tracked head, after which the new session streams. */
  static int releaseIndex(List<OperatorFrame> frames) {
    for (int k = 0; k < frames.size(); k++) {
      if (!frames.get(k).getHeadValid()) {
        return k;
      }
    }
    return fail("no release frame");
  }

  static void assertLostAndRegained(OpenXrPoseSource source, List<OperatorFrame> frames, int lostAtFrame) {
    int r = releaseIndex(frames);
    assertEquals(lostAtFrame - 1, r, "frames of the first session (the one at the loss fails)");
    assertTrue(frames.get(r - 2).getCommands().getDeadman(), "held before the loss");
    OperatorFrame release = frames.get(r);
    assertFalse(release.getCommands().getDeadman(), "the release frame lets go of the deadman");
    assertFalse(release.getLeft().getGripValid() || release.getRight().getGripValid());
    List<OperatorFrame> after = frames.subList(r + 1, frames.size());
    assertEquals(45, after.size(), "the new session runs until the runtime ends it");
    for (int k = 0; k < after.size() - 1; k++) { // the last one is the runtime's STOPPING: unfocused
      OperatorFrame f = after.get(k);
      assertTrue(f.getHeadValid(), "tracked again at frame " + k);
      // the squeeze was held through the loss: no deadman until it is let go and pressed again
      assertEquals(k >= 35, f.getCommands().getDeadman(), "deadman at frame " + k + " of the new session");
    }
    assertEquals(1, source.sessionsLost());
    assertEquals(1, source.sessionsRegained());
    assertFalse(source.lost());
  }

  @Test
  void aSessionLostMidCallIsDestroyedReleasedAndRegainedWithBackoff() throws Exception {
    Path manifest = FakeOpenXrRuntime.manifest();
    Path reportFile = FakeOpenXrRuntime.useScript("session-lost", lossScript("session_lost_after 10\nunavailable_for 3"));
    OpenXrPoseSource source = new OpenXrPoseSource(options(manifest));
    long start = System.nanoTime();
    List<OperatorFrame> frames = run(source);
    int r = releaseIndex(frames);
    long gapNs = frames.get(r + 1).getCaptureTime().getMonotonicNs() - frames.get(r).getCaptureTime().getMonotonicNs();
    // three refused attempts: 0.1 + 0.2 + 0.4 + 0.8 s of backoff before the fourth succeeds
    assertTrue(gapNs >= 1_400_000_000L && gapNs < 5_000_000_000L, "backoff 0.1 s doubling: " + gapNs / 1e6 + " ms");
    assertLostAndRegained(source, frames, 10);
    List<SessionLifecycle.State> states = source.statesSeen();
    // the session is destroyed at the failed call: its LOSS_PENDING event, polled later, is not the new session's
    assertEquals(1, java.util.Collections.indexOfSubList(states, List.of(SessionLifecycle.State.FOCUSED,
        SessionLifecycle.State.IDLE, SessionLifecycle.State.READY)) > 0 ? 1 : 0, "a new session after the lost one: " + states);
    assertFalse(states.contains(SessionLifecycle.State.LOSS_PENDING), states.toString());
    Map<String, String> report = FakeOpenXrRuntime.report(reportFile);
    assertEquals("", report.get("failures"), "no call on a destroyed session, space or tracker");
    assertEquals("2", report.get("sessions"));
    assertEquals("0", report.get("hand_trackers"));
    assertTrue(System.nanoTime() - start < 20_000_000_000L);
  }

  @Test
  void lossPendingIsDestroyedWithoutAnotherCallOnTheSessionAndRegained() throws Exception {
    Path manifest = FakeOpenXrRuntime.manifest();
    // LOSS_PENDING arrives as an event; the calls still work: the client must stop using the session
    Path reportFile = FakeOpenXrRuntime.useScript("loss-pending", lossScript("loss_after 10\nunavailable_for 1"));
    OpenXrPoseSource source = new OpenXrPoseSource(options(manifest));
    List<OperatorFrame> frames = run(source);
    assertLostAndRegained(source, frames, 11);
    Map<String, String> report = FakeOpenXrRuntime.report(reportFile);
    assertEquals("", report.get("failures"));
    assertEquals("2", report.get("sessions"));
  }

  @Test
  void aLostInstanceIsDestroyedAndARestartedRuntimeGivesANewOne() throws Exception {
    Path manifest = FakeOpenXrRuntime.manifest();
    Path reportFile = FakeOpenXrRuntime.useScript("instance-lost", lossScript("instance_lost_after 10\nunavailable_for 2"));
    OpenXrPoseSource source = new OpenXrPoseSource(options(manifest));
    List<OperatorFrame> frames = run(source);
    assertLostAndRegained(source, frames, 10);
    List<Map<String, String>> reports = FakeOpenXrRuntime.reports(reportFile);
    assertEquals(2, reports.size(), "the lost instance was destroyed and a new one created");
    for (Map<String, String> report : reports) {
      assertEquals("", report.get("failures"));
      assertEquals("1", report.get("sessions"));
    }
    assertTrue(reports.get(1).get("extensions").contains("XR_MND_headless"), "the new instance has the same extensions");
  }

  @Test
  void stopWhileRetryingEndsTheStreamAtOnce() throws Exception {
    Path manifest = FakeOpenXrRuntime.manifest();
    Path reportFile = FakeOpenXrRuntime.useScript("gone", lossScript("instance_lost_after 10\nunavailable_for 100000"));
    OpenXrPoseSource source = new OpenXrPoseSource(options(manifest));
    List<OperatorFrame> frames = new ArrayList<>();
    long stoppedAt = 0;
    try (OperatorStream stream = new OperatorStream(source, "op1")) {
      for (Optional<OperatorFrame> f = stream.next(); f.isPresent(); f = stream.next()) {
        frames.add(f.get());
        if (!f.get().getHeadValid()) { // the release: the runtime is gone, retries go on
          Thread.sleep(300);
          assertTrue(source.recovering());
          Thread hook = new Thread(source::stop);
          hook.start();
          hook.join();
          stoppedAt = System.nanoTime();
        }
      }
    }
    assertTrue(stoppedAt > 0);
    assertTrue(System.nanoTime() - stoppedAt < 1_000_000_000L, "stop() ends the retries at once");
    assertEquals(10, frames.size(), "9 frames, then the release");
    assertTrue(source.lost());
    assertEquals(0, source.sessionsRegained());
    assertEquals(1, FakeOpenXrRuntime.reports(reportFile).size());
    assertEquals("", FakeOpenXrRuntime.report(reportFile).get("failures"));
  }

  @Test
  void noRuntimeSaysHowToChooseOne() throws Exception {
    Path dir = Files.createTempDirectory("no-runtime");
    Path manifest = dir.resolve("broken_runtime.json");
    Files.writeString(manifest, "{\"file_format_version\": \"1.0.0\", \"runtime\": {\"library_path\": \""
        + dir.resolve("libmissing.so") + "\"}}");
    OpenXrUnavailableException e = assertThrows(OpenXrUnavailableException.class,
        () -> new OpenXrPoseSource(options(manifest)));
    assertTrue(e.getMessage().contains("XR_RUNTIME_JSON"), e.getMessage());
    assertTrue(e.getMessage().contains("--source scripted:pick-place"), e.getMessage());
    InputException missing = assertThrows(InputException.class,
        () -> new OpenXrPoseSource(OpenXrOptions.headlessDefaults().withRuntimeJson(dir.resolve("nope.json"))));
    assertTrue(missing.getMessage().contains("nope.json"));
    Files.delete(manifest);
    Files.delete(dir);
  }
}

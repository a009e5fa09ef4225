package io.optimus.teleop.controls;

import static org.junit.jupiter.api.Assertions.*;

import io.optimus.proto.v1.ControllerButtons;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.OperatorEvent;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Timestamp;
import io.optimus.proto.v1.Vector3;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperatorControlsTest {
  private static final long FRAME = 11_111_111L; // 90 Hz

  private final OperatorControls controls = new OperatorControls(new EventRepeater(100));
  private long t = 1_000_000_000L;

  private OperatorFrame frame(HandInput.Builder left, HandInput.Builder right) {
    OperatorFrame.Builder f = OperatorFrame.newBuilder().setCaptureTime(Timestamp.newBuilder().setMonotonicNs(t))
        .setLeft(left).setRight(right);
    t += FRAME;
    controls.apply(f);
    return f.build();
  }

  private static HandInput.Builder hand() {
    return HandInput.newBuilder();
  }

  private static HandInput.Builder buttons(ControllerButtons.Builder b) {
    return HandInput.newBuilder().setButtons(b);
  }

  private static HandInput.Builder at(double y, float trigger, float squeeze) {
    return HandInput.newBuilder().setGripValid(true).setTrigger(trigger).setSqueeze(squeeze)
        .setGripPose(Pose.newBuilder().setPosition(Vector3.newBuilder().setX(0.2).setY(y).setZ(1.4)));
  }

  @Test
  void deadmanFollowsEitherSqueezeWithHysteresis() {
    assertFalse(frame(hand(), hand().setSqueeze(0.65f)).getCommands().getDeadman(), "below the on threshold");
    assertTrue(frame(hand(), hand().setSqueeze(0.75f)).getCommands().getDeadman());
    assertTrue(frame(hand(), hand().setSqueeze(0.5f)).getCommands().getDeadman(), "held above the off threshold");
    assertFalse(frame(hand(), hand().setSqueeze(0.35f)).getCommands().getDeadman());
    assertFalse(frame(hand(), hand().setSqueeze(0.6f)).getCommands().getDeadman(), "must press again past 0.7");
    assertTrue(frame(hand().setSqueeze(0.9f), hand()).getCommands().getDeadman(), "the left squeeze also works");
  }

  @Test
  void recordToggleEventsRepeatFor100msWithOneId() {
    List<OperatorFrame> frames = new ArrayList<>();
    frames.add(frame(hand(), buttons(ControllerButtons.newBuilder().setSecondary(true))));
    for (int i = 0; i < 30; i++) {
      frames.add(frame(hand(), hand()));
    }
    long id = frames.get(0).getEvents(0).getEventId();
    assertEquals(OperatorEventType.OPERATOR_EVENT_RECORD_START, frames.get(0).getEvents(0).getType());
    int carrying = 0;
    for (OperatorFrame f : frames) {
      for (OperatorEvent e : f.getEventsList()) {
        assertEquals(id, e.getEventId());
        carrying++;
      }
    }
    assertEquals(10, carrying, "100 ms at 90 Hz: the press frame and the nine after it");
    assertTrue(controls.recording());
    OperatorFrame stop = frame(hand(), buttons(ControllerButtons.newBuilder().setSecondary(true)));
    assertEquals(OperatorEventType.OPERATOR_EVENT_RECORD_STOP, stop.getEvents(0).getType());
    assertNotEquals(id, stop.getEvents(0).getEventId());
    assertFalse(controls.recording());
  }

  @Test
  void marksOnPressNotWhileHeld() {
    OperatorFrame a = frame(hand(), buttons(ControllerButtons.newBuilder().setPrimary(true)));
    assertEquals(OperatorEventType.OPERATOR_EVENT_MARK_SUCCESS, a.getEvents(0).getType());
    for (int i = 0; i < 20; i++) {
      frame(hand(), buttons(ControllerButtons.newBuilder().setPrimary(true)));
    }
    assertEquals(0, frame(hand(), buttons(ControllerButtons.newBuilder().setPrimary(true))).getEventsCount(),
        "held: no new event");
    OperatorFrame x = frame(buttons(ControllerButtons.newBuilder().setPrimary(true)), hand());
    assertEquals(OperatorEventType.OPERATOR_EVENT_MARK_DISCARD, x.getEvents(0).getType());
  }

  @Test
  void estopChordOverridesDeadmanAndResetNeedsAOneSecondHold() {
    ControllerButtons.Builder stick = ControllerButtons.newBuilder().setThumbstickClick(true);
    OperatorFrame f = frame(buttons(stick).setSqueeze(1f), buttons(stick).setSqueeze(1f));
    assertTrue(f.getCommands().getEstop());
    assertFalse(f.getCommands().getDeadman());
    assertEquals(OperatorEventType.OPERATOR_EVENT_ESTOP, f.getEvents(0).getType());
    assertFalse(frame(buttons(stick), hand()).getCommands().getEstop(), "one stick alone is no chord");

    ControllerButtons.Builder xy = ControllerButtons.newBuilder().setPrimary(true).setSecondary(true);
    int resets = 0;
    int marks = 0;
    for (int i = 0; i < 100; i++) { // 1.1 s
      OperatorFrame r = frame(buttons(xy), hand());
      for (OperatorEvent e : r.getEventsList()) {
        if (e.getType() == OperatorEventType.OPERATOR_EVENT_ESTOP_RESET) {
          resets++;
          assertTrue(i >= 90, "reset before a full second of holding, at frame " + i);
        }
        if (e.getType() == OperatorEventType.OPERATOR_EVENT_MARK_DISCARD || e.getType() == OperatorEventType.OPERATOR_EVENT_MARK_FAILURE) {
          marks++;
        }
      }
    }
    assertTrue(resets > 0, "ESTOP_RESET after holding X+Y for a second");
    assertEquals(0, marks, "X+Y together is the reset chord, not two marks");
  }

  @Test
  void tPoseWithBothTriggersCalibratesAfterASecond() {
    OperatorFrame first = frame(at(0.75, 1f, 0f), at(-0.75, 1f, 0f));
    assertTrue(first.getCommands().getCalibrating());
    assertEquals(0, first.getEventsCount());
    boolean fired = false;
    for (int i = 0; i < 95; i++) {
      for (OperatorEvent e : frame(at(0.75, 1f, 0f), at(-0.75, 1f, 0f)).getEventsList()) {
        fired |= e.getType() == OperatorEventType.OPERATOR_EVENT_CALIBRATE;
      }
    }
    assertTrue(fired);
    assertFalse(frame(at(0.2, 1f, 0f), at(-0.2, 1f, 0f)).getCommands().getCalibrating(), "hands together: no T-pose");
    assertFalse(frame(at(0.75, 1f, 0.9f), at(-0.75, 1f, 0f)).getCommands().getCalibrating(), "not while squeezing");
  }

  /** The types of the new events (first frame each id appears in) over {@code frames}. */
  private static List<OperatorEventType> newEvents(List<OperatorFrame> frames) {
    java.util.Set<Long> seen = new java.util.HashSet<>();
    List<OperatorEventType> out = new ArrayList<>();
    for (OperatorFrame f : frames) {
      for (OperatorEvent e : f.getEventsList()) {
        if (seen.add(e.getEventId())) {
          out.add(e.getType());
        }
      }
    }
    return out;
  }

  private List<OperatorFrame> click(HandInput.Builder left, int frames) {
    List<OperatorFrame> out = new ArrayList<>();
    for (int i = 0; i < frames; i++) {
      out.add(frame(left.clone(), buttons(ControllerButtons.newBuilder().setThumbstickClick(true))));
    }
    out.add(frame(hand(), hand()));
    return out;
  }

  @Test
  void theRightStickClickTakesOverAndHandsBackAsTheRobotSays() {
    boolean[] robotTakenOver = {false};
    controls.watchTakeover(() -> robotTakenOver[0]);
    List<OperatorFrame> press = click(hand(), 1);
    assertEquals(0, press.get(0).getEventsCount(), "nothing while the stick is down: it may become the e-stop chord");
    assertEquals(List.of(OperatorEventType.OPERATOR_EVENT_TAKEOVER), newEvents(press), "fired when let go");
    assertEquals("right thumbstick click", press.get(1).getEvents(0).getText());
    for (int i = 0; i < 20; i++) {
      frame(hand(), hand()); // the event's repeats run out
    }
    assertEquals(List.of(OperatorEventType.OPERATOR_EVENT_TAKEOVER), newEvents(click(hand(), 3)),
        "the robot did not take it (refused): the next click asks again");
    robotTakenOver[0] = true;
    for (int i = 0; i < 20; i++) {
      frame(hand(), hand());
    }
    assertEquals(List.of(OperatorEventType.OPERATOR_EVENT_HAND_BACK), newEvents(click(hand(), 5)));
  }

  @Test
  void theEstopChordNeverTakesOver() {
    // the right stick first, then both (the chord), then both let go
    List<OperatorFrame> frames = new ArrayList<>();
    frames.add(frame(hand(), buttons(ControllerButtons.newBuilder().setThumbstickClick(true))));
    frames.addAll(click(buttons(ControllerButtons.newBuilder().setThumbstickClick(true)), 3));
    assertEquals(List.of(OperatorEventType.OPERATOR_EVENT_ESTOP), newEvents(frames));
    for (int i = 0; i < 20; i++) {
      frame(hand(), hand()); // the e-stop's repeats run out
    }
    // the left stick alone: nothing either
    List<OperatorFrame> left = new ArrayList<>();
    left.add(frame(buttons(ControllerButtons.newBuilder().setThumbstickClick(true)), hand()));
    left.add(frame(hand(), hand()));
    assertEquals(List.of(), newEvents(left));
  }
}

package io.optimus.bridge.safety;

import static io.optimus.proto.v1.ControlMode.CONTROL_MODE_DISENGAGED;
import static io.optimus.proto.v1.ControlMode.CONTROL_MODE_ENGAGED;
import static io.optimus.proto.v1.ControlMode.CONTROL_MODE_ESTOP;
import static io.optimus.proto.v1.ControlMode.CONTROL_MODE_HOLD;
import static io.optimus.proto.v1.ControlMode.CONTROL_MODE_SAFE_RAMP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.physics.ContactEvent;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.JointInfo;
import io.optimus.proto.v1.JointLimits;
import io.optimus.proto.v1.JointType;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyEventType;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SafetySupervisorTest {
  static final double DT = 0.004;
  static final long TICK = 4_000_000L;

  static List<JointInfo> joints() {
    return List.of(
        joint("shoulder", -1.0, 2.0, 2.0, 0),
        joint("elbow", 0.0, 2.5, 3.0, 20),
        joint("wrist", -0.5, 0.5, 1.0, 0),
        JointInfo.newBuilder().setName("spin").setType(JointType.JOINT_TYPE_CONTINUOUS)
            .setLimits(JointLimits.newBuilder().setVelocity(4)).build());
  }

  static JointInfo joint(String name, double lo, double hi, double vel, double acc) {
    return JointInfo.newBuilder().setName(name).setType(JointType.JOINT_TYPE_REVOLUTE)
        .setLimits(JointLimits.newBuilder().setHasPositionLimits(true).setLower(lo).setUpper(hi).setVelocity(vel)
            .setAcceleration(acc))
        .build();
  }

  final List<SafetyEvent> events = new ArrayList<>();
  final JointLimitTable limits = new JointLimitTable(joints(), SafetyConfig.DEFAULT);
  final SafetySupervisor sup = new SafetySupervisor("r1", limits, SafetyConfig.DEFAULT,
      new double[] {0, 0.5, 0, 0}, new double[] {0, 0.2, 0, 0});
  final double[] cmd = new double[4];
  long now = 1_000_000_000L;
  long seq;

  SafetySupervisorTest() {
    sup.addListener(events::add);
  }

  ControlMode tick(double[] target) {
    now += TICK;
    return sup.tick(now, DT, target, cmd);
  }

  void frame(boolean deadman) {
    sup.operatorInput(now, deadman, false, ++seq);
  }

  /** Ticks with fresh frames (deadman held) while tracking {@code target}. */
  void teleop(double[] target, int ticks) {
    for (int i = 0; i < ticks; i++) {
      frame(true);
      tick(target);
    }
  }

  void engage() {
    frame(false);
    tick(null);
    frame(true);
    assertEquals(CONTROL_MODE_ENGAGED, tick(null));
  }

  boolean raised(SafetyEventType t) {
    return events.stream().anyMatch(e -> e.getType() == t);
  }

  @Test
  void engagingNeedsADeliberatePressNotAHeldDeadman() {
    frame(true); // operator connects with the deadman already held
    assertEquals(CONTROL_MODE_DISENGAGED, tick(new double[] {1, 1, 0, 0}));
    assertTrue(raised(SafetyEventType.SAFETY_EVENT_REENGAGE_REFUSED));
    assertArrayEquals(new double[] {0, 0.5, 0, 0}, cmd, 1e-12, "no motion while refused");
    frame(false);
    tick(null);
    frame(true);
    assertEquals(CONTROL_MODE_ENGAGED, tick(new double[] {1, 1, 0, 0}));
    assertTrue(cmd[0] > 0, "moves once engaged");
    frame(false);
    assertEquals(CONTROL_MODE_DISENGAGED, tick(new double[] {1, 1, 0, 0}));
    assertTrue(raised(SafetyEventType.SAFETY_EVENT_DISENGAGED));
  }

  @Test
  void watchdogHoldsAt100msThenRampsToTheSafePoseAt500ms() {
    engage();
    double[] target = {1.0, 1.5, 0.3, 1.0};
    teleop(target, 300);
    assertArrayEquals(target, cmd, 1e-6, "tracked the target");
    // frames stop: 100 ms later the supervisor holds (25 ticks of 4 ms), not before
    for (int i = 0; i < 24; i++) {
      assertEquals(CONTROL_MODE_ENGAGED, tick(target), "tick " + i);
    }
    tick(target);
    tick(target);
    assertEquals(CONTROL_MODE_HOLD, sup.mode());
    assertTrue(raised(SafetyEventType.SAFETY_EVENT_WATCHDOG_HOLD));
    // fresh frames with the deadman held resume a HOLD
    frame(true);
    assertEquals(CONTROL_MODE_ENGAGED, tick(target));
    // silence for > 500 ms: ramp to the safe pose
    ControlMode m = null;
    for (int i = 0; i < 130; i++) {
      m = tick(target);
    }
    assertEquals(CONTROL_MODE_SAFE_RAMP, m);
    assertTrue(raised(SafetyEventType.SAFETY_EVENT_WATCHDOG_DISENGAGE));
    for (int i = 0; i < 5000 && sup.mode() == CONTROL_MODE_SAFE_RAMP; i++) {
      tick(target);
    }
    assertEquals(CONTROL_MODE_DISENGAGED, sup.mode());
    assertTrue(raised(SafetyEventType.SAFETY_EVENT_SAFE_POSE_REACHED));
    assertEquals(0.0, cmd[0], 0.01);
    assertEquals(0.2, cmd[1], 0.01);
    // the deadman is still held when frames return: refused until released and pressed again
    events.clear();
    frame(true);
    assertEquals(CONTROL_MODE_DISENGAGED, tick(target));
    assertTrue(raised(SafetyEventType.SAFETY_EVENT_REENGAGE_REFUSED));
    engage();
  }

  @Test
  void estopLatchesUntilAnExplicitResetAndTheChordIsReleased() {
    engage();
    teleop(new double[] {1, 1, 0, 0}, 10);
    sup.operatorInput(now, true, true, ++seq); // operator chord
    assertEquals(CONTROL_MODE_ESTOP, tick(new double[] {1, 1, 0, 0}));
    assertTrue(raised(SafetyEventType.SAFETY_EVENT_ESTOP_LATCHED));
    assertFalse(sup.resetEstop(now, "too early"), "reset refused while the chord is held");
    // stops (decelerating within limits) and stays stopped whatever frames say
    for (int i = 0; i < 200; i++) {
      sup.operatorInput(now, true, i < 100, ++seq);
      tick(new double[] {2, 2, 0.5, 3});
    }
    double[] stopped = cmd.clone();
    tick(new double[] {2, 2, 0.5, 3});
    assertArrayEquals(stopped, cmd, 1e-12);
    assertEquals(CONTROL_MODE_ESTOP, sup.mode(), "latched although the chord was released");
    assertTrue(sup.resetEstop(now, "operator reset"));
    assertTrue(raised(SafetyEventType.SAFETY_EVENT_ESTOP_RESET));
    frame(true);
    assertEquals(CONTROL_MODE_DISENGAGED, tick(new double[] {2, 2, 0.5, 3}), "needs release and press");
    engage();
    sup.estop(now, "topic");
    assertEquals(CONTROL_MODE_ESTOP, tick(null));
  }

  /** A reset naming its latch clears that latch only; a newer latch, or a fault that lasts, refuses it. */
  @Test
  void aResetNamingItsLatchIsRefusedForANewerLatchOrWhileTheFaultPersists() {
    engage();
    sup.estop(now, "supervisor");
    assertEquals(CONTROL_MODE_ESTOP, tick(null));
    long first = sup.estopLatches();
    assertEquals(first, sup.status(now).getEstopLatches(), "the status names the latch");
    sup.resetEstop(now, "console"); // reset, then a new stop
    sup.estop(now, "second");
    assertEquals(first + 1, sup.estopLatches());
    String why = sup.resetEstop(now, first, "supervisor 'pilot'");
    assertTrue(why != null && why.startsWith("the e-stop latched again since latch " + first), why);
    assertEquals(CONTROL_MODE_ESTOP, tick(null), "still latched");
    sup.driverFault(now, "overcurrent on elbow");
    why = sup.resetEstop(now, sup.estopLatches(), "supervisor 'pilot'");
    assertEquals("the driver still reports a fault (overcurrent on elbow)", why);
    now += SafetyConfig.DEFAULT.holdTimeoutNs(); // the fault reports stopped
    assertEquals(null, sup.resetEstop(now, sup.estopLatches(), "supervisor 'pilot'"));
    assertEquals(CONTROL_MODE_DISENGAGED, sup.mode());
    frame(true);
    assertEquals(CONTROL_MODE_DISENGAGED, tick(null), "motion needs a deliberate deadman press after the reset");
  }

  @Test
  void aSourceRepeatingABadTargetIsReportedOncePerSecondNotEveryTick() {
    engage();
    events.clear();
    for (int i = 0; i < 500; i++) { // two seconds of NaN at 250 Hz, operator frames fresh
      frame(true);
      tick(new double[] {Double.NaN, 1, 0, 0});
    }
    List<SafetyEvent> invalid = events.stream()
        .filter(e -> e.getType() == SafetyEventType.SAFETY_EVENT_INVALID_INPUT).toList();
    assertTrue(invalid.size() >= 2 && invalid.size() <= 3, "one report a second, not 500: " + invalid.size());
    assertEquals("non-finite target rejected", invalid.get(0).getDetail());
    assertTrue(invalid.get(1).getDetail().matches("non-finite target rejected \\(repeated \\d+ times since the last report\\)"),
        invalid.get(1).getDetail());
    frame(true);
    tick(new double[] {0.5, 1, 9.0, 0}); // a different problem is reported at once
    assertEquals("wrist", events.get(events.size() - 1).getJoint());
  }

  @Test
  void nonFiniteAndFarOutOfRangeTargetsAreRejected() {
    engage();
    teleop(new double[] {0.5, 1, 0, 0}, 200);
    double[] before = cmd.clone();
    events.clear();
    frame(true);
    tick(new double[] {Double.NaN, 1, 0, 0});
    assertTrue(raised(SafetyEventType.SAFETY_EVENT_INVALID_INPUT));
    assertArrayEquals(before, cmd, 1e-9, "a rejected target moves nothing");
    events.clear();
    frame(true);
    tick(new double[] {0.5, 1, 9.0, 0});
    assertEquals("wrist", events.get(0).getJoint());
    assertEquals(SafetyEventType.SAFETY_EVENT_INVALID_INPUT, events.get(0).getType());
    frame(true);
    tick(new double[] {0.5, 1});
    assertTrue(events.stream().anyMatch(e -> e.getDetail().contains("expected 4")));
    assertArrayEquals(before, cmd, 1e-9);
    // slightly outside: clamped, with a position-limit warning
    events.clear();
    teleop(new double[] {2.3, 1, 0, 0}, 500);
    assertEquals(2.0, cmd[0], 1e-12);
    assertTrue(raised(SafetyEventType.SAFETY_EVENT_POSITION_LIMIT));
  }

  @Test
  void randomTargetsNeverDriveTheCommandOutsideItsLimits() {
    engage();
    SplittableRandom rnd = new SplittableRandom(7);
    double[] prevQ = cmd.clone();
    double[] prevV = new double[4];
    double[] target = new double[4];
    for (int t = 0; t < 20000; t++) {
      if (t % 23 == 0) { // jumps anywhere, including slightly outside the limits
        for (int i = 0; i < 4; i++) {
          double lo = Math.max(limits.lower(i), -3);
          double hi = Math.min(limits.upper(i), 3);
          target[i] = lo - 0.3 + rnd.nextDouble() * (hi - lo + 0.6);
        }
      }
      if (t % 1000 == 500) {
        sup.estop(now, "random");
      }
      if (t % 1000 == 700) {
        sup.resetEstop(now, "random");
        frame(false);
      }
      frame(t % 3000 < 2800);
      tick(target);
      for (int i = 0; i < 4; i++) {
        assertTrue(cmd[i] >= limits.lower(i) && cmd[i] <= limits.upper(i), "position " + i + " at " + t);
        double vel = (cmd[i] - prevQ[i]) / DT;
        assertTrue(Math.abs(vel) <= limits.velocity(i) * (1 + 1e-9), "velocity " + i + " at " + t + ": " + vel);
        double acc = (vel - prevV[i]) / DT;
        assertTrue(Math.abs(acc) <= limits.acceleration(i) * (1 + 1e-6) + 1e-6,
            "acceleration " + i + " at " + t + ": " + acc + " > " + limits.acceleration(i));
        prevV[i] = vel;
      }
      System.arraycopy(cmd, 0, prevQ, 0, 4);
    }
    assertEquals(20, limits.acceleration(1), "declared acceleration limit used");
    assertEquals(20, limits.acceleration(0), "default: 10 x velocity limit");
  }

  @Test
  void tickDoesNotAllocate() {
    engage();
    double[] target = {0.3, 1, 0.1, 0.5};
    teleop(target, 2000); // warm up, reach the target (events done)
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 20000; i++) {
      sup.operatorInput(now, true, false, ++seq);
      now += TICK;
      sup.tick(now, DT, target, cmd);
    }
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 1024, "20000 ticks allocated " + allocated + " bytes");
  }

  @Test
  void robotContactsAreCountedAndReportedPerPairAtMostOnceASecondWithoutStopping() {
    sup.engageUnattended(now, "test");
    events.clear();
    for (int k = 0; k < 500; k++) { // a fingertip chattering on the table every tick for 2 s
      now += TICK;
      sup.contact(now, new ContactEvent(now, ContactEvent.Kind.ROBOT_TABLE, "right_index_tip", "table", 0.001));
    }
    sup.contact(now, new ContactEvent(now, ContactEvent.Kind.ROBOT_SELF, "left_hand", "right_hand", 0.002));
    sup.contact(now, new ContactEvent(now, ContactEvent.Kind.ROBOT_OBJECT, "right_palm", "cube", 0.001));
    sup.contact(now, new ContactEvent(now, ContactEvent.Kind.OBJECT_TABLE, "cube", "table", 0.001));
    assertEquals(501, sup.contacts(), "robot-table and robot-self onsets count; objects' contacts are not the robot's");
    List<SafetyEvent> contacts = events.stream().filter(e -> e.getType() == SafetyEventType.SAFETY_EVENT_CONTACT).toList();
    assertEquals(3, contacts.size(), "the table pair at once and after each second, the self pair at once: " + contacts);
    assertEquals("robot-table: right_index_tip / table contact", contacts.get(0).getDetail());
    assertTrue(contacts.get(1).getDetail().contains("249 more onsets"), contacts.get(1).getDetail());
    assertEquals("robot-self: left_hand / right_hand contact", contacts.get(2).getDetail());
    assertEquals(io.optimus.proto.v1.SafetySeverity.SAFETY_SEVERITY_INFO, contacts.get(2).getSeverity());
    assertEquals(CONTROL_MODE_ENGAGED, sup.mode(), "contacts are information: the robot keeps going");
    var status = sup.status(now);
    assertEquals(501, status.getContactsTotal());
    assertEquals("robot-self: left_hand / right_hand", status.getLastContact());
  }
}

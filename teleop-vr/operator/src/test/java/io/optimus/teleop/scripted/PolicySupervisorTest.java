package io.optimus.teleop.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.world.HandSample;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.motion.geometry.Vec3;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.OperatorEvent;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.teleop.controls.EventRepeater;
import io.optimus.teleop.controls.OperatorControls;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The supervising scripted operator in closed loop with the bridge's task world, simulated time at 90 Hz: a
 * "policy" holds the robot's hands still near the body (it never reaches for the cube); the operator's frames
 * go through the real control mapping, and the robot side answers a takeover or hand-back event as the bridge
 * does (or refuses it). Once taken over, the operator's hands drive the world (identity calibration).
 */
class PolicySupervisorTest {
  private static final double RATE = 90;

  /** The robot side: the task world, who drives, what the bridge says. */
  static final class Robot {
    final TaskWorld world;
    final HandSample[] hands = {new HandSample("left_hand"), new HandSample("right_hand")};
    boolean acceptsTakeover = true;
    boolean takenOver;
    String driver = "command";
    final List<OperatorEventType> events = new ArrayList<>();
    final List<String> takeoverTexts = new ArrayList<>();
    boolean successAtHandBack;
    private final Set<Long> seen = new HashSet<>();

    Robot(long seed) {
      world = new TaskWorld("r1", "pick-place", seed, 0.75);
    }

    void frame(OperatorFrame f) {
      for (OperatorEvent e : f.getEventsList()) {
        if (!seen.add(e.getEventId())) {
          continue;
        }
        events.add(e.getType());
        if (e.getType() == OperatorEventType.OPERATOR_EVENT_TAKEOVER) {
          takeoverTexts.add(e.getText());
        }
        if (e.getType() == OperatorEventType.OPERATOR_EVENT_TAKEOVER && acceptsTakeover && f.getCommands().getDeadman()) {
          takenOver = true;
          driver = "teleop";
        } else if (e.getType() == OperatorEventType.OPERATOR_EVENT_HAND_BACK && takenOver) {
          takenOver = false;
          driver = "command";
          successAtHandBack = world.success();
        }
      }
      if (takenOver) {
        sample(f.getLeft(), hands[0]);
        sample(f.getRight(), hands[1]);
      } else { // the policy: both hands held still beside the body, open
        hands[0].set(0.12, 0.3, 0.85, 0);
        hands[1].set(0.12, -0.3, 0.85, 0);
      }
      world.step(1 / RATE, hands[0], hands[1]);
    }

    Vec3 palm(int h) {
      return new Vec3(hands[h].position[0], hands[h].position[1], hands[h].position[2]);
    }
  }

  private static void sample(HandInput h, HandSample s) {
    s.set(h.getGripPose().getPosition().getX(), h.getGripPose().getPosition().getY(),
        h.getGripPose().getPosition().getZ(), h.getTrigger());
    s.orientation[0] = h.getGripPose().getOrientation().getW();
    s.orientation[1] = h.getGripPose().getOrientation().getX();
    s.orientation[2] = h.getGripPose().getOrientation().getY();
    s.orientation[3] = h.getGripPose().getOrientation().getZ();
  }

  /** Runs until the operator's plan is done or {@code seconds} of simulated time; returns the supervisor. */
  static PolicySupervisor run(Robot robot, long seed, double seconds) {
    ScriptedOperator op = ScriptedOperator.forTask("pick-place", robot.world::toProto, RobotToOperator.identity(), seed,
        1, false, RATE, null);
    PalmFeedback palms = robot::palm;
    op.watchPalms(palms);
    PolicySupervisor sup = new PolicySupervisor(op, TakeoverRule.DEFAULT, robot.world::toProto, palms,
        () -> robot.takenOver, () -> robot.driver, RATE);
    OperatorControls controls = new OperatorControls(new EventRepeater(1)).watchTakeover(() -> robot.takenOver)
        .describeTakeover(sup::takeoverReason);
    long dtNs = Math.round(1e9 / RATE);
    long t = 1_000_000_000L;
    for (int i = 0; i < seconds * RATE && !op.planner().finished(); i++, t += dtNs) {
      OperatorFrame.Builder f = sup.frameAt(t);
      controls.apply(f);
      robot.frame(f.build());
    }
    return sup;
  }

  @Test
  void takesOverAStrayingPolicyWithOneEventFinishesTheTaskAndHandsBack() {
    Robot robot = new Robot(21);
    PolicySupervisor sup = run(robot, 4, 60);
    assertEquals(List.of(OperatorEventType.OPERATOR_EVENT_TAKEOVER, OperatorEventType.OPERATOR_EVENT_HAND_BACK),
        robot.events.stream().filter(e -> e == OperatorEventType.OPERATOR_EVENT_TAKEOVER
            || e == OperatorEventType.OPERATOR_EVENT_HAND_BACK).toList());
    assertEquals(1, sup.interventions().size(), sup.interventions().toString());
    PolicySupervisor.Intervention i = sup.interventions().get(0);
    assertTrue(i.taken() && i.handedBack(), i.toString());
    assertTrue(i.reason().startsWith("strayed: a palm"), i.reason());
    assertEquals(List.of(i.reason()), robot.takeoverTexts, "the event says why");
    assertTrue(i.atS() > 1, "not while the operator was still getting ready: " + i);
    assertTrue(robot.successAtHandBack, "the operator finished the task before handing back");
    assertEquals(1, sup.planner().successes());
    assertEquals("command", robot.driver);
    assertEquals(0, sup.refused());
  }

  @Test
  void aRefusedTakeoverIsCountedAndTheWatchGoesOn() {
    Robot robot = new Robot(21);
    robot.acceptsTakeover = false; // e.g. an e-stop latched
    PolicySupervisor sup = run(robot, 4, 12);
    assertTrue(sup.refused() >= 2, "refused, then asked again after another dwell: " + sup.interventions());
    assertTrue(sup.interventions().stream().noneMatch(PolicySupervisor.Intervention::taken));
    assertFalse(robot.events.contains(OperatorEventType.OPERATOR_EVENT_HAND_BACK), "nothing to hand back");
  }

  @Test
  void nothingIsJudgedWhileTheOperatorItselfDrives() {
    Robot robot = new Robot(21);
    robot.driver = "teleop"; // plain teleoperation: the bridge follows the operator, no policy to supervise
    PolicySupervisor sup = run(robot, 4, 12);
    assertEquals(List.of(), sup.interventions());
    assertFalse(robot.events.contains(OperatorEventType.OPERATOR_EVENT_TAKEOVER));
  }
}

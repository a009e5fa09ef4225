package io.optimus.bridge.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.OperatorEvent;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.OperatorFrame;
import java.util.List;

/**
 * Coverage-guided fuzzing of the bridge's operator-frame path (Jazzer), in the bridge's order: the
 * payload parses ({@code OperatorFrame.parser().parseFrom}, garbage is dropped), an e-stop it asks for
 * is latched ({@link OperatorEventGate#estopRequest}) before any check, {@link OperatorFrameValidator}
 * rejects what a retargeter must not see, {@link OperatorInbox} admits only the owning session's new
 * frames, and the optimus whole-body retargeter turns the frame into joint targets. Properties:
 * nothing throws; every frame asking for an e-stop latches it, whatever else is wrong with it; a
 * rejection is a one-line reason; a frame the validator accepts never yields a non-finite joint
 * target. One input
 * is a sequence of delimited payloads ({@link FuzzPayloads}). Seeds and kept findings:
 * {@code src/test/resources/io/optimus/bridge/control/OperatorFrameFuzzTestInputs/operatorFrames/}.
 */
class OperatorFrameFuzzTest {
  private static final RobotRig RIG = new RobotRig(Robots.load("optimus"));
  private static final double DT = 1 / 90.0;

  @FuzzTest(maxDuration = "25s")
  void operatorFrames(byte[] input) {
    OperatorInbox inbox = new OperatorInbox();
    Retargeter retargeter = new MotionRetargeter(RIG.model(), RIG.home());
    double[] q = RIG.home();
    double[] out = new double[RIG.dof()];
    long now = 0;
    for (byte[] payload : FuzzPayloads.split(input)) {
      OperatorFrame f;
      try {
        f = OperatorFrame.parser().parseFrom(payload);
      } catch (InvalidProtocolBufferException garbage) {
        continue; // counted and logged by MqttEndpoint, never delivered
      }
      // the bridge's order (RobotBridge.onOperatorFrame): an e-stop latches on arrival, before any check
      boolean asksForEstop = f.getCommands().getEstop() || f.getEventsList().stream()
          .anyMatch(e -> e.getType() == OperatorEventType.OPERATOR_EVENT_ESTOP);
      assertEquals(asksForEstop, OperatorEventGate.estopRequest(f) != null,
          "every frame asking for an e-stop latches it, valid or not");
      String problem = OperatorFrameValidator.problem(f);
      if (problem != null) {
        assertFalse(problem.isBlank() || problem.contains("\n"), "a rejection is a one-line reason");
        continue;
      }
      now += (long) (DT * 1e9);
      OperatorInbox.Admission a = inbox.admit(f, now);
      if (!a.accepted()) {
        continue; // stale, foreign session, absurd sequence jump: counted by the bridge
      }
      assertSame(f, inbox.latest().frame());
      retargeter.retarget(f, DT, q, out);
      for (int i = 0; i < out.length; i++) {
        String joint = RIG.model().dofJoints().get(i).name();
        double v = out[i];
        assertTrue(Double.isFinite(v), () -> "target of " + joint + " is " + v + " for a frame the validator accepted");
      }
      System.arraycopy(out, 0, q, 0, q.length);
    }
  }
}

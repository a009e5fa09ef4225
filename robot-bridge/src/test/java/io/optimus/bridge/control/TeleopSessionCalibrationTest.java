package io.optimus.bridge.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.geometry.proto.Pose3Proto;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.motion.retarget.OperatorBody;
import io.optimus.motion.retarget.OperatorCalibration;
import io.optimus.motion.retarget.SyntheticOperator;
import io.optimus.proto.v1.OperatorFrame;
import org.junit.jupiter.api.Test;

/**
 * A bridge outlives its operator sessions: each new session (a new client run, perhaps another person)
 * is calibrated from its own frames, never with the last session's body frame. Session 34 found a live
 * run whose body yaw stayed 24.5 degrees off for a whole run because the calibration had anchored on a
 * head turned to the cube.
 */
class TeleopSessionCalibrationTest {
  static final RobotRig RIG = new RobotRig(Robots.load("optimus"));
  static final double ASIDE = Math.toRadians(24.5);

  /** The synthetic operator's first frame with the head turned {@code yaw} about z, of {@code session}. */
  static OperatorFrame frame(String session, long seq, double yaw) {
    OperatorFrame f = SyntheticOperator.frame(seq, 0, OperatorBody.DEFAULT, false);
    Vec3 eye = Pose3Proto.fromProto(f.getHead()).translation();
    return f.toBuilder().setSessionId(session)
        .setHead(Pose3Proto.toProto(new Pose3(eye, Quat.fromRpy(0, 0, yaw)))).build();
  }

  /** One control tick on which {@code f} is the newest frame. */
  static void tick(TeleopActionSource src, ControlContext ctx, OperatorFrame f, double[] target) {
    ctx.nowNs += 4_000_000;
    ctx.operator = new ReceivedFrame(f, ctx.nowNs);
    ctx.operatorIsNew = true;
    assertTrue(src.target(ctx, target));
    System.arraycopy(target, 0, ctx.commanded, 0, target.length);
  }

  @Test
  void aNewSessionIsCalibratedFromItsOwnFirstHeadNotTheLastSessions() {
    MotionRetargeter r = new MotionRetargeter(RIG.model(), RIG.home());
    OperatorCalibration cal = r.delegate().calibration();
    TeleopActionSource src = new TeleopActionSource(r, RIG.dof());
    ControlContext ctx = new ControlContext();
    ctx.dt = 0.004;
    ctx.commanded = RIG.home();
    double[] target = new double[RIG.dof()];

    // session a starts looking at the cube, 24.5 degrees aside: that becomes its body forward
    tick(src, ctx, frame("a", 1, ASIDE), target);
    assertEquals(ASIDE, cal.bodyYaw(), 1e-6);
    // looking ahead again is within the dead band: the same session keeps its body frame (by design)
    tick(src, ctx, frame("a", 2, 0), target);
    assertEquals(ASIDE, cal.bodyYaw(), 1e-6, "the dead band holds the body yaw within a session");
    cal.setBody(new OperatorBody(1.95, 0.45, 0.7)); // session a's operator calibrated in a T-pose

    // session b begins looking straight ahead: its body forward is its own first head, not a's
    tick(src, ctx, frame("b", 1, 0), target);
    assertEquals(0, cal.bodyYaw(), 1e-6, "body yaw of the new session (a's was " + Math.toDegrees(ASIDE) + " deg)");
    assertEquals(OperatorBody.DEFAULT, cal.body(), "a's measured body is not b's");
    assertTrue(!cal.calibrated());

    // and the arms follow b's hands as a fresh bridge would place them
    MotionRetargeter fresh = new MotionRetargeter(RIG.model(), RIG.home());
    double[] q = ctx.commanded.clone();
    double[] mine = new double[q.length];
    double[] theirs = new double[q.length];
    for (int i = 0; i < 200; i++) { // both settle on b's frame from the same joints
      tick(src, ctx, frame("b", 2 + i, 0), mine);
    }
    for (int i = 0; i < 200; i++) {
      fresh.retarget(frame("b", 2 + i, 0), 0.004, q, theirs);
      System.arraycopy(theirs, 0, q, 0, q.length);
    }
    double worst = 0;
    for (int i = 0; i < mine.length; i++) {
      worst = Math.max(worst, Math.abs(mine[i] - theirs[i]));
    }
    assertTrue(worst < 0.05, "joint targets differ from a fresh bridge's by up to " + worst + " rad");
  }
}

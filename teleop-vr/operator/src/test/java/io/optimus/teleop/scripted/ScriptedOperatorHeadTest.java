package io.optimus.teleop.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.world.TaskWorld;
import io.optimus.motion.retarget.OperatorBody;
import io.optimus.motion.retarget.OperatorCalibration;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.TaskState;
import org.junit.jupiter.api.Test;

/**
 * The scripted operator's head and the bridge's calibration: a calibration's body yaw starts as the first head
 * yaw it sees. Live, the bridge's loop may take its first frame of this operator after the head already turned
 * to the cube (the task state arrived in between), and the two body frames then stayed apart for the whole run
 * (in-process live: 24.5 degrees, no giver grasp in 16 attempts over the first two episodes).
 */
class ScriptedOperatorHeadTest {
  /** Handover layout 1: the cube at (0.34, -0.30), off to the right. */
  static final TaskState TASK = new TaskWorld("r1", "handover", 1, 0.9).toProto();
  static final long FRAME_NS = 11_111_111L;

  /**
   * Frames 0-2 before the task state arrived, then the task; the bridge takes its first frame at {@code firstTaken}
   * and every later one; the robot is seen to have taken one of ours ({@code awaitRobot}) two frames after that.
   * Returns the operator's and the bridge's body yaw (rad) after 1 s.
   */
  static double[] yaws(boolean awaitRobot, int firstTaken) {
    CalibratedRobotToOperator mapping = new CalibratedRobotToOperator(ScriptedTasksTest.PROFILE, OperatorBody.DEFAULT);
    int[] frame = {0};
    ScriptedOperator op = ScriptedOperator.forTask("handover", () -> frame[0] < 3 ? null : TASK, mapping, 1, 1, false, 90, null);
    if (awaitRobot) {
      op.awaitRobot(() -> frame[0] >= firstTaken + 2);
    }
    OperatorCalibration bridge = new OperatorCalibration(ScriptedTasksTest.PROFILE);
    for (; frame[0] < 90; frame[0]++) {
      OperatorFrame.Builder f = op.frameAt(1_000_000_000L + frame[0] * FRAME_NS);
      if (frame[0] >= firstTaken) {
        Pose h = f.getHead();
        bridge.track(h.getPosition().getX(), h.getPosition().getY(), h.getPosition().getZ(), h.getOrientation().getW(),
            h.getOrientation().getX(), h.getOrientation().getY(), h.getOrientation().getZ());
      }
    }
    return new double[] {mapping.calibration().bodyYaw(), bridge.bodyYaw()};
  }

  @Test
  void theBridgesBodyFrameIsTheOperatorsWhicheverFrameItTakesFirst() {
    for (int first : new int[] {0, 5, 20}) {
      double[] y = yaws(true, first);
      assertEquals(y[0], y[1], 1e-9, "first frame taken " + first + ": operator " + Math.toDegrees(y[0]) + " deg, bridge "
          + Math.toDegrees(y[1]) + " deg");
    }
  }

  /** What went wrong before: looking at the cube at once, a bridge that took its first frame late turned away. */
  @Test
  void withoutWaitingForTheRobotALateFirstFrameTurnsTheBridgesBodyFrame() {
    double[] y = yaws(false, 20);
    assertTrue(Math.abs(y[1] - y[0]) > Math.toRadians(10), "operator " + Math.toDegrees(y[0]) + " deg, bridge "
        + Math.toDegrees(y[1]) + " deg");
  }
}

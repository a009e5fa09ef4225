package io.optimus.motion.retarget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.geometry.proto.Pose3Proto;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.OperatorFrame;
import org.junit.jupiter.api.Test;

class OperatorCalibrationTest {
  private static final RobotProfile OPTIMUS = RobotProfile.detect(Robots.load("optimus"));

  /** An operator of the given stature and arm length in a T-pose at (x, y) facing yaw. */
  private static OperatorFrame tPose(double height, double arm, double x, double y, double yaw) {
    double width = OperatorBody.SHOULDER_WIDTH_RATIO * height;
    Quat face = Quat.fromAxisAngle(Vec3.UNIT_Z, yaw);
    Vec3 eye = new Vec3(x, y, OperatorBody.EYE_HEIGHT_RATIO * height);
    double shoulderZ = OperatorBody.SHOULDER_HEIGHT_RATIO * height;
    Vec3 base = new Vec3(x, y, shoulderZ);
    Vec3 l = base.plus(face.rotate(new Vec3(0, width / 2 + arm, 0)));
    Vec3 r = base.plus(face.rotate(new Vec3(0, -(width / 2 + arm), 0)));
    return OperatorFrame.newBuilder().setHead(Pose3Proto.toProto(new Pose3(eye, face))).setHeadValid(true)
        .setLeft(HandInput.newBuilder().setGripPose(Pose3Proto.toProto(new Pose3(l, face))).setGripValid(true))
        .setRight(HandInput.newBuilder().setGripPose(Pose3Proto.toProto(new Pose3(r, face))).setGripValid(true))
        .build();
  }

  @Test
  void tPoseMeasuresStatureAndArmLength() {
    OperatorCalibration c = new OperatorCalibration(OPTIMUS);
    OperatorBody b = c.capture(tPose(1.62, 0.55, 2, -1, 0.7));
    assertEquals(1.62, b.height(), 1e-9);
    assertEquals(0.55, b.armLength(), 1e-9);
    assertEquals(0.7, c.bodyYaw(), 1e-9);
    assertEquals(OPTIMUS.armLength() / 0.55, c.armScale(), 1e-12);
  }

  @Test
  void badCalibrationPosesAreRejectedWithAReason() {
    OperatorCalibration c = new OperatorCalibration(OPTIMUS);
    OperatorFrame crouched = tPose(1.75, 0.6, 0, 0, 0).toBuilder()
        .setHead(Pose3Proto.toProto(new Pose3(new Vec3(0, 0, 0.7), Quat.IDENTITY))).build();
    assertTrue(assertThrows(InputException.class, () -> c.capture(crouched)).getMessage().contains("stand upright"));
    OperatorFrame armsDown = tPose(1.75, 0.6, 0, 0, 0).toBuilder()
        .setLeft(HandInput.newBuilder().setGripPose(Pose3Proto.toProto(Pose3.of(0, 0.25, 0.8))).setGripValid(true)).build();
    assertTrue(assertThrows(InputException.class, () -> c.capture(armsDown)).getMessage().contains("T-pose"));
    OperatorFrame noHand = tPose(1.75, 0.6, 0, 0, 0).toBuilder().setRight(HandInput.newBuilder()).build();
    assertTrue(assertThrows(InputException.class, () -> c.capture(noHand)).getMessage().contains("right hand"));
    assertEquals(OperatorBody.DEFAULT, c.body(), "a failed capture keeps the previous body");
  }

  private static double[] target(OperatorCalibration c, HandSide side, Vec3 hand, Quat rot) {
    double[] p = {hand.x(), hand.y(), hand.z()};
    double[] q = {rot.w(), rot.x(), rot.y(), rot.z()};
    double[] po = new double[3], qo = new double[4];
    c.handToRobot(side, p, q, po, qo);
    return new double[] {po[0], po[1], po[2], qo[0], qo[1], qo[2], qo[3]};
  }

  /** Walking two metres and turning round with the hands held the same relative to the body: same targets. */
  @Test
  void walkingAndTurningDoNotDragTheArms() {
    OperatorCalibration c = new OperatorCalibration(OPTIMUS);
    c.capture(tPose(1.8, 0.62, 0, 0, 0));
    Pose3 headHere = new Pose3(new Vec3(0, 0, 0.936 * 1.8), Quat.IDENTITY);
    Vec3 handRel = new Vec3(0.4, 0.1, -0.3);
    c.track(headHere);
    double[] here = target(c, HandSide.LEFT, headHere.transform(handRel), Quat.IDENTITY);
    // walked 2 m and turned round: the body yaw follows the head once it leaves the dead band
    // (looking over-shoulder first, then straight ahead again within the band)
    double yaw = Math.PI;
    for (double a = 0; a <= yaw + Math.toRadians(OperatorCalibration.YAW_DEADBAND_DEG); a += 0.1) {
      c.track(new Pose3(new Vec3(2, 1, 0.936 * 1.8), Quat.fromAxisAngle(Vec3.UNIT_Z, a)));
    }
    c.track(new Pose3(new Vec3(2, 1, 0.936 * 1.8), Quat.fromAxisAngle(Vec3.UNIT_Z, yaw + Math.toRadians(OperatorCalibration.YAW_DEADBAND_DEG))));
    Pose3 headThere = new Pose3(new Vec3(2, 1, 0.936 * 1.8), Quat.fromAxisAngle(Vec3.UNIT_Z, yaw));
    c.track(headThere);
    assertEquals(Math.PI, Math.abs(c.bodyYaw()), 1e-9);
    double[] there = target(c, HandSide.LEFT, headThere.transform(handRel), headThere.rotation());
    for (int i = 0; i < 3; i++) {
      assertEquals(here[i], there[i], 1e-9, "position " + i);
    }
    assertEquals(0, new Quat(here[3], here[4], here[5], here[6]).angleTo(new Quat(there[3], there[4], there[5], there[6])), 1e-9);
  }

  /** Looking around (head yaw within the dead band) does not swing the arm targets. */
  @Test
  void lookingAroundDoesNotMoveTheHands() {
    OperatorCalibration c = new OperatorCalibration(OPTIMUS);
    c.capture(tPose(1.75, 0.6, 0, 0, 0));
    Vec3 hand = new Vec3(0.4, 0.2, 1.1);
    c.track(new Pose3(new Vec3(0, 0, 1.638), Quat.IDENTITY));
    double[] ahead = target(c, HandSide.LEFT, hand, Quat.IDENTITY);
    // turning the head 25° about the neck moves the eyes a little; the shoulder estimate compensates
    Quat turn = Quat.fromAxisAngle(Vec3.UNIT_Z, Math.toRadians(25));
    Vec3 neck = new Vec3(-0.09, 0, 1.638 - 0.11);
    Vec3 eyes = neck.plus(turn.rotate(new Vec3(0.09, 0, 0.11)));
    c.track(new Pose3(eyes, turn));
    double[] turned = target(c, HandSide.LEFT, hand, Quat.IDENTITY);
    for (int i = 0; i < 3; i++) {
      assertEquals(ahead[i], turned[i], 1e-6, "position " + i);
    }
  }

  @Test
  void toOperatorInvertsToRobot() {
    OperatorCalibration c = new OperatorCalibration(OPTIMUS);
    c.capture(tPose(1.7, 0.58, 0.3, -0.2, 0.4));
    Pose3 p = new Pose3(new Vec3(0.5, 0.3, 1.2), Quat.fromRpy(0.1, 0.2, 0.3));
    Pose3 back = c.toOperator(c.toRobot(p));
    assertTrue(back.translation().distance(p.translation()) < 1e-9);
    assertEquals(0, back.rotation().angleTo(p.rotation()), 1e-9);
  }
}

package io.optimus.bridge.control;

import io.optimus.motion.model.RobotModel;
import io.optimus.motion.retarget.OperatorRetargeter;
import io.optimus.proto.v1.OperatorFrame;

/**
 * The motion-capture whole-body retargeter (IK for head and palms, feet planted, balance, hands from
 * the skeleton or trigger/squeeze) behind the bridge's {@link Retargeter} interface. Calibration is
 * handled inside it (frames with {@code commands.calibrating} or a CALIBRATE event).
 */
public final class MotionRetargeter implements Retargeter {
  private final OperatorRetargeter retargeter;

  public MotionRetargeter(RobotModel model, double[] startQ) {
    this.retargeter = new OperatorRetargeter(model);
    retargeter.reset(startQ);
  }

  @Override
  public void retarget(OperatorFrame frame, double dt, double[] qCurrent, double[] qOut) {
    retargeter.retarget(frame, dt, qCurrent, qOut);
  }

  public OperatorRetargeter delegate() {
    return retargeter;
  }
}

package io.optimus.bridge.control;

import io.optimus.motion.model.RobotModel;
import io.optimus.motion.retarget.BodyTargets;
import io.optimus.motion.retarget.LiveCloseness;
import io.optimus.motion.retarget.OperatorRetargeter;
import io.optimus.proto.v1.OperatorFrame;

/**
 * The motion-capture whole-body retargeter (IK for head and palms, feet planted, balance, hands from
 * the skeleton or trigger/squeeze) behind the bridge's {@link Retargeter} interface. Calibration is
 * handled inside it (frames with {@code commands.calibrating} or a CALIBRATE event). The frame's body
 * skeleton (schema 2) becomes confidence-weighted body tasks ({@link BodySkeletonTargets}).
 */
public final class MotionRetargeter implements Retargeter {
  private final OperatorRetargeter retargeter;
  private final BodyTargets body = new BodyTargets();
  private final LiveCloseness closeness = new LiveCloseness();

  public MotionRetargeter(RobotModel model, double[] startQ) {
    this.retargeter = new OperatorRetargeter(model);
    retargeter.reset(startQ);
  }

  @Override
  public void retarget(OperatorFrame frame, double dt, double[] qCurrent, double[] qOut) {
    boolean tracked = frame.hasBody() && BodySkeletonTargets.convert(frame.getBody(), body);
    retargeter.retarget(frame, tracked ? body : null, dt, qCurrent, qOut);
    if (tracked) {
      retargeter.measureCloseness(body, closeness);
    }
  }

  @Override
  public void newSession() {
    retargeter.newOperator();
  }

  @Override
  public LiveCloseness closeness() {
    return closeness;
  }

  @Override
  public String limitedJoint() {
    return retargeter.limitedJoint();
  }

  /** The body joints of the last frame (confidence 0 everywhere when it had none). */
  public BodyTargets body() {
    return body;
  }

  public OperatorRetargeter delegate() {
    return retargeter;
  }
}

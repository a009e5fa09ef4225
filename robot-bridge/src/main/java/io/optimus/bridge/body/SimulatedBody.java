package io.optimus.bridge.body;

import io.optimus.proto.v1.JointInfo;
import io.optimus.proto.v1.JointType;
import io.optimus.proto.v1.RobotDescription;
import java.util.List;

/**
 * Simulated joints: per-joint actuator dynamics ({@link ActuatorParams}) integrated with semi-implicit
 * Euler in fixed substeps up to the time asked for. The body never exceeds its position, velocity or
 * effort limits, whatever it is commanded. Allocation-free after construction.
 */
public final class SimulatedBody implements RobotBody {
  /** Integration substep (s). */
  public static final double SUBSTEP = 0.0005;

  private final RobotDescription description;
  private final int n;
  private final double[] lower;
  private final double[] upper;
  private final double[] vmax;
  private final double[] tauMax;
  private final ActuatorParams[] params;
  private final double[] q;
  private final double[] v;
  private final double[] tau;
  private final double[] setpoint;
  private final double[] setpointVelocity;
  private final double[] cmdQ;
  private final double[] cmdV;
  private final double[] cmdTau;
  private long timeNs = Long.MIN_VALUE;

  public SimulatedBody(RobotDescription description, double[] initialQ) {
    this.description = description;
    List<JointInfo> joints = description.getJointsList();
    n = joints.size();
    lower = new double[n];
    upper = new double[n];
    vmax = new double[n];
    tauMax = new double[n];
    params = new ActuatorParams[n];
    q = initialQ.clone();
    v = new double[n];
    tau = new double[n];
    setpoint = initialQ.clone();
    setpointVelocity = new double[n];
    cmdQ = initialQ.clone();
    cmdV = new double[n];
    cmdTau = new double[n];
    for (int i = 0; i < n; i++) {
      JointInfo j = joints.get(i);
      var l = j.getLimits();
      boolean bounded = l.getHasPositionLimits() && j.getType() != JointType.JOINT_TYPE_CONTINUOUS;
      lower[i] = bounded ? l.getLower() : Double.NEGATIVE_INFINITY;
      upper[i] = bounded ? l.getUpper() : Double.POSITIVE_INFINITY;
      vmax[i] = l.getVelocity() > 0 ? l.getVelocity() : 2.0;
      tauMax[i] = l.getEffort() > 0 ? l.getEffort() : 50.0;
      params[i] = defaultParams(j, tauMax[i]);
    }
    if (initialQ.length != n) {
      throw new IllegalArgumentException("initial q has " + initialQ.length + " joints, description " + n);
    }
  }

  /**
   * Heavier, slower actuators for big joints (by effort limit), light fast ones for fingers: the
   * inertia is chosen so the effort limit gives ~60 rad/s^2, the PD runs at 40 rad/s.
   */
  static ActuatorParams defaultParams(JointInfo joint, double effort) {
    double inertia = Math.max(1e-4, effort / 60.0);
    return ActuatorParams.critical(inertia, 40.0, 0.01);
  }

  /** Overrides one joint's actuator. */
  public void setParams(int joint, ActuatorParams p) {
    params[joint] = p;
  }

  @Override
  public RobotDescription describe() {
    return description;
  }

  @Override
  public void write(long nowNs, double[] position, double[] velocity, double[] effort) {
    advance(nowNs);
    System.arraycopy(position, 0, cmdQ, 0, n);
    if (velocity != null) {
      System.arraycopy(velocity, 0, cmdV, 0, n);
    } else {
      java.util.Arrays.fill(cmdV, 0);
    }
    if (effort != null) {
      System.arraycopy(effort, 0, cmdTau, 0, n);
    } else {
      java.util.Arrays.fill(cmdTau, 0);
    }
  }

  @Override
  public boolean place(double[] at) {
    System.arraycopy(at, 0, q, 0, n);
    System.arraycopy(at, 0, setpoint, 0, n);
    System.arraycopy(at, 0, cmdQ, 0, n);
    java.util.Arrays.fill(v, 0);
    java.util.Arrays.fill(tau, 0);
    java.util.Arrays.fill(setpointVelocity, 0);
    java.util.Arrays.fill(cmdV, 0);
    java.util.Arrays.fill(cmdTau, 0);
    return true;
  }

  @Override
  public void read(long nowNs, BodyState out) {
    advance(nowNs);
    System.arraycopy(q, 0, out.position, 0, n);
    System.arraycopy(v, 0, out.velocity, 0, n);
    System.arraycopy(tau, 0, out.effort, 0, n);
    out.stampNs = nowNs;
    out.fault = "";
  }

  /** Integrates up to {@code nowNs} in {@link #SUBSTEP} steps (at most 1 s at once). */
  public void advance(long nowNs) {
    if (timeNs == Long.MIN_VALUE) {
      timeNs = nowNs;
      return;
    }
    long stepNs = (long) (SUBSTEP * 1e9);
    long maxSteps = 2000;
    while (nowNs - timeNs >= stepNs && maxSteps-- > 0) {
      step(SUBSTEP);
      timeNs += stepNs;
    }
    if (maxSteps <= 0) {
      timeNs = nowNs; // a long pause (debugger, GC): skip ahead instead of catching up forever
    }
  }

  /** One integration step of {@code h} seconds. */
  public void step(double h) {
    for (int i = 0; i < n; i++) {
      ActuatorParams p = params[i];
      double alpha = p.lagSeconds() > 0 ? Math.min(1, h / p.lagSeconds()) : 1;
      setpoint[i] += alpha * (cmdQ[i] - setpoint[i]);
      setpointVelocity[i] += alpha * (cmdV[i] - setpointVelocity[i]);
      double t = p.kp() * (setpoint[i] - q[i]) + p.kd() * (setpointVelocity[i] - v[i]) + cmdTau[i];
      if (t > tauMax[i]) {
        t = tauMax[i];
      } else if (t < -tauMax[i]) {
        t = -tauMax[i];
      }
      tau[i] = t;
      double a = (t - p.damping() * v[i]) / p.inertia();
      double vi = v[i] + a * h;
      if (vi > vmax[i]) {
        vi = vmax[i];
      } else if (vi < -vmax[i]) {
        vi = -vmax[i];
      }
      double qi = q[i] + vi * h;
      if (qi > upper[i]) {
        qi = upper[i];
        vi = 0;
      } else if (qi < lower[i]) {
        qi = lower[i];
        vi = 0;
      }
      q[i] = qi;
      v[i] = vi;
    }
  }

  /** Current simulated positions (a copy), for tests and tools. */
  public double[] positions() {
    return q.clone();
  }
}

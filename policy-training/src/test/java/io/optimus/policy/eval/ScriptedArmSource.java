package io.optimus.policy.eval;

import io.optimus.bridge.control.ActionSource;
import io.optimus.bridge.control.ControlContext;
import io.optimus.proto.v1.EpisodeSourceKind;
import io.optimus.proto.v1.JointInfo;
import io.optimus.proto.v1.RobotDescription;
import io.optimus.proto.v1.TaskState;

/**
 * A test demonstrator in joint space: swings the right arm from home toward a pose that depends on
 * where the cube is (so the head camera carries the information the motion needs), minimum-jerk
 * over two seconds. Not a pick-and-place solver: it gives the closed-loop machinery real, varied,
 * image-conditioned demonstrations on the real robot model.
 */
final class ScriptedArmSource implements ActionSource {
  private final int[] arm;
  private double[] start;
  private double t;

  ScriptedArmSource(RobotDescription d) {
    arm = d.getJointsList().stream().filter(j -> j.getGroup().equals("right_arm")).mapToInt(j -> indexOf(d, j)).toArray();
    if (arm.length == 0) {
      throw new IllegalStateException("no right_arm joints in " + d.getModelName());
    }
  }

  private static int indexOf(RobotDescription d, JointInfo j) {
    return d.getJointsList().indexOf(j);
  }

  @Override
  public String name() {
    return "scripted-arm";
  }

  @Override
  public EpisodeSourceKind kind() {
    return EpisodeSourceKind.EPISODE_SOURCE_KIND_SCRIPTED;
  }

  @Override
  public void activate(ControlContext ctx) {
    start = ctx.commanded.clone();
    t = 0;
  }

  @Override
  public boolean target(ControlContext ctx, double[] target) {
    t += ctx.dt;
    TaskState task = ctx.task;
    double cx = 0.4;
    double cy = 0;
    if (task != null && task.getObjectsCount() > 0) {
      cx = task.getObjects(0).getPose().getPosition().getX();
      cy = task.getObjects(0).getPose().getPosition().getY();
    }
    double tau = Math.min(1, t / 2.0);
    double s = tau * tau * tau * (10 - 15 * tau + 6 * tau * tau);
    System.arraycopy(start, 0, target, 0, target.length);
    for (int k = 0; k < arm.length; k++) {
      double goal = 0.5 * Math.sin(3 * cx + k) + 0.5 * cy * Math.cos(k);
      target[arm[k]] = start[arm[k]] + s * goal * 0.6;
    }
    return true;
  }
}

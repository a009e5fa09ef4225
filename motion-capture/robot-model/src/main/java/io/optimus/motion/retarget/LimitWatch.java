package io.optimus.motion.retarget;

import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.RobotModel;
import java.util.List;

/**
 * Finds where the robot cannot follow because of a joint limit: among the IK tasks that still miss
 * their target (over {@value #POSITION_MISS_M} m or {@value #ORIENTATION_MISS_DEG}°), the one that
 * misses most and has a joint of its chain at a position limit names that joint. Precomputed
 * chains; {@link #check} does not allocate.
 */
final class LimitWatch {
  static final double POSITION_MISS_M = 0.03;
  static final double ORIENTATION_MISS_DEG = 10;
  private static final double ORIENTATION_MISS = Math.toRadians(ORIENTATION_MISS_DEG);
  /** A joint within this of a position limit (rad or m) counts as held there. */
  static final double AT_LIMIT = 2e-3;
  private final FrameTask[] tasks;
  private final int[][] chains; // per task: q indices, end link first
  private final String[] names; // per q index
  private final double[] lower;
  private final double[] upper;
  private String joint = "";
  private String task = "";

  LimitWatch(RobotModel model, Kinematics kin, List<FrameTask> tasks) {
    this.tasks = tasks.toArray(new FrameTask[0]);
    chains = new int[this.tasks.length][];
    int nq = model.dof();
    names = new String[nq];
    lower = new double[nq];
    upper = new double[nq];
    for (Joint j : model.dofJoints()) {
      names[j.qIndex()] = j.name();
      lower[j.qIndex()] = j.limits().lower();
      upper[j.qIndex()] = j.limits().upper();
    }
    for (int t = 0; t < this.tasks.length; t++) {
      int[] chain = kin.chainOf(this.tasks[t].link());
      int[] q = new int[chain.length];
      int k = 0;
      for (int c = chain.length - 1; c >= 0; c--) {
        Joint j = model.joints().get(chain[c]);
        if (j.qIndex() >= 0 && !j.isMimic() && j.limits().hasPositionLimits()) {
          q[k++] = j.qIndex();
        }
      }
      chains[t] = java.util.Arrays.copyOf(q, k);
    }
  }

  void clear() {
    joint = "";
    task = "";
  }

  void check(double[] q) {
    double worst = 0;
    String j = "";
    String tn = "";
    for (int t = 0; t < tasks.length; t++) {
      FrameTask f = tasks[t];
      if (!f.enabled) {
        continue;
      }
      double miss = 0;
      if (f.positionValid && f.positionWeight > 0 && f.positionError > POSITION_MISS_M) {
        miss = f.positionError / POSITION_MISS_M;
      }
      if (f.orientationValid && f.orientationWeight > 0 && f.orientationError > ORIENTATION_MISS) {
        miss = Math.max(miss, f.orientationError / ORIENTATION_MISS);
      }
      if (miss <= worst) {
        continue;
      }
      for (int qi : chains[t]) {
        if (q[qi] <= lower[qi] + AT_LIMIT || q[qi] >= upper[qi] - AT_LIMIT) {
          worst = miss;
          j = names[qi];
          tn = f.name;
          break;
        }
      }
    }
    joint = j;
    task = tn;
  }

  String joint() {
    return joint;
  }

  String task() {
    return task;
  }
}

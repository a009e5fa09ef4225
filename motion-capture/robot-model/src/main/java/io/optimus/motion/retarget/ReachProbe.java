package io.optimus.motion.retarget;

import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.RobotModel;
import java.util.function.Predicate;

/**
 * How far one robot link stays from a point when the whole robot is devoted to reaching it: the
 * distance from the point to that link's reachable set, for the reachable-frames filter of the
 * closeness figures ({@code mocap retarget}).
 *
 * <p>The reachable set of a link, for a given stance, is every position the link takes over the poses
 * that
 * <ul>
 *   <li>keep every joint inside its position limits (velocity limits do not count: the question is
 *       where the robot can be, not where it can get within one tick);
 *   <li>keep the planted feet where the stance has them (position and orientation): the robot does
 *       not step to reach; a foot in the air is free (with neither foot planted, as between steps,
 *       both are held);
 *   <li>keep the centre of mass over the support polygon (the convex hull of the soles of the planted
 *       feet, {@link RobotProfile#footLength()} x {@link RobotProfile#footWidth()} centred under each
 *       foot link): static balance.
 * </ul>
 * The distance is measured with a keypoint-alone IK: floating base, joint position limits, heavy feet
 * pose tasks and the link's position task, warm-started from the stance; if the result's centre of
 * mass leaves the support polygon it is pinned (heavily) to the polygon's nearest point and the IK runs
 * again (the balance limit as an active inequality). The IK is a local method, so the distance is an
 * upper bound; warm-started from the pose the retargeter is in, near the target, it settles on the
 * set's nearest point in practice (ReachProbeTest). A point is reachable when the distance is within
 * {@link #TOLERANCE_M}.
 *
 * <p>Not thread-safe; one probe per retargeting run. {@link #distance} allocates only on the first
 * call for a link (its task).
 */
public final class ReachProbe {
  /** A point within this distance of the reachable set counts as reachable (about the IK's convergence). */
  public static final double TOLERANCE_M = 0.01;
  private static final double FOOT_POSITION_WEIGHT = 1e3;
  private static final double FOOT_ORIENTATION_WEIGHT = 3e2;
  private static final double TARGET_WEIGHT = 1;
  private static final double COM_WEIGHT = 1e3;
  private static final int MAX_ITERATIONS = 100;
  /** Velocity limits times this "tick" are far beyond any joint range: position limits only. */
  private static final double UNLIMITED_DT = 1e3;
  /**
   * Damping per unit of task cost heavy enough for the stiff feet and CoM tasks (1e3 against the
   * target's 1): with less, Gauss-Newton chatters around an unreachable target instead of settling.
   */
  private static final IkSettings SETTINGS = new IkSettings(1e-4, 1e-1, 1e-4, 0, 2.0, 4.0, 16);

  private final Kinematics kin;
  private final WholeBodyIk ik;
  private final KinematicsData work;
  private final FrameTask[] linkTask;
  private final FrameTask[] foot = new FrameTask[2];
  private final int[] footLink = new int[2];
  private final double halfLength;
  private final double halfWidth;
  private final double[] corners = new double[16];
  private final double[] hull = new double[18];
  private final double[] nearest = new double[2];
  /** Tests switch the balance limit off to show what it excludes. */
  boolean balance = true;

  /**
   * @param active the joints the retargeter moves (the same the reachable set is measured over)
   */
  public ReachProbe(Kinematics kin, RobotProfile profile, Predicate<Joint> active) {
    this.kin = kin;
    RobotModel model = kin.model();
    if (profile.leftFoot() == null || profile.rightFoot() == null) {
      throw new IllegalArgumentException(model.name() + ": no feet, no stance to probe reach from");
    }
    ik = new WholeBodyIk(kin, active, true, SETTINGS);
    ik.setPosture(profile.posture());
    footLink[0] = model.linkIndex(profile.leftFoot());
    footLink[1] = model.linkIndex(profile.rightFoot());
    foot[0] = ik.addFrameTask("reach_left_foot", profile.leftFoot(), FOOT_POSITION_WEIGHT, FOOT_ORIENTATION_WEIGHT);
    foot[1] = ik.addFrameTask("reach_right_foot", profile.rightFoot(), FOOT_POSITION_WEIGHT, FOOT_ORIENTATION_WEIGHT);
    linkTask = new FrameTask[model.links().size()];
    halfLength = profile.footLength() / 2;
    halfWidth = profile.footWidth() / 2;
    work = kin.newData();
  }

  /**
   * Distance (m) from {@code (x, y, z)} to the reachable set of {@code link} with the feet as in
   * {@code stance} (which must be up to date: {@link Kinematics#forward}); {@code leftPlanted} and
   * {@code rightPlanted} say which soles bear weight (neither: both, as between steps). {@code stance}
   * is not changed.
   */
  public double distance(KinematicsData stance, int link, double x, double y, double z, boolean leftPlanted,
      boolean rightPlanted) {
    FrameTask t = task(link);
    work.copyFrom(stance);
    boolean left = leftPlanted || !rightPlanted;
    boolean right = rightPlanted || !leftPlanted;
    for (int s = 0; s < 2; s++) {
      int l = footLink[s];
      boolean held = s == 0 ? left : right;
      foot[s].setWeights(held ? FOOT_POSITION_WEIGHT : 0, held ? FOOT_ORIENTATION_WEIGHT : 0);
      foot[s].setTargetPosition(stance.linkPosition[3 * l], stance.linkPosition[3 * l + 1],
          stance.linkPosition[3 * l + 2]);
      foot[s].setTargetRotation(stance.linkRotation, 9 * l);
    }
    t.setTargetPosition(x, y, z);
    t.setWeights(TARGET_WEIGHT, 0);
    try {
      ik.disableCom();
      converge();
      kin.centerOfMass(work);
      int n = supportHull(work, left, right);
      if (balance && !inside(work.com[0], work.com[1], n)) {
        ik.setComTarget(nearest[0], nearest[1]);
        ik.setComWeight(COM_WEIGHT);
        converge();
      }
      int o = 3 * link;
      double ex = work.linkPosition[o] - x;
      double ey = work.linkPosition[o + 1] - y;
      double ez = work.linkPosition[o + 2] - z;
      return Math.sqrt(ex * ex + ey * ey + ez * ez);
    } finally {
      t.setWeights(0, 0);
    }
  }

  /** Whether {@link #distance} is within {@link #TOLERANCE_M}. */
  public boolean reachable(KinematicsData stance, int link, double x, double y, double z, boolean leftPlanted,
      boolean rightPlanted) {
    return distance(stance, link, x, y, z, leftPlanted, rightPlanted) <= TOLERANCE_M;
  }

  /** The pose the last {@link #distance} ended in (the probe's own state; read, do not keep). */
  KinematicsData lastPose() {
    return work;
  }

  private FrameTask task(int link) {
    if (link < 0 || link >= linkTask.length) {
      throw new IllegalArgumentException("no link " + link + " in " + kin.model().name());
    }
    if (linkTask[link] == null) {
      linkTask[link] = ik.addFrameTask("reach_" + kin.model().links().get(link).name(),
          kin.model().links().get(link).name(), 0, 0);
    }
    return linkTask[link];
  }

  private void converge() {
    ik.begin(work, UNLIMITED_DT);
    double last = Double.POSITIVE_INFINITY;
    for (int i = 0; i < MAX_ITERATIONS; i++) {
      double cost = ik.iterate(work);
      if (cost < 1e-12 || Math.abs(last - cost) <= 1e-4 * cost) {
        break;
      }
      last = cost;
    }
    kin.forward(work);
  }

  /** Convex hull (counter-clockwise, into {@link #hull}) of the chosen feet's sole corners; returns its size. */
  private int supportHull(KinematicsData d, boolean left, boolean right) {
    int m = 0;
    for (int s = 0; s < 2; s++) {
      if (s == 0 ? !left : !right) {
        continue;
      }
      int l = footLink[s];
      double cx = d.linkPosition[3 * l];
      double cy = d.linkPosition[3 * l + 1];
      // the sole's forward axis: the foot link's x projected on the floor
      double fx = d.linkRotation[9 * l];
      double fy = d.linkRotation[9 * l + 3];
      double fn = Math.hypot(fx, fy);
      fx = fn > 1e-9 ? fx / fn : 1;
      fy = fn > 1e-9 ? fy / fn : 0;
      for (int c = 0; c < 4; c++) {
        double a = (c == 0 || c == 3 ? 1 : -1) * halfLength;
        double b = (c < 2 ? 1 : -1) * halfWidth;
        corners[2 * m] = cx + a * fx - b * fy;
        corners[2 * m + 1] = cy + a * fy + b * fx;
        m++;
      }
    }
    return monotoneChain(m);
  }

  /** Andrew's monotone chain over the first m corners (sorted in place by x, then y). */
  private int monotoneChain(int m) {
    for (int i = 1; i < m; i++) { // insertion sort: at most 8 points
      double x = corners[2 * i];
      double y = corners[2 * i + 1];
      int j = i - 1;
      while (j >= 0 && (corners[2 * j] > x || (corners[2 * j] == x && corners[2 * j + 1] > y))) {
        corners[2 * j + 2] = corners[2 * j];
        corners[2 * j + 3] = corners[2 * j + 1];
        j--;
      }
      corners[2 * j + 2] = x;
      corners[2 * j + 3] = y;
    }
    int k = 0;
    for (int i = 0; i < m; i++) {
      while (k >= 2 && cross(hull, k - 2, k - 1, corners, i) <= 0) {
        k--;
      }
      hull[2 * k] = corners[2 * i];
      hull[2 * k + 1] = corners[2 * i + 1];
      k++;
    }
    for (int i = m - 2, lower = k + 1; i >= 0; i--) {
      while (k >= lower && cross(hull, k - 2, k - 1, corners, i) <= 0) {
        k--;
      }
      hull[2 * k] = corners[2 * i];
      hull[2 * k + 1] = corners[2 * i + 1];
      k++;
    }
    return k - 1; // the last point repeats the first
  }

  private static double cross(double[] h, int a, int b, double[] p, int c) {
    return (h[2 * b] - h[2 * a]) * (p[2 * c + 1] - h[2 * a + 1]) - (h[2 * b + 1] - h[2 * a + 1]) * (p[2 * c] - h[2 * a]);
  }

  /** Whether (x, y) is inside the n-gon in {@link #hull}; if not, its nearest boundary point goes to {@link #nearest}. */
  private boolean inside(double x, double y, int n) {
    boolean in = true;
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      double ax = hull[2 * i];
      double ay = hull[2 * i + 1];
      double ex = hull[2 * j] - ax;
      double ey = hull[2 * j + 1] - ay;
      if (ex * (y - ay) - ey * (x - ax) < 0) {
        in = false;
      }
      double len2 = ex * ex + ey * ey;
      double s = len2 > 0 ? Math.max(0, Math.min(1, ((x - ax) * ex + (y - ay) * ey) / len2)) : 0;
      double px = ax + s * ex;
      double py = ay + s * ey;
      double dist = (px - x) * (px - x) + (py - y) * (py - y);
      if (dist < best) {
        best = dist;
        nearest[0] = px;
        nearest[1] = py;
      }
    }
    return in;
  }
}

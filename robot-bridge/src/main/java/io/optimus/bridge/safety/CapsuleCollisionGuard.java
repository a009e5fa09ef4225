package io.optimus.bridge.safety;

import io.optimus.motion.model.RobotRig;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.Geometry;
import io.optimus.motion.model.Link;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Self-collision check on the model's collision capsules (cylinders and boxes are bounded by
 * capsules, spheres are capsules of length 0, meshes are ignored), using capsule-capsule distance on
 * the forward-kinematics link poses.
 *
 * <p>Checked pairs: bodies at least 3 links apart in the tree, at least one of them on an arm or hand
 * (the parts teleoperation moves fast), and not already closer than the margin in the home pose (the
 * allowed-collision set, as in MoveIt). Finger segments are covered by the hand body. Allocation-free
 * per call.
 */
public final class CapsuleCollisionGuard implements CollisionGuard {
  private final Kinematics kinematics;
  private final KinematicsData data;
  private final double margin;
  private final int[] bodyLink;
  private final double[] local; // per body: a(3), b(3) in the link frame
  private final double[] radius;
  private final String[] bodyName;
  private final int[] pairA;
  private final int[] pairB;
  private final int[][] pairJoints;
  private final double[] world;
  private int lastA = -1;
  private int lastB = -1;
  private int lastPair = -1;

  public CapsuleCollisionGuard(RobotRig rig, double margin) {
    this.kinematics = rig.kinematics();
    this.data = kinematics.newData();
    this.margin = margin;
    RobotModel model = rig.model();
    List<Integer> links = new ArrayList<>();
    List<double[]> segs = new ArrayList<>();
    List<Double> radii = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int l = 0; l < model.links().size(); l++) {
      Link link = model.links().get(l);
      if (isFinger(link.name())) {
        continue;
      }
      for (Shape s : link.collisions()) {
        double[] seg = new double[6];
        double r = capsule(s, seg);
        if (r > 0) {
          links.add(l);
          segs.add(seg);
          radii.add(r);
          names.add(link.name());
        }
      }
    }
    int n = links.size();
    bodyLink = links.stream().mapToInt(Integer::intValue).toArray();
    local = new double[6 * n];
    radius = new double[n];
    bodyName = names.toArray(new String[0]);
    for (int i = 0; i < n; i++) {
      System.arraycopy(segs.get(i), 0, local, 6 * i, 6);
      radius[i] = radii.get(i);
    }
    world = new double[6 * n];
    int[] parent = new int[model.links().size()];
    parent[0] = -1;
    for (int j = 0; j < model.joints().size(); j++) {
      parent[j + 1] = model.parentLinkOf(j);
    }
    // allowed-collision set from the home pose
    double[] home = rig.home();
    System.arraycopy(home, 0, data.q, 0, home.length);
    kinematics.forward(data);
    placeBodies();
    List<int[]> pairs = new ArrayList<>();
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        if (bodyLink[a] == bodyLink[b] || treeDistance(parent, bodyLink[a], bodyLink[b]) < 3) {
          continue;
        }
        if (!isArm(bodyName[a]) && !isArm(bodyName[b])) {
          continue;
        }
        if (distance(a, b) < margin) {
          continue;
        }
        pairs.add(new int[] {a, b});
      }
    }
    pairA = pairs.stream().mapToInt(p -> p[0]).toArray();
    pairB = pairs.stream().mapToInt(p -> p[1]).toArray();
    pairJoints = new int[pairA.length][];
    for (int k = 0; k < pairA.length; k++) {
      // only joints on one side of the pair's common ancestor move the two bodies relative to each
      // other; the shared ones (e.g. the waist under torso and upper arm) carry both rigidly, and
      // braking them would stall the rest of the body (the other arm's reach) for nothing
      java.util.TreeSet<Integer> qs = new java.util.TreeSet<>();
      java.util.TreeSet<Integer> shared = new java.util.TreeSet<>();
      for (int link : new int[] {bodyLink[pairA[k]], bodyLink[pairB[k]]}) {
        for (int j : kinematics.chainOf(link)) {
          int qi = model.joints().get(j).qIndex();
          if (qi >= 0 && !qs.add(qi)) {
            shared.add(qi);
          }
        }
      }
      qs.removeAll(shared);
      pairJoints[k] = qs.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  static boolean isFinger(String link) {
    return link.contains("thumb") || link.contains("index") || link.contains("middle") || link.contains("ring")
        || link.contains("little");
  }

  static boolean isArm(String link) {
    return link.contains("shoulder") || link.contains("arm") || link.contains("elbow") || link.contains("wrist")
        || link.contains("hand");
  }

  private static int treeDistance(int[] parent, int a, int b) {
    List<Integer> upA = new ArrayList<>();
    for (int l = a; l >= 0; l = parent[l]) {
      upA.add(l);
    }
    int steps = 0;
    for (int l = b; l >= 0; l = parent[l]) {
      int i = upA.indexOf(l);
      if (i >= 0) {
        return steps + i;
      }
      steps++;
    }
    return Integer.MAX_VALUE;
  }

  /** Capsule segment (link frame) into seg[0..5]; returns its radius, or 0 when not representable. */
  private static double capsule(Shape s, double[] seg) {
    Geometry g = s.geometry();
    double r;
    double half;
    Vec3 axis = Vec3.UNIT_Z;
    switch (g) {
      case Geometry.Capsule c -> {
        r = c.radius();
        half = c.length() / 2;
      }
      case Geometry.Cylinder c -> {
        r = c.radius();
        half = c.length() / 2;
      }
      case Geometry.Sphere sp -> {
        r = sp.radius();
        half = 0;
      }
      case Geometry.Box b -> {
        double[] h = {b.size().x() / 2, b.size().y() / 2, b.size().z() / 2};
        int longest = h[0] >= h[1] && h[0] >= h[2] ? 0 : (h[1] >= h[2] ? 1 : 2);
        r = Math.max(h[(longest + 1) % 3], h[(longest + 2) % 3]);
        half = Math.max(0, h[longest] - r);
        axis = longest == 0 ? Vec3.UNIT_X : (longest == 1 ? Vec3.UNIT_Y : Vec3.UNIT_Z);
      }
      default -> {
        return 0;
      }
    }
    Vec3 d = s.origin().rotation().rotate(axis).times(half);
    Vec3 o = s.origin().translation();
    seg[0] = o.x() - d.x();
    seg[1] = o.y() - d.y();
    seg[2] = o.z() - d.z();
    seg[3] = o.x() + d.x();
    seg[4] = o.y() + d.y();
    seg[5] = o.z() + d.z();
    return r;
  }

  private void placeBodies() {
    for (int i = 0; i < bodyLink.length; i++) {
      int o = 6 * i;
      kinematics.pointInWorld(data, bodyLink[i], local[o], local[o + 1], local[o + 2], world, o);
      kinematics.pointInWorld(data, bodyLink[i], local[o + 3], local[o + 4], local[o + 5], world, o + 3);
    }
  }

  @Override
  public double clearance(double[] q) {
    System.arraycopy(q, 0, data.q, 0, q.length);
    kinematics.forward(data);
    placeBodies();
    double best = Double.POSITIVE_INFINITY;
    for (int k = 0; k < pairA.length; k++) {
      double d = distance(pairA[k], pairB[k]);
      if (d < best) {
        best = d;
        lastA = pairA[k];
        lastB = pairB[k];
        lastPair = k;
      }
    }
    return best;
  }

  private double distance(int a, int b) {
    return Math.sqrt(segmentDistanceSquared(world, 6 * a, world, 6 * b)) - radius[a] - radius[b];
  }

  /** Squared distance between segments p1-q1 (at s[o1..]) and p2-q2 (at t[o2..]); Ericson 5.1.9. */
  static double segmentDistanceSquared(double[] s, int o1, double[] t, int o2) {
    double p1x = s[o1], p1y = s[o1 + 1], p1z = s[o1 + 2];
    double d1x = s[o1 + 3] - p1x, d1y = s[o1 + 4] - p1y, d1z = s[o1 + 5] - p1z;
    double p2x = t[o2], p2y = t[o2 + 1], p2z = t[o2 + 2];
    double d2x = t[o2 + 3] - p2x, d2y = t[o2 + 4] - p2y, d2z = t[o2 + 5] - p2z;
    double rx = p1x - p2x, ry = p1y - p2y, rz = p1z - p2z;
    double a = d1x * d1x + d1y * d1y + d1z * d1z;
    double e = d2x * d2x + d2y * d2y + d2z * d2z;
    double f = d2x * rx + d2y * ry + d2z * rz;
    double sc;
    double tc;
    final double eps = 1e-12;
    if (a <= eps && e <= eps) {
      return rx * rx + ry * ry + rz * rz;
    }
    if (a <= eps) {
      sc = 0;
      tc = clamp01(f / e);
    } else {
      double c = d1x * rx + d1y * ry + d1z * rz;
      if (e <= eps) {
        tc = 0;
        sc = clamp01(-c / a);
      } else {
        double b = d1x * d2x + d1y * d2y + d1z * d2z;
        double denom = a * e - b * b;
        sc = denom > eps ? clamp01((b * f - c * e) / denom) : 0;
        tc = (b * sc + f) / e;
        if (tc < 0) {
          tc = 0;
          sc = clamp01(-c / a);
        } else if (tc > 1) {
          tc = 1;
          sc = clamp01((b - c) / a);
        }
      }
    }
    double dx = p1x + d1x * sc - (p2x + d2x * tc);
    double dy = p1y + d1y * sc - (p2y + d2y * tc);
    double dz = p1z + d1z * sc - (p2z + d2z * tc);
    return dx * dx + dy * dy + dz * dz;
  }

  private static double clamp01(double v) {
    return v < 0 ? 0 : (v > 1 ? 1 : v);
  }

  @Override
  public String lastPair() {
    return lastA < 0 ? "" : bodyName[lastA] + "/" + bodyName[lastB];
  }

  @Override
  public int[] lastPairJoints() {
    return lastPair < 0 ? new int[0] : pairJoints[lastPair];
  }

  @Override
  public double margin() {
    return margin;
  }

  /** Number of checked pairs. */
  public int pairs() {
    return pairA.length;
  }
}

package io.optimus.bridge.physics;

import io.optimus.common.InputException;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.model.Geometry;
import io.optimus.motion.model.Inertial;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.Link;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Shape;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * A robot model as the rigid bodies an articulated-body solver needs, engine-neutral: links joined by
 * fixed joints are merged into their moving ancestor (masses, inertias by the parallel-axis theorem,
 * collision shapes), each body's inertia is diagonalised (its principal frame is where the engine puts
 * the body), and links whose collision geometry is only meshes (files we do not read) or absent get a
 * capsule fitted to their child joints and mass. Validates on the way: a negative or zero mass on a
 * moving body, an inertia that is not positive definite or violates the triangle inequality, and a
 * zero or non-finite joint axis each throw an {@link InputException} naming the link or joint.
 */
public final class RigidBodyTree {
  /** Density used to size fitted capsules (kg/m^3, about water, like a limb). */
  private static final double FIT_DENSITY = 1000;

  /** One collision primitive in its body's link frame. */
  public record BodyShape(Geometry geometry, Pose3 pose, boolean fitted) {}

  /**
   * One moving body. {@code joint} is the model joint that moves it (null for the root);
   * {@code parent} the parent body index (-1 for the root); {@code inertialFrame} the principal
   * inertial frame in the body's link frame, {@code principal} the moments about its axes.
   */
  public record Body(int link, String name, Joint joint, int parent, double mass, Pose3 inertialFrame,
      Vec3 principal, List<BodyShape> shapes) {}

  private final RobotModel model;
  private final List<Body> bodies = new ArrayList<>();
  /** For each model link: its body, and its pose in that body's link frame. */
  private final int[] bodyOfLink;
  private final Pose3[] poseInBody;

  public RigidBodyTree(RobotModel model) {
    this.model = model;
    List<Link> links = model.links();
    int n = links.size();
    bodyOfLink = new int[n];
    poseInBody = new Pose3[n];
    for (int l = 0; l < n; l++) {
      Link link = links.get(l);
      checkInertial(link);
      Joint joint = l == 0 ? null : model.joints().get(l - 1);
      if (joint != null && joint.type().moves()) {
        Vec3 a = joint.axis();
        if (a == null || !a.isFinite() || a.norm() < 1e-9) {
          throw new InputException("joint '" + joint.name() + "': axis " + a + " has zero length");
        }
      }
      if (joint == null || joint.type().moves()) {
        bodyOfLink[l] = bodies.size();
        poseInBody[l] = Pose3.IDENTITY;
        int parentBody = joint == null ? -1 : bodyOfLink[model.linkIndex(joint.parent())];
        bodies.add(new Body(l, link.name(), joint, parentBody, 0, Pose3.IDENTITY, Vec3.ZERO, List.of()));
      } else {
        int parentLink = model.linkIndex(joint.parent());
        bodyOfLink[l] = bodyOfLink[parentLink];
        poseInBody[l] = poseInBody[parentLink].times(joint.origin());
      }
    }
    for (int b = 0; b < bodies.size(); b++) {
      bodies.set(b, assemble(bodies.get(b), b));
    }
  }

  private static void checkInertial(Link link) {
    Inertial in = link.inertial();
    if (!Double.isFinite(in.mass()) || in.mass() < 0) {
      throw new InputException("link '" + link.name() + "': mass " + in.mass() + " kg is negative or not finite");
    }
    if (in.mass() == 0) {
      return;
    }
    double[] m = principalMoments(tensor(in));
    if (!(m[0] > 0 && m[1] > 0 && m[2] > 0)) {
      throw new InputException("link '" + link.name() + "': inertia is singular or not positive definite (principal moments "
          + fmt(m) + " kg m^2)");
    }
    double tol = 1e-6 * (m[0] + m[1] + m[2]);
    if (m[0] + m[1] < m[2] - tol || m[1] + m[2] < m[0] - tol || m[0] + m[2] < m[1] - tol) {
      throw new InputException("link '" + link.name() + "': inertia violates the triangle inequality (principal moments "
          + fmt(m) + " kg m^2)");
    }
  }

  private Body assemble(Body body, int b) {
    double mass = 0;
    Vec3 com = Vec3.ZERO;
    List<BodyShape> shapes = new ArrayList<>();
    List<Integer> members = new ArrayList<>();
    for (int l = 0; l < bodyOfLink.length; l++) {
      if (bodyOfLink[l] != b) {
        continue;
      }
      members.add(l);
      Inertial in = model.links().get(l).inertial();
      if (in.mass() > 0) {
        Vec3 c = poseInBody[l].transform(in.origin().translation());
        com = com.times(mass).plus(c.times(in.mass())).times(1 / (mass + in.mass()));
        mass += in.mass();
      }
      for (Shape s : model.links().get(l).collisions()) {
        if (!(s.geometry() instanceof Geometry.Mesh)) {
          shapes.add(new BodyShape(s.geometry(), poseInBody[l].times(s.origin()), false));
        }
      }
    }
    String what = body.joint() == null ? "root link '" + body.name() + "'"
        : "link '" + body.name() + "' (moved by joint '" + body.joint().name() + "')";
    if (!(mass > 0) && body.joint() == null) {
      // A root without mass is fine on a fixed stand; engines still want something positive.
      return new Body(body.link(), body.name(), null, -1, 1.0, Pose3.IDENTITY, new Vec3(0.01, 0.01, 0.01),
          List.copyOf(shapes));
    }
    if (!(mass > 0)) {
      throw new InputException(what + ": zero mass; a moving body needs a positive mass and inertia");
    }
    double[][] total = new double[3][3];
    for (int l : members) {
      Inertial in = model.links().get(l).inertial();
      if (in.mass() <= 0) {
        continue;
      }
      Pose3 frame = poseInBody[l].times(in.origin());
      double[] r = new double[9];
      frame.rotation().toMatrix(r, 0);
      double[][] local = tensor(in);
      // R I R^T, then the parallel-axis shift from the link's centre of mass to the body's.
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          double s = 0;
          for (int k = 0; k < 3; k++) {
            for (int m = 0; m < 3; m++) {
              s += r[3 * i + k] * local[k][m] * r[3 * j + m];
            }
          }
          total[i][j] += s;
        }
      }
      Vec3 d = frame.translation().minus(com);
      double[] dv = {d.x(), d.y(), d.z()};
      double dd = d.dot(d);
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          total[i][j] += in.mass() * ((i == j ? dd : 0) - dv[i] * dv[j]);
        }
      }
    }
    EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(total));
    RealMatrix v = eig.getV();
    double[] rot = new double[9];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        rot[3 * i + j] = v.getEntry(i, j);
      }
    }
    if (det(rot) < 0) { // keep the principal frame right-handed
      for (int i = 0; i < 3; i++) {
        rot[3 * i + 2] = -rot[3 * i + 2];
      }
    }
    double[] ev = eig.getRealEigenvalues();
    Vec3 principal = new Vec3(Math.max(ev[0], 1e-9), Math.max(ev[1], 1e-9), Math.max(ev[2], 1e-9));
    if (shapes.isEmpty() && hasMeshesOrNothing(members)) {
      BodyShape fitted = fitCapsule(b, mass, com);
      if (fitted != null) {
        shapes.add(fitted);
      }
    }
    return new Body(body.link(), body.name(), body.joint(), body.parent(), mass,
        new Pose3(com, Quat.fromMatrix(rot, 0)), principal, List.copyOf(shapes));
  }

  private boolean hasMeshesOrNothing(List<Integer> members) {
    for (int l : members) {
      for (Shape s : model.links().get(l).collisions()) {
        if (s.geometry() instanceof Geometry.Mesh) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A capsule from the body's origin to its farthest child joint (or through its centre of mass for a
   * leaf), radius from the mass at {@link #FIT_DENSITY}, 1-8 cm.
   */
  private BodyShape fitCapsule(int b, double mass, Vec3 com) {
    Vec3 end = null;
    for (Joint j : model.joints()) {
      int parent = model.linkIndex(j.parent());
      if (bodyOfLink[parent] == b && j.type().moves()) {
        Vec3 p = poseInBody[parent].transform(j.origin().translation());
        if (end == null || p.norm() > end.norm()) {
          end = p;
        }
      }
    }
    if (end == null) {
      end = com.times(2);
    }
    double length = end.norm();
    if (length < 0.02) {
      double radius = clamp(Math.cbrt(3 * mass / (4 * Math.PI * FIT_DENSITY)), 0.01, 0.08);
      return new BodyShape(new Geometry.Sphere(radius), new Pose3(com, Quat.IDENTITY), true);
    }
    double radius = clamp(Math.sqrt(mass / (FIT_DENSITY * Math.PI * length)), 0.01, 0.08);
    double capLength = Math.max(0, length - 2 * radius);
    Vec3 dir = end.times(1 / length);
    Quat q = rotationFromZ(dir);
    return new BodyShape(new Geometry.Capsule(radius, capLength), new Pose3(end.times(0.5), q), true);
  }

  static Quat rotationFromZ(Vec3 dir) {
    Vec3 z = Vec3.UNIT_Z;
    double c = z.dot(dir);
    Vec3 axis = z.cross(dir);
    if (axis.norm() < 1e-9) {
      return c > 0 ? Quat.IDENTITY : Quat.fromAxisAngle(Vec3.UNIT_X, Math.PI);
    }
    return Quat.fromAxisAngle(axis.normalized(), Math.acos(Math.max(-1, Math.min(1, c))));
  }

  private static double clamp(double v, double lo, double hi) {
    return v < lo ? lo : (v > hi ? hi : v);
  }

  private static double det(double[] m) {
    return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
  }

  private static double[][] tensor(Inertial in) {
    return new double[][] {
        {in.ixx(), in.ixy(), in.ixz()},
        {in.ixy(), in.iyy(), in.iyz()},
        {in.ixz(), in.iyz(), in.izz()}};
  }

  private static double[] principalMoments(double[][] t) {
    for (double[] row : t) {
      for (double x : row) {
        if (!Double.isFinite(x)) {
          return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
      }
    }
    double[] ev = new EigenDecomposition(new Array2DRowRealMatrix(t)).getRealEigenvalues();
    java.util.Arrays.sort(ev);
    return ev;
  }

  private static String fmt(double[] m) {
    return String.format(java.util.Locale.ROOT, "%.3g, %.3g, %.3g", m[0], m[1], m[2]);
  }

  public RobotModel model() {
    return model;
  }

  public List<Body> bodies() {
    return bodies;
  }

  /** The body model link {@code link} belongs to. */
  public int bodyOfLink(int link) {
    return bodyOfLink[link];
  }

  /** Pose of model link {@code link} in its body's link frame. */
  public Pose3 poseInBody(int link) {
    return poseInBody[link];
  }
}

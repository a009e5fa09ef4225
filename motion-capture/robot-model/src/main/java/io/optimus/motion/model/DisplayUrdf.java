package io.optimus.motion.model;

import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import java.math.BigDecimal;

/**
 * A robot model as a URDF of standard elements only, for viewers: three.js's urdf-loader, Foxglove's
 * URDF layer. The model's {@code <capsule>} (an extension they skip) becomes a cylinder of its length
 * plus a sphere at each cap centre, as visual and as collision; everything else (links, inertials,
 * joints with limits and mimics, boxes, spheres, cylinders, mesh references) is written as the model
 * holds it. A floating root hangs from a {@code world} link by a floating joint, like the recordings'
 * transform tree, so the link frames match theirs by name. Numbers are written exactly (shortest
 * round-trip decimal, never exponent notation).
 */
public final class DisplayUrdf {
  /** The world link a floating root hangs from (the recordings' fixed frame). */
  public static final String WORLD = "world";
  private static final String GREY = "optimus_grey";

  private DisplayUrdf() {}

  /** The standard-URDF rendition of {@code model}. */
  public static String of(RobotModel model) {
    StringBuilder s = new StringBuilder(64 * 1024);
    s.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    s.append("<!-- ").append(escape(model.name()).replace("--", "- -"))
        .append(": display rendition of the robot model (standard URDF: capsules as a cylinder plus two spheres) -->\n");
    s.append("<robot name=\"").append(escape(model.name())).append("\">\n");
    s.append("  <material name=\"").append(GREY).append("\"><color rgba=\"0.7 0.72 0.75 1\"/></material>\n");
    if (model.hasFloatingRoot()) {
      s.append("  <link name=\"").append(WORLD).append("\"/>\n");
      s.append("  <joint name=\"").append(WORLD).append("_to_").append(escape(model.root().name()))
          .append("\" type=\"floating\"><parent link=\"").append(WORLD).append("\"/><child link=\"")
          .append(escape(model.root().name())).append("\"/></joint>\n");
    }
    for (Link l : model.links()) {
      link(s, l);
    }
    for (Joint j : model.joints()) {
      joint(s, j);
    }
    return s.append("</robot>\n").toString();
  }

  private static void link(StringBuilder s, Link l) {
    s.append("  <link name=\"").append(escape(l.name())).append("\">\n");
    Inertial i = l.inertial();
    if (i.mass() > 0) {
      s.append("    <inertial>");
      origin(s, i.origin());
      s.append("<mass value=\"").append(num(i.mass())).append("\"/><inertia ixx=\"").append(num(i.ixx()))
          .append("\" ixy=\"").append(num(i.ixy())).append("\" ixz=\"").append(num(i.ixz())).append("\" iyy=\"")
          .append(num(i.iyy())).append("\" iyz=\"").append(num(i.iyz())).append("\" izz=\"").append(num(i.izz()))
          .append("\"/></inertial>\n");
    }
    for (Shape v : l.visuals()) {
      shape(s, "visual", v);
    }
    for (Shape c : l.collisions()) {
      shape(s, "collision", c);
    }
    s.append("  </link>\n");
  }

  /** One shape; a capsule as three: its cylinder and the spheres at its cap centres (origin z -/+ length/2). */
  private static void shape(StringBuilder s, String kind, Shape sh) {
    if (sh.geometry() instanceof Geometry.Capsule c) {
      element(s, kind, sh.name(), sh.origin(), new Geometry.Cylinder(c.radius(), c.length()));
      for (int end = -1; end <= 1; end += 2) {
        Pose3 cap = sh.origin().times(Pose3.of(0, 0, end * c.length() / 2));
        element(s, kind, sh.name().isEmpty() ? "" : sh.name() + (end < 0 ? "_cap_lower" : "_cap_upper"),
            new Pose3(cap.translation(), sh.origin().rotation()), new Geometry.Sphere(c.radius()));
      }
    } else {
      element(s, kind, sh.name(), sh.origin(), sh.geometry());
    }
  }

  private static void element(StringBuilder s, String kind, String name, Pose3 origin, Geometry g) {
    s.append("    <").append(kind);
    if (!name.isEmpty()) {
      s.append(" name=\"").append(escape(name)).append('"');
    }
    s.append('>');
    origin(s, origin);
    s.append("<geometry>");
    switch (g) {
      case Geometry.Box b -> s.append("<box size=\"").append(vec(b.size())).append("\"/>");
      case Geometry.Sphere sp -> s.append("<sphere radius=\"").append(num(sp.radius())).append("\"/>");
      case Geometry.Cylinder c -> s.append("<cylinder radius=\"").append(num(c.radius())).append("\" length=\"")
          .append(num(c.length())).append("\"/>");
      case Geometry.Capsule c -> throw new IllegalStateException("capsules are split before this");
      case Geometry.Mesh m -> s.append("<mesh filename=\"").append(escape(m.filename())).append("\" scale=\"")
          .append(vec(m.scale())).append("\"/>");
    }
    s.append("</geometry>");
    if (kind.equals("visual")) {
      s.append("<material name=\"").append(GREY).append("\"/>");
    }
    s.append("</").append(kind).append(">\n");
  }

  private static void joint(StringBuilder s, Joint j) {
    s.append("  <joint name=\"").append(escape(j.name())).append("\" type=\"").append(j.type().urdfName())
        .append("\">");
    origin(s, j.origin());
    s.append("<parent link=\"").append(escape(j.parent())).append("\"/><child link=\"").append(escape(j.child()))
        .append("\"/>");
    if (j.type() != JointType.FIXED) {
      s.append("<axis xyz=\"").append(vec(j.axis())).append("\"/>");
      JointLimits l = j.limits();
      if (j.type() != JointType.CONTINUOUS || l.velocity() > 0 || l.effort() > 0) {
        s.append("<limit");
        if (l.hasPositionLimits() && j.type() != JointType.CONTINUOUS) {
          s.append(" lower=\"").append(num(l.lower())).append("\" upper=\"").append(num(l.upper())).append('"');
        }
        s.append(" velocity=\"").append(num(finite(l.velocity()))).append("\" effort=\"")
            .append(num(finite(l.effort()))).append("\"/>");
      }
    }
    if (j.isMimic()) {
      s.append("<mimic joint=\"").append(escape(j.mimic().joint())).append("\" multiplier=\"")
          .append(num(j.mimic().multiplier())).append("\" offset=\"").append(num(j.mimic().offset())).append("\"/>");
    }
    s.append("</joint>\n");
  }

  private static double finite(double v) {
    return Double.isFinite(v) ? v : 0;
  }

  private static void origin(StringBuilder s, Pose3 p) {
    double[] rpy = rpy(p.rotation());
    s.append("<origin xyz=\"").append(vec(p.translation())).append("\" rpy=\"").append(num(rpy[0])).append(' ')
        .append(num(rpy[1])).append(' ').append(num(rpy[2])).append("\"/>");
  }

  /**
   * URDF roll, pitch, yaw of {@code q} (R = Rz(yaw) Ry(pitch) Rx(roll)), the inverse of {@link Quat#fromRpy};
   * from the rotation matrix, which stays well conditioned near pitch +-90 degrees (yaw 0 there).
   */
  static double[] rpy(Quat q) {
    Quat n = q.normalized();
    double w = n.w();
    double x = n.x();
    double y = n.y();
    double z = n.z();
    double r00 = 1 - 2 * (y * y + z * z);
    double r10 = 2 * (x * y + w * z);
    double r20 = 2 * (x * z - w * y);
    double r21 = 2 * (y * z + w * x);
    double r22 = 1 - 2 * (x * x + y * y);
    double c = Math.hypot(r00, r10);
    double pitch = Math.atan2(-r20, c);
    if (c < 1e-9) { // gimbal lock: only roll - yaw (or roll + yaw) is defined; put it all in roll
      double r11 = 1 - 2 * (x * x + z * z);
      double r12 = 2 * (y * z - w * x);
      return new double[] {clean(Math.atan2(-r12, r11)), clean(pitch), 0};
    }
    return new double[] {clean(Math.atan2(r21, r22)), clean(pitch), clean(Math.atan2(r10, r00))};
  }

  /** Rounding noise below 1e-15 rad is written as 0. */
  private static double clean(double a) {
    return Math.abs(a) < 1e-15 ? 0 : a;
  }

  private static String vec(Vec3 v) {
    return num(v.x()) + " " + num(v.y()) + " " + num(v.z());
  }

  static String num(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("a URDF number must be finite, not " + v);
    }
    if (v == 0) {
      return "0";
    }
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}

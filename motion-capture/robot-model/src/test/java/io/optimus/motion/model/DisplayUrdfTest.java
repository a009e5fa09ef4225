package io.optimus.motion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The standard-URDF rendition reloads as the same robot, capsules as a cylinder and two spheres. */
class DisplayUrdfTest {
  /** The elements of the URDF specification (wiki.ros.org/urdf/XML) that this rendition may use. */
  private static final Set<String> STANDARD = Set.of("robot", "link", "joint", "inertial", "origin", "mass",
      "inertia", "visual", "collision", "geometry", "box", "cylinder", "sphere", "mesh", "material", "color",
      "parent", "child", "axis", "limit", "mimic");

  @Test
  void optimusReloadsWithTheSameTreeAndEquivalentShapes() throws Exception {
    RobotModel m = Robots.load("optimus");
    String display = m.displayUrdf();
    assertEquals(display, m.toDescription("r1").getDisplayUrdf(), "shipped in the robot description");
    var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(display.getBytes(StandardCharsets.UTF_8)));
    NodeList all = doc.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      String tag = ((Element) all.item(i)).getTagName();
      assertTrue(STANDARD.contains(tag), "non-standard element <" + tag + ">");
    }
    assertTrue(m.urdf().contains("<capsule"), "the source has capsules to replace");

    RobotModel d = UrdfLoader.parse(display, "display URDF");
    assertTrue(d.hasFloatingRoot());
    assertEquals(m.links().stream().map(Link::name).toList(), d.links().stream().map(Link::name).toList());
    assertEquals(m.joints().size(), d.joints().size());
    for (int j = 0; j < m.joints().size(); j++) {
      Joint a = m.joints().get(j);
      Joint b = d.joints().get(j);
      assertEquals(List.of(a.name(), a.type(), a.parent(), a.child(), a.qIndex()),
          List.of(b.name(), b.type(), b.parent(), b.child(), b.qIndex()));
      assertPose(a.origin(), b.origin(), a.name());
      assertEquals(0, a.axis().distance(b.axis()), 1e-12, a.name());
      assertEquals(a.limits(), b.limits(), a.name());
      assertEquals(a.mimic(), b.mimic(), a.name());
    }
    for (int l = 0; l < m.links().size(); l++) {
      Link a = m.links().get(l);
      Link b = d.links().get(l);
      assertEquals(a.inertial().mass(), b.inertial().mass(), 0, a.name());
      assertEquals(expand(a.visuals()).size(), b.visuals().size(), a.name() + " visuals");
      assertShapes(expand(a.visuals()), b.visuals(), a.name());
      assertShapes(expand(a.collisions()), b.collisions(), a.name());
      assertTrue(b.collisions().stream().noneMatch(s -> s.geometry() instanceof Geometry.Capsule));
    }
    assertEquals(m.modelHash().length(), d.modelHash().length());
  }

  /** What a capsule should become: its cylinder, then the spheres at z -/+ length/2 of its frame. */
  private static List<Shape> expand(List<Shape> shapes) {
    List<Shape> out = new ArrayList<>();
    for (Shape s : shapes) {
      if (s.geometry() instanceof Geometry.Capsule c) {
        out.add(new Shape(s.name(), s.origin(), new Geometry.Cylinder(c.radius(), c.length())));
        for (int end = -1; end <= 1; end += 2) {
          Vec3 centre = s.origin().transform(new Vec3(0, 0, end * c.length() / 2));
          out.add(new Shape(s.name(), new Pose3(centre, s.origin().rotation()), new Geometry.Sphere(c.radius())));
        }
      } else {
        out.add(s);
      }
    }
    return out;
  }

  private static void assertShapes(List<Shape> expected, List<Shape> actual, String link) {
    assertEquals(expected.size(), actual.size(), link);
    for (int i = 0; i < expected.size(); i++) {
      Shape e = expected.get(i);
      Shape a = actual.get(i);
      assertEquals(e.geometry(), a.geometry(), link + " shape " + i);
      assertEquals(0, e.origin().translation().distance(a.origin().translation()), 1e-12, link + " shape " + i);
      if (!(e.geometry() instanceof Geometry.Sphere)) {
        assertPose(e.origin(), a.origin(), link + " shape " + i);
      }
    }
  }

  private static void assertPose(Pose3 e, Pose3 a, String what) {
    assertEquals(0, e.translation().distance(a.translation()), 1e-12, what);
    assertEquals(0, e.rotation().normalized().angleTo(a.rotation().normalized()), 1e-9, what);
  }

  @Test
  void rpyIsTheInverseOfFromRpy() {
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 10_000; i++) {
      Quat q = new Quat(r.nextDouble(-1, 1), r.nextDouble(-1, 1), r.nextDouble(-1, 1), r.nextDouble(-1, 1)).normalized();
      double[] rpy = DisplayUrdf.rpy(q);
      assertEquals(0, q.angleTo(Quat.fromRpy(rpy[0], rpy[1], rpy[2])), 1e-6, q.toString());
    }
    assertEquals("0.1", DisplayUrdf.num(0.1));
    assertEquals("0.00001", DisplayUrdf.num(1e-5), "never exponent notation");
    assertEquals("-2", DisplayUrdf.num(-2.0));
  }
}

package io.optimus.motion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import io.optimus.motion.geometry.proto.Pose3Proto;
import io.optimus.motion.testing.SharedRobots;
import io.optimus.proto.v1.CameraInfo;
import io.optimus.proto.v1.RobotDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrdfLoaderTest {
  private static final String LINK_A = "<link name=\"a\"/>";
  private static final String LINK_B = "<link name=\"b\"/>";

  private static String robot(String body) {
    return "<?xml version=\"1.0\"?><robot name=\"t\">" + body + "</robot>";
  }

  private static String revolute(String name, String parent, String child) {
    return "<joint name=\"" + name + "\" type=\"revolute\"><parent link=\"" + parent + "\"/><child link=\"" + child
        + "\"/><axis xyz=\"0 0 1\"/><limit lower=\"-1\" upper=\"1\" effort=\"1\" velocity=\"2\"/></joint>";
  }

  @Test
  void realH1LoadsWithMeshesAbsent() throws Exception {
    RobotModel h1 = UrdfLoader.load(SharedRobots.h1());
    assertEquals(25, h1.links().size());
    assertEquals(19, h1.dof());
    assertEquals("pelvis", h1.root().name());
    assertFalse(h1.hasFloatingRoot());
    long meshes = h1.links().stream().flatMap(l -> l.visuals().stream())
        .filter(s -> s.geometry() instanceof Geometry.Mesh).count();
    assertTrue(meshes > 10, "mesh references kept: " + meshes);
    Joint knee = h1.joint("left_knee_joint").orElseThrow();
    assertEquals(JointType.REVOLUTE, knee.type());
    assertEquals("left_leg", knee.group());
    assertTrue(knee.limits().hasPositionLimits() && knee.limits().upper() > knee.limits().lower());
    assertTrue(h1.totalMass() > 40 && h1.totalMass() < 60, "H1 mass " + h1.totalMass());
  }

  @Test
  void realG1Loads() {
    RobotModel g1 = UrdfLoader.load(SharedRobots.g1());
    assertEquals(39, g1.links().size());
    assertEquals(29, g1.dof());
    assertEquals(29, g1.independentDof());
    // joints of the description are the non-fixed ones in model (depth-first) order
    RobotDescription d = g1.toDescription("g1-1");
    assertEquals(29, d.getJointsCount());
    assertTrue(g1.headCamera("head", 96, 96, 1.0, 30).isEmpty(), "the G1 URDF has no head_camera frame");
    for (int i = 0; i < 29; i++) {
      assertEquals(g1.dofJoints().get(i).name(), d.getJoints(i).getName());
      assertEquals(i, g1.qIndex(d.getJoints(i).getName()));
    }
  }

  @Test
  void optimusIsAnOptimusClassHumanoid() {
    RobotModel m = Robots.load("optimus");
    assertTrue(m.hasFloatingRoot());
    assertEquals("pelvis", m.root().name());
    long body = m.dofJoints().stream().filter(j -> !j.group().endsWith("hand")).count();
    assertEquals(29, body, "legs 2x6 + waist + neck 2 + arms 2x7");
    for (String side : List.of("left", "right")) {
      List<Joint> hand = m.dofJoints().stream().filter(j -> j.group().equals(side + "_hand")).toList();
      assertEquals(11, hand.stream().filter(j -> !j.isMimic()).count(), side + " hand independent DOF");
      assertEquals(5, hand.stream().filter(Joint::isMimic).count(), side + " coupled distal joints");
      assertEquals(6, m.dofJoints().stream().filter(j -> j.group().equals(side + "_leg")).count());
      assertEquals(7, m.dofJoints().stream().filter(j -> j.group().equals(side + "_arm")).count());
      for (String f : List.of("thumb", "index", "middle", "ring", "little")) {
        assertTrue(m.link(side + "_" + f + "_tip").isPresent(), side + "_" + f + "_tip");
      }
      assertTrue(m.link(side + "_palm").isPresent());
    }
    assertTrue(m.link("head_camera").isPresent());
    assertEquals(57, m.totalMass(), 1.0);
    for (Joint j : m.dofJoints()) {
      assertTrue(j.limits().hasPositionLimits(), j.name());
      assertTrue(j.limits().velocity() > 0 && j.limits().velocity() < 20, j.name());
    }
    long capsules = m.links().stream().flatMap(l -> l.collisions().stream())
        .filter(s -> s.geometry() instanceof Geometry.Capsule).count();
    assertTrue(capsules >= 40, "collision capsules: " + capsules);
    RobotDescription d = m.toDescription("optimus-1");
    assertEquals(m.dof(), d.getJointsCount());
    assertEquals("left_index_pip_joint", d.getJoints(m.qIndex("left_index_dip_joint")).getMimicOf());
    // rate and cameras are the runtime's: the model alone does not invent them
    assertEquals(0, d.getCamerasCount());
    assertEquals(0, d.getControlRateHz());
    CameraInfo head = m.headCamera("head", 96, 64, Math.toRadians(60), 30).orElseThrow();
    RobotDescription driven = m.toDescription("optimus-1", 250, List.of(head));
    assertEquals(250, driven.getControlRateHz());
    assertEquals(d.getJointsList(), driven.getJointsList());
    assertEquals(1, driven.getCamerasCount());
    CameraInfo c = driven.getCameras(0);
    assertEquals("head", c.getParentLink());
    assertEquals(96, c.getWidth());
    assertEquals(64, c.getHeight());
    assertEquals(30, c.getRateHz());
    assertEquals(32 / Math.tan(Math.toRadians(30)), c.getIntrinsics().getFy(), 1e-9);
    assertEquals(48, c.getIntrinsics().getCx(), 1e-12);
    assertEquals(Pose3Proto.toProto(m.joint("head_camera_joint").orElseThrow().origin()), c.getPoseInParent());
    assertEquals(m.modelHash(), d.getModelHash());
    assertEquals(64, m.modelHash().length());
  }

  @Test
  void hashIgnoresFormattingButNotGeometry() {
    String a = robot(LINK_A + LINK_B + revolute("j", "a", "b"));
    String formatted = a.replace("><", ">\n  <").replace("<robot name=\"t\">", "<robot name=\"t\"><!-- comment -->");
    String moved = a.replace("<axis xyz=\"0 0 1\"/>", "<axis xyz=\"0 1 0\"/>");
    String h = UrdfLoader.parse(a, "a").modelHash();
    assertEquals(h, UrdfLoader.parse(formatted, "b").modelHash());
    assertNotEquals(h, UrdfLoader.parse(moved, "c").modelHash());
  }

  @Test
  void mimicJointsResolveToTheirIndependentSource() {
    String urdf = robot("<link name=\"a\"/><link name=\"b\"/><link name=\"c\"/><link name=\"d\"/>"
        + revolute("j1", "a", "b") + revolute("j2", "b", "c").replace("</joint>",
            "<mimic joint=\"j1\" multiplier=\"2\" offset=\"0.1\"/></joint>")
        + revolute("j3", "c", "d").replace("</joint>", "<mimic joint=\"j2\" multiplier=\"0.5\"/></joint>"));
    RobotModel m = UrdfLoader.parse(urdf, "mimic.urdf");
    Mimic m3 = m.joint("j3").orElseThrow().mimic();
    assertEquals("j1", m3.joint());
    assertEquals(1.0, m3.multiplier(), 1e-12);
    assertEquals(0.05, m3.offset(), 1e-12);
    assertNull(m.joint("j1").orElseThrow().mimic());
    double[] q = {0.3, 0, 0};
    m.normalize(q);
    assertEquals(0.7, q[1], 1e-12);
    assertEquals(0.35, q[2], 1e-12);
  }

  @Test
  void floatingJointMakesItsChildTheRoot() {
    RobotModel m = UrdfLoader.parse(robot("<link name=\"world\"/>" + LINK_A + LINK_B
        + "<joint name=\"float\" type=\"floating\"><parent link=\"world\"/><child link=\"a\"/></joint>"
        + revolute("j", "a", "b")), "f.urdf");
    assertTrue(m.hasFloatingRoot());
    assertEquals("a", m.root().name());
    assertEquals(2, m.links().size());
    assertEquals(1, m.dof());
  }

  @Test
  void continuousJointsAndPrimitivesAreRead() {
    RobotModel m = UrdfLoader.parse(robot("<link name=\"a\"><collision><origin xyz=\"0 0 0.1\"/><geometry>"
        + "<capsule radius=\"0.05\" length=\"0.3\"/></geometry></collision><collision><geometry><box size=\"1 2 3\"/>"
        + "</geometry></collision><visual><geometry><mesh filename=\"package://nowhere/x.stl\" scale=\"0.001 0.001 0.001\"/>"
        + "</geometry></visual><inertial><mass value=\"2.5\"/><inertia ixx=\"1\" iyy=\"1\" izz=\"1\"/></inertial></link>"
        + LINK_B + "<joint name=\"wheel\" type=\"continuous\"><parent link=\"a\"/><child link=\"b\"/>"
        + "<axis xyz=\"0 2 0\"/></joint>"), "p.urdf");
    Joint wheel = m.joint("wheel").orElseThrow();
    assertFalse(wheel.limits().hasPositionLimits());
    assertEquals(1.0, wheel.axis().y(), 1e-12, "axis normalised");
    assertEquals(new Geometry.Capsule(0.05, 0.3), m.root().collisions().get(0).geometry());
    assertEquals(0.1, m.root().collisions().get(0).origin().translation().z(), 1e-12);
    assertTrue(m.root().visuals().get(0).geometry() instanceof Geometry.Mesh mesh && mesh.filename().endsWith("x.stl"));
    assertEquals(2.5, m.totalMass(), 1e-12);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "unknown joint type | <link name='a'/><link name='b'/><joint name='j' type='hinge'><parent link='a'/><child link='b'/></joint> | <joint name=\"j\">; unknown joint type 'hinge'",
      "missing link | <link name='a'/><joint name='j' type='fixed'><parent link='a'/><child link='ghost'/></joint> | <child link=\"ghost\">; missing link",
      "cycle | <link name='a'/><link name='b'/><link name='c'/><joint name='j1' type='fixed'><parent link='a'/><child link='b'/></joint><joint name='j2' type='fixed'><parent link='b'/><child link='c'/></joint><joint name='j3' type='fixed'><parent link='c'/><child link='b'/></joint> | link \"b\" already has parent joint",
      "pure cycle | <link name='a'/><link name='b'/><joint name='j1' type='fixed'><parent link='a'/><child link='b'/></joint><joint name='j2' type='fixed'><parent link='b'/><child link='a'/></joint> | cycle",
      "non-numeric | <link name='a'/><link name='b'/><joint name='j' type='fixed'><origin xyz='0 zero 0'/><parent link='a'/><child link='b'/></joint> | <joint name=\"j\"> <origin>; 'zero' is not a finite number",
      "non-numeric limit | <link name='a'/><link name='b'/><joint name='j' type='revolute'><parent link='a'/><child link='b'/><limit lower='-1' upper='x1' effort='1' velocity='1'/></joint> | <limit>; upper",
      "two roots | <link name='a'/><link name='b'/> | two roots",
      "missing limit | <link name='a'/><link name='b'/><joint name='j' type='revolute'><parent link='a'/><child link='b'/></joint> | <joint name=\"j\">; missing <limit>",
      "duplicate link | <link name='a'/><link name='a'/> | <link name=\"a\">; duplicate",
      "mimic of unknown | <link name='a'/><link name='b'/><joint name='j' type='continuous'><parent link='a'/><child link='b'/><mimic joint='nope'/></joint> | <mimic joint=\"nope\">; no such joint",
      "bad geometry | <link name='a'><collision><geometry><cone radius='1'/></geometry></collision></link> | <link name=\"a\"> <collision> <cone>; unknown geometry",
      "negative radius | <link name='a'><collision><geometry><sphere radius='-1'/></geometry></collision></link> | <sphere>; must be positive",
      "no name | <link/> | <link>; missing attribute name",
  })
  void malformedUrdfNamesTheElement(String caseName, String body, String expected) {
    UrdfException e = assertThrows(UrdfException.class, () -> UrdfLoader.parse(robot(body), "bad.urdf"), caseName);
    assertTrue(e.getMessage().startsWith("bad.urdf: "), e.getMessage());
    for (String part : expected.split(";")) {
      assertTrue(e.getMessage().contains(part.trim()), caseName + ": '" + e.getMessage() + "' should contain '" + part.trim() + "'");
    }
    assertTrue(e instanceof InputException);
  }

  @Test
  void notXmlAndMissingFilesAreInputErrors(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("broken.urdf");
    Files.writeString(f, "<robot name='x'><link name='a'>");
    UrdfException e = assertThrows(UrdfException.class, () -> UrdfLoader.load(f));
    assertTrue(e.getMessage().contains("broken.urdf") && e.getMessage().contains("XML"), e.getMessage());
    assertThrows(UrdfException.class, () -> UrdfLoader.load(dir.resolve("none.urdf")));
    assertThrows(InputException.class, () -> Robots.load("no-such-robot"));
    UrdfException notRobot = assertThrows(UrdfException.class, () -> UrdfLoader.parse("<sdf/>", "x.sdf"));
    assertTrue(notRobot.getMessage().contains("<robot>"));
  }
}

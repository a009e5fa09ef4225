package io.optimus.bridge.foxglove;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.motion.model.Geometry;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.Link;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import io.optimus.motion.model.Shape;
import io.optimus.motion.record.mcap.NodeMcapReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The display URDF as the dashboard loads it: three.js's urdf-loader (in node) builds every link, joint and shape. */
class DisplayUrdfLoaderTest {
  @Test
  void urdfLoaderBuildsTheWholeRobotWithCapsulesAsCylindersAndSpheres(@TempDir Path dir) throws Exception {
    NodeMcapReader.urdfLoaderUnavailable().ifPresent(why -> Assumptions.abort(why));
    RobotModel m = Robots.load("optimus");
    Path file = Files.writeString(dir.resolve("optimus-display.urdf"), m.displayUrdf());
    JsonNode out = NodeMcapReader.checkUrdf(file, "right_elbow_joint");

    assertEquals(m.name(), out.get("name").asText());
    assertEquals(m.links().size() + 1, out.get("links").asInt(), "every link and the world: " + out);
    long fixed = m.joints().stream().filter(j -> !j.type().moves()).count();
    assertEquals(fixed, out.at("/jointTypes/fixed").asLong(), out.toString());
    assertEquals(m.joints().size() - fixed, out.at("/jointTypes/revolute").asLong(), out.toString());
    assertEquals(1, out.at("/jointTypes/floating").asInt(), "the floating base");
    long capsules = count(m, Geometry.Capsule.class);
    assertEquals(count(m, Geometry.Cylinder.class) + capsules, out.at("/meshes/cylinder").asLong(), out.toString());
    assertEquals(count(m, Geometry.Sphere.class) + 2 * capsules, out.at("/meshes/sphere").asLong(), out.toString());
    assertEquals(count(m, Geometry.Box.class), out.at("/meshes/box").asLong(), out.toString());
    assertTrue(capsules > 40, capsules + " capsules");
    assertTrue(out.at("/moved/right_elbow_joint").asBoolean(), "the elbow moves its link: " + out);
    assertTrue(m.joints().stream().map(Joint::name).anyMatch("right_elbow_joint"::equals));
  }

  private static long count(RobotModel m, Class<? extends Geometry> kind) {
    return m.links().stream().flatMap((Link l) -> Stream.concat(l.visuals().stream(), l.collisions().stream()))
        .map(Shape::geometry).filter(kind::isInstance).count();
  }
}

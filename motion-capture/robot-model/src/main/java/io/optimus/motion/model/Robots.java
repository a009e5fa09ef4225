package io.optimus.motion.model;

import io.optimus.common.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Robot models by name (shipped ones) or by URDF path. */
public final class Robots {
  /** Names of the models shipped as classpath resources. */
  public static final List<String> BUILT_IN = List.of("optimus");

  private static final Map<String, RobotModel> CACHE = new ConcurrentHashMap<>();

  private Robots() {}

  /** {@code "optimus"} (shipped) or a path to a URDF file. */
  public static RobotModel load(String nameOrPath) {
    if (nameOrPath == null || nameOrPath.isBlank()) {
      throw new InputException("robot: empty name (expected one of " + BUILT_IN + " or a URDF file)");
    }
    if (BUILT_IN.contains(nameOrPath)) {
      return CACHE.computeIfAbsent(nameOrPath, Robots::loadResource);
    }
    Path p = Path.of(nameOrPath);
    if (Files.notExists(p)) { // (not !exists: a file behind a directory we may not read says "permission denied")
      throw new InputException("robot '" + nameOrPath + "': not a built-in model " + BUILT_IN + " and no such file");
    }
    return UrdfLoader.load(p);
  }

  /** The URDF text of a shipped model. */
  public static String builtInUrdf(String name) {
    String resource = "/io/optimus/motion/robots/" + name + ".urdf";
    try (InputStream in = Robots.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }

  private static RobotModel loadResource(String name) {
    return UrdfLoader.parse(builtInUrdf(name), name + ".urdf");
  }
}

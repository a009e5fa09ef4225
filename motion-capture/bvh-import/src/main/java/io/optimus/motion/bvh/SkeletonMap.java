package io.optimus.motion.bvh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.InputFiles;
import io.optimus.common.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Which BVH joint stands for each {@link Keypoint}: from a known {@link SkeletonConvention} (detected
 * from the joint names) or a user map file, a JSON object {@code {"head": "Head", "left_wrist": ...}}.
 * Hips may be left out of a map file: the knee joint's parent is used.
 */
public final class SkeletonMap {
  private static final List<Keypoint> REQUIRED = List.of(Keypoint.PELVIS, Keypoint.HEAD, Keypoint.LEFT_SHOULDER,
      Keypoint.RIGHT_SHOULDER, Keypoint.LEFT_ELBOW, Keypoint.RIGHT_ELBOW, Keypoint.LEFT_WRIST,
      Keypoint.RIGHT_WRIST, Keypoint.LEFT_KNEE, Keypoint.RIGHT_KNEE, Keypoint.LEFT_ANKLE, Keypoint.RIGHT_ANKLE);

  private final String source;
  private final Map<Keypoint, BvhJoint> joints;

  private SkeletonMap(String source, Map<Keypoint, BvhJoint> joints) {
    this.source = source;
    this.joints = Collections.unmodifiableMap(new EnumMap<>(joints));
  }

  /** "cmu_motionbuilder", "max_3ds", "iclone_cc_base" or "file:NAME". */
  public String source() {
    return source;
  }

  public BvhJoint joint(Keypoint k) {
    return joints.get(k);
  }

  /** Joint index for each keypoint, indexed by {@link Keypoint#ordinal()}. */
  public int[] jointIndices() {
    int[] out = new int[Keypoint.values().length];
    for (Keypoint k : Keypoint.values()) {
      out[k.ordinal()] = joints.get(k).index();
    }
    return out;
  }

  public Map<Keypoint, BvhJoint> joints() {
    return joints;
  }

  /** The convention whose joint names the skeleton has, or an error listing what was looked for. */
  public static SkeletonMap detect(String inputName, BvhSkeleton skeleton) {
    SkeletonConvention best = null;
    int bestHits = -1;
    for (SkeletonConvention c : SkeletonConvention.values()) {
      int hits = 0;
      for (String name : c.joints().values()) {
        if (skeleton.jointIgnoreCase(name).isPresent()) {
          hits++;
        }
      }
      if (hits == c.joints().size()) {
        return of(inputName, c, skeleton);
      }
      if (hits > bestHits) {
        bestHits = hits;
        best = c;
      }
    }
    List<String> missing = new ArrayList<>();
    for (String name : best.joints().values()) {
      if (skeleton.jointIgnoreCase(name).isEmpty()) {
        missing.add(name);
      }
    }
    throw new BvhException(inputName, 0, "unknown skeleton convention (closest: " + best.name().toLowerCase()
        + ", missing joints " + missing + "); pass a skeleton map file (JSON: keypoint -> joint name)");
  }

  /** The map of a known convention; every joint must exist. */
  public static SkeletonMap of(String inputName, SkeletonConvention convention, BvhSkeleton skeleton) {
    Map<Keypoint, BvhJoint> m = new EnumMap<>(Keypoint.class);
    for (Map.Entry<Keypoint, String> e : convention.joints().entrySet()) {
      m.put(e.getKey(), skeleton.jointIgnoreCase(e.getValue()).orElseThrow(() -> new BvhException(inputName, 0,
          "skeleton has no joint '" + e.getValue() + "' (" + e.getKey().key() + " in convention "
              + convention.name().toLowerCase() + ")")));
    }
    return new SkeletonMap(convention.name().toLowerCase(), m);
  }

  /** Reads a JSON map file (keypoint -> joint name) and resolves it against the skeleton. */
  public static SkeletonMap fromFile(Path file, BvhSkeleton skeleton) {
    String text;
    try {
      text = new String(InputFiles.read(file, 1 << 20, "skeleton map files"), StandardCharsets.UTF_8);
    } catch (InputFiles.Unreadable e) {
      throw new BvhException(file.toString(), 0,
          e.problem().equals("no such file") ? "no such skeleton map file" : e.problem());
    }
    return fromJson(file.getFileName().toString(), text, skeleton);
  }

  /** Parses map JSON text; {@code name} names it in errors. */
  public static SkeletonMap fromJson(String name, String json, BvhSkeleton skeleton) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new BvhException(name, line, "not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BvhException(name, 0, "a skeleton map must be a JSON object {\"keypoint\": \"joint name\"}");
    }
    Map<Keypoint, BvhJoint> m = new EnumMap<>(Keypoint.class);
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      Keypoint k = Keypoint.parse(f.getKey());
      if (k == null) {
        throw new BvhException(name, 0, "unknown keypoint '" + f.getKey() + "' (expected one of "
            + java.util.Arrays.stream(Keypoint.values()).map(Keypoint::key).toList() + ")");
      }
      if (!f.getValue().isTextual()) {
        throw new BvhException(name, 0, "keypoint '" + f.getKey() + "' must map to a joint name (a string)");
      }
      String jointName = f.getValue().asText();
      m.put(k, skeleton.jointIgnoreCase(jointName).orElseThrow(() -> new BvhException(name, 0,
          "keypoint '" + f.getKey() + "' names joint '" + jointName + "', which the skeleton does not have")));
    }
    for (Keypoint k : REQUIRED) {
      if (!m.containsKey(k)) {
        throw new BvhException(name, 0, "skeleton map lacks keypoint '" + k.key() + "'");
      }
    }
    hipFromKnee(m, skeleton, Keypoint.LEFT_HIP, Keypoint.LEFT_KNEE);
    hipFromKnee(m, skeleton, Keypoint.RIGHT_HIP, Keypoint.RIGHT_KNEE);
    return new SkeletonMap("file:" + name, m);
  }

  private static void hipFromKnee(Map<Keypoint, BvhJoint> m, BvhSkeleton skeleton, Keypoint hip, Keypoint knee) {
    if (!m.containsKey(hip)) {
      BvhJoint k = m.get(knee);
      m.put(hip, k.isRoot() ? k : skeleton.joints().get(k.parent()));
    }
  }
}

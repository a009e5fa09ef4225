package io.optimus.motion.bvh.cli;

import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.motion.bvh.BvhChannel;
import io.optimus.motion.bvh.BvhClip;
import io.optimus.motion.bvh.BvhJoint;
import io.optimus.motion.bvh.BvhParser;
import io.optimus.motion.bvh.BvhPose;
import io.optimus.motion.bvh.Keypoint;
import io.optimus.motion.bvh.LengthUnit;
import io.optimus.motion.bvh.SkeletonMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code optimus mocap info FILE.bvh}: what a BVH file holds, as JSON on stdout. */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Describe a BVH file as JSON: joints, channels, frames, fps, units (given or inferred), height.")
public final class MocapInfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE.bvh", description = "The BVH file.")
  Path file;

  @Option(names = "--units", converter = UnitsConverter.class, paramLabel = "UNIT",
      description = "Length unit of the file: m, cm, mm, inch or cmu (1/0.45 inch). Default: inferred from the"
          + " skeleton size, with a warning.")
  LengthUnit units;

  @Option(names = "--map", paramLabel = "MAP.json",
      description = "Skeleton map (JSON: keypoint -> joint name). Default: detect CMU MotionBuilder, 3dsMax or"
          + " iClone CC_Base names.")
  Path map;

  @Option(names = "--joints", description = "List every joint with its channels and offset.")
  boolean listJoints;

  @Override
  public Integer call() {
    BvhClip clip = BvhParser.parse(file, units);
    spec.commandLine().getOut().println(Json.write(describe(clip, map, listJoints)));
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** The info document for a parsed clip. */
  public static Map<String, Object> describe(BvhClip clip, Path mapFile, boolean listJoints) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("file", clip.name());
    out.put("joints", clip.skeleton().jointCount());
    out.put("channels", clip.skeleton().channelCount());
    out.put("frames", clip.frameCount());
    out.put("frameTimeS", clip.frameTime());
    out.put("fps", round(clip.fps(), 3));
    out.put("durationS", round(clip.durationSeconds(), 3));
    out.put("units", clip.unit().name().toLowerCase());
    out.put("unitsInferred", clip.unitInferred());
    out.put("metresPerUnit", clip.metresPerUnit());
    out.put("root", clip.skeleton().root().name());
    out.put("spanM", round(clip.spanMetres(), 3));
    out.put("maxExtentM", round(clip.heightMetres(), 3));
    try {
      SkeletonMap m = mapFile == null ? SkeletonMap.detect(clip.name(), clip.skeleton())
          : SkeletonMap.fromFile(mapFile, clip.skeleton());
      out.put("convention", m.source());
      out.put("heightM", round(standingHeight(clip, m), 3));
      Map<String, String> keypoints = new LinkedHashMap<>();
      for (Keypoint k : Keypoint.values()) {
        keypoints.put(k.key(), m.joint(k).name());
      }
      out.put("keypoints", keypoints);
    } catch (InputException e) {
      if (mapFile != null) {
        throw e;
      }
      out.put("convention", null);
      out.put("conventionProblem", e.getMessage());
    }
    List<BvhJoint> dead = clip.deadJoints();
    out.put("deadJoints", dead.stream().map(BvhJoint::name).toList());
    if (listJoints) {
      List<Map<String, Object>> joints = new ArrayList<>();
      for (BvhJoint j : clip.skeleton().joints()) {
        Map<String, Object> jm = new LinkedHashMap<>();
        jm.put("name", j.name());
        jm.put("parent", j.isRoot() ? null : clip.skeleton().joints().get(j.parent()).name());
        jm.put("channels", j.channels().stream().map(BvhChannel::bvhName).toList());
        jm.put("offset", List.of(j.offsetX(), j.offsetY(), j.offsetZ()));
        jm.put("endSite", j.hasEndSite());
        joints.add(jm);
      }
      out.put("jointList", joints);
    }
    return out;
  }

  /**
   * Body height: the largest height over the clip of the top of the head (the head joint's End Site,
   * or the head joint itself when it has none) above the lowest joint of the same frame.
   */
  static double standingHeight(BvhClip clip, SkeletonMap map) {
    BvhPose pose = new BvhPose(clip);
    int head = map.joint(Keypoint.HEAD).index();
    boolean top = map.joint(Keypoint.HEAD).hasEndSite();
    double best = 0;
    for (int f = 0; f < clip.frameCount(); f++) {
      pose.setFrame(f);
      double floor = Double.POSITIVE_INFINITY;
      for (int j = 0; j < clip.skeleton().jointCount(); j++) {
        floor = Math.min(floor, pose.position(j, 2));
      }
      double z = top ? pose.fileEndSitePosition(head, 1) * clip.metresPerUnit() : pose.position(head, 2);
      best = Math.max(best, z - floor);
    }
    return best;
  }

  private static double round(double v, int digits) {
    double s = Math.pow(10, digits);
    return Math.round(v * s) / s;
  }
}

package io.optimus.motion.bvh.cli;

import io.optimus.cli.RobotOption;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.motion.bvh.BodySegment;
import io.optimus.motion.bvh.SegmentCloseness;
import java.util.List;
import io.optimus.motion.bvh.BvhClip;
import io.optimus.motion.bvh.BvhParser;
import io.optimus.motion.bvh.FootContacts;
import io.optimus.motion.bvh.Keypoint;
import io.optimus.motion.bvh.KeypointMotion;
import io.optimus.motion.bvh.LengthUnit;
import io.optimus.motion.bvh.MocapEpisodes;
import io.optimus.motion.bvh.MocapRetarget;
import io.optimus.motion.bvh.MocapRetargeter;
import io.optimus.motion.bvh.SkeletonMap;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.retarget.ReachProbe;
import io.optimus.motion.record.EpisodeSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code optimus mocap retarget}: a BVH clip onto a robot, written as an episode. */
@Command(name = "retarget", mixinStandardHelpOptions = true,
    description = {"Retarget a BVH clip onto a robot with the whole-body IK and write it as an episode (MCAP,"
        + " the teleop recording format, source kind MOCAP).",
        "Prints JSON: tracking error per keypoint over all frames and over the frames where the robot could reach"
            + " the keypoint's target (joint limits, planted feet, balance; see 'reachability'), the share of those"
            + " frames, per-segment closeness, the worst joint-velocity ratio, foot slip, the slow-down used."})
public final class MocapRetargetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--bvh", required = true, paramLabel = "FILE.bvh", description = "The motion capture clip.")
  Path bvh;

  @Mixin RobotOption robot;

  @Option(names = "--out", required = true, paramLabel = "EPISODE.mcap", description = "Episode file to create.")
  Path out;

  @Option(names = "--units", converter = UnitsConverter.class, paramLabel = "UNIT",
      description = "Length unit of the BVH file: m, cm, mm, inch or cmu. Default: inferred, with a warning.")
  LengthUnit units;

  @Option(names = "--map", paramLabel = "MAP.json",
      description = "Skeleton map (JSON: keypoint -> joint name). Default: detect the naming convention.")
  Path map;

  @Option(names = "--rate", defaultValue = "100", paramLabel = "HZ",
      description = "Output (control) rate of the trajectory, Hz (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--time-scale", defaultValue = "auto", converter = TimeScaleConverter.class, paramLabel = "auto|X",
      description = "Slow-down: 1 = real time, 2 = half speed; auto = as needed for the joint velocity limits"
          + " (default: ${DEFAULT-VALUE}).")
  double timeScale;

  @Option(names = "--max-time-scale", defaultValue = "3", paramLabel = "X",
      description = "Largest slow-down 'auto' may choose (default: ${DEFAULT-VALUE}).")
  double maxTimeScale;

  @Option(names = "--task", paramLabel = "NAME", description = "Task name in the episode header (default: mocap:CLIP).")
  String task;

  @Option(names = "--robot-id", defaultValue = "mocap", paramLabel = "ID",
      description = "Robot id in the episode (default: ${DEFAULT-VALUE}).")
  String robotId;

  @Override
  public Integer call() {
    if (!(rate > 0 && rate <= 2000)) {
      throw new InputException("--rate must be in (0, 2000] Hz, was " + rate);
    }
    if (!(maxTimeScale >= 1 && maxTimeScale <= 100)) {
      throw new InputException("--max-time-scale must be in [1, 100], was " + maxTimeScale);
    }
    if (java.nio.file.Files.exists(out)) {
      throw new InputException(out + ": already exists (episodes are never overwritten)");
    }
    PrintWriter err = spec.commandLine().getErr();
    BvhClip clip = BvhParser.parse(bvh, units);
    SkeletonMap skeletonMap = map == null ? SkeletonMap.detect(clip.name(), clip.skeleton())
        : SkeletonMap.fromFile(map, clip.skeleton());
    RobotModel model = robot.load();
    KeypointMotion human = KeypointMotion.from(clip, skeletonMap);
    FootContacts contacts = FootContacts.detect(human);
    err.printf(Locale.ROOT, "%s: %d frames at %.1f fps, %s units%s, %s skeleton; retargeting onto %s ...%n",
        clip.name(), clip.frameCount(), clip.fps(), clip.unit().name().toLowerCase(Locale.ROOT),
        clip.unitInferred() ? " (inferred)" : "", skeletonMap.source(), model.name());
    err.flush();
    MocapRetargeter retargeter = new MocapRetargeter(model,
        new MocapRetargeter.Options(rate, timeScale, maxTimeScale, MocapRetargeter.Options.defaults().iterations()));
    int[] lastPercent = {-1};
    long t0 = System.nanoTime();
    MocapRetarget r = retargeter.retarget(human, contacts, (tick, ticks) -> {
      int percent = (int) (100L * (tick + 1) / ticks);
      if (percent / 10 != lastPercent[0] / 10) {
        lastPercent[0] = percent;
        err.printf("  retarget %d%%%n", percent);
        err.flush();
      }
    });
    double seconds = (System.nanoTime() - t0) / 1e9;
    EpisodeSummary summary = MocapEpisodes.write(out, r, human, robotId, task == null ? "mocap:" + clip.name() : task,
        // the same Foxglove 3D scene as the bridge's recordings (no table: mocap has no task world)
        io.optimus.bridge.foxglove.FoxgloveSceneViews.factory(null));
    err.printf(Locale.ROOT, "retargeted %d ticks in %.1f s; wrote %s (%d messages, %d bytes)%n", r.ticks(), seconds,
        out, summary.messages(), summary.bytes());
    err.print(closenessTable(r.closeness()));
    err.print(reachTable(r));
    err.flush();
    spec.commandLine().getOut().println(Json.write(report(r, clip, skeletonMap, summary)));
    spec.commandLine().getOut().flush();
    return 0;
  }

  static Map<String, Object> report(MocapRetarget r, BvhClip clip, SkeletonMap skeletonMap, EpisodeSummary summary) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("bvh", clip.name());
    out.put("units", clip.unit().name().toLowerCase(Locale.ROOT));
    out.put("convention", skeletonMap.source());
    out.put("robot", r.model().name());
    out.put("ticks", r.ticks());
    out.put("rateHz", r.rateHz());
    out.put("durationS", round(r.durationSeconds()));
    out.put("timeScale", round(r.timeScale()));
    out.put("realTimeVelocityRatioP95", Double.isNaN(r.unconstrainedVelocityRatio()) ? null
        : round(r.unconstrainedVelocityRatio()));
    out.put("worstVelocityRatio", round(r.worstVelocityRatio()));
    out.put("worstVelocityJoint", r.worstVelocityJoint());
    out.put("velocityClampedFraction", round(r.saturatedFraction()));
    out.put("positionLimitExcessRad", Math.max(0, r.limitViolation()));
    out.put("footSlipM", round(r.footSlip()));
    out.put("bodyScale", round(r.bodyScale()));
    Map<String, Object> keypoints = new LinkedHashMap<>();
    for (Keypoint k : Keypoint.values()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("robotLink", r.keypoints().link(k));
      e.put("tracked", r.tracked(k));
      e.put("meanErrorM", r.tracked(k) ? round(r.meanError(k)) : null);
      e.put("p95ErrorM", r.tracked(k) ? round(r.p95Error(k)) : null);
      e.put("maxErrorM", r.tracked(k) ? round(r.maxError(k)) : null);
      MocapRetarget.ErrorStats reach = r.errorStats(k, true);
      e.put("reachableShare", r.tracked(k) ? round(r.reachableShare(k)) : null);
      e.put("reachableMeanErrorM", nullIfNaN(reach.meanM()));
      e.put("reachableP95ErrorM", nullIfNaN(reach.p95M()));
      e.put("reachableMaxErrorM", nullIfNaN(reach.maxM()));
      keypoints.put(k.key(), e);
    }
    out.put("trackingError", keypoints);
    Map<String, Object> reachability = new LinkedHashMap<>();
    reachability.put("definition", REACHABILITY);
    reachability.put("toleranceM", ReachProbe.TOLERANCE_M);
    out.put("reachability", reachability);
    out.put("segmentCloseness", segments(r.closeness(false)));
    out.put("segmentClosenessReachable", segments(r.closeness(true)));
    Map<String, Object> episode = new LinkedHashMap<>();
    episode.put("file", summary.file().toString());
    episode.put("episodeId", summary.episodeId());
    episode.put("messages", summary.messages());
    episode.put("bytes", summary.bytes());
    out.put("episode", episode);
    return out;
  }

  /** What "reachable" means in the report (one line; ReachProbe has the details). */
  static final String REACHABILITY = "a keypoint is reachable at a tick when the robot could bring it within toleranceM"
      + " of its target: a keypoint-alone IK from that tick's pose, joint position limits, the planted feet held,"
      + " the centre of mass over the planted soles (ReachProbe)";

  private static Object nullIfNaN(double v) {
    return Double.isNaN(v) ? null : round(v);
  }

  private static Map<String, Object> segments(List<SegmentCloseness> rows) {
    Map<String, Object> segments = new LinkedHashMap<>();
    for (SegmentCloseness c : rows) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("samples", c.samples());
      e.put("positionMeanM", round(c.positionMeanM()));
      e.put("positionP95M", round(c.positionP95M()));
      e.put("positionMaxM", round(c.positionMaxM()));
      e.put("orientationMeanDeg", round(c.orientationMeanDeg()));
      e.put("orientationP95Deg", round(c.orientationP95Deg()));
      e.put("orientationMaxDeg", round(c.orientationMaxDeg()));
      e.put("withinShare", round(c.withinShare()));
      segments.put(c.segment().key(), e);
    }
    return segments;
  }

  /** Per keypoint: position error (cm) over all frames and over the reachable ones, and their share. */
  static String reachTable(MocapRetarget r) {
    StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%-15s %22s %22s  %s%n", "keypoint",
        "all frames cm mean/p95", "reachable cm mean/p95", "reachable"));
    for (Keypoint k : Keypoint.values()) {
      if (!r.tracked(k)) {
        continue;
      }
      MocapRetarget.ErrorStats all = r.errorStats(k, false);
      MocapRetarget.ErrorStats reach = r.errorStats(k, true);
      t.append(String.format(Locale.ROOT, "%-15s %14.1f %7.1f %14.1f %7.1f  %8.1f%%%n", k.key(), all.meanM() * 100,
          all.p95M() * 100, reach.meanM() * 100, reach.p95M() * 100, r.reachableShare(k) * 100));
    }
    return t.toString();
  }

  /** Per body segment: robot vs scaled operator, position (cm) and orientation (deg) error, share close. */
  static String closenessTable(List<SegmentCloseness> rows) {
    StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%-11s %31s %31s  %s%n", "segment",
        "position error cm mean/p95/max", "orientation deg mean/p95/max",
        "within " + Math.round(BodySegment.POSITION_OK_M * 100) + " cm & " + Math.round(BodySegment.ORIENTATION_OK_DEG)
            + " deg"));
    for (SegmentCloseness c : rows) {
      t.append(String.format(Locale.ROOT, "%-11s %15.1f %7.1f %7.1f %15.1f %7.1f %7.1f  %6.0f%%%n", c.segment().key(),
          c.positionMeanM() * 100, c.positionP95M() * 100, c.positionMaxM() * 100, c.orientationMeanDeg(),
          c.orientationP95Deg(), c.orientationMaxDeg(), c.withinShare() * 100));
    }
    return t.toString();
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }

  /** "auto" (0) or a slow-down factor >= 1. */
  static final class TimeScaleConverter implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      if (value.equalsIgnoreCase("auto")) {
        return 0.0;
      }
      try {
        double v = Double.parseDouble(value);
        if (v >= 1 && v <= 100) {
          return v;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new TypeConversionException("expected 'auto' or a slow-down factor in [1, 100], got '" + value + "'");
    }
  }
}

package io.optimus.teleop.cli;

import io.optimus.cli.JoinsRunningBroker;
import io.optimus.cli.RobotOption;
import io.optimus.cli.TakeoverRuleOptions;
import io.optimus.common.InputException;
import io.optimus.cli.MqttOptions;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.common.Json;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.retarget.OperatorBody;
import io.optimus.motion.retarget.RobotProfile;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.teleop.OperatorStream;
import io.optimus.teleop.TeleopSession;
import io.optimus.teleop.link.RobotLink;
import io.optimus.teleop.openxr.GlHeadsetView;
import io.optimus.teleop.openxr.OpenXrOptions;
import io.optimus.teleop.openxr.OpenXrPoseSource;
import io.optimus.teleop.scripted.CalibratedRobotToOperator;
import io.optimus.teleop.scripted.PalmFeedback;
import io.optimus.teleop.scripted.PolicySupervisor;
import io.optimus.teleop.scripted.ScriptedOperator;
import io.optimus.teleop.scripted.ScriptedPlanner;
import io.optimus.teleop.scripted.TakeoverRule;
import io.optimus.teleop.source.BvhPoseSource;
import io.optimus.teleop.source.MocapStreamPoseSource;
import io.optimus.teleop.source.PoseSource;
import io.optimus.teleop.source.ReplayPoseSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code optimus teleop}: run an operator client against one robot. Prints a JSON summary on stdout. */
@Command(name = "teleop", mixinStandardHelpOptions = true, modelTransformer = JoinsRunningBroker.class,
    description = {"Run an operator client (OpenXR headset or another pose source) against a robot over MQTT.",
        "Sources: openxr (a headset through the OpenXR runtime; XR_RUNTIME_JSON or --xr-runtime picks it),",
        "scripted:pick-place|stack|handover (a synthetic operator doing the bridge's task; start the bridge with",
        "the same --task),",
        "bvh:FILE (a motion-capture clip), replay:FILE (the operator stream of a recorded episode),",
        "mocap-stream:HOST:PORT (a live BVH skeleton over TCP from a mocap suite; reconnects when it drops).",
        "Controls (headset): squeeze = deadman, trigger = fingers, B = record start/stop, A = mark success,",
        "X = mark discard, Y = mark failure, both sticks (or both menus) = e-stop, X+Y held 1 s = e-stop reset,",
        "T-pose with both triggers held 1 s = calibrate, right thumbstick click = take over from a driving policy"
            + " (again: hand back).",
        "A broker with authentication: --username NAME, the password in the environment variable named by",
        "--password-env (never on the command line); TLS: an ssl:// URL, --ca PEM for a private CA."})
public final class TeleopCommand implements java.util.concurrent.Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--robot-id", required = true, description = "The robot to drive.")
  String robotId;

  /** The bridge's broker options (--broker, --username, --password-env, --ca, --insecure-hostname). */
  @Mixin MqttOptions mqtt;

  @Option(names = "--source", defaultValue = "openxr",
      description = "openxr | scripted:pick-place | scripted:stack | scripted:handover | bvh:FILE | replay:FILE"
          + " | mocap-stream:HOST:PORT (default ${DEFAULT-VALUE}).")
  String source;

  @Option(names = "--episodes", defaultValue = "1", description = "Episodes for the scripted operator (default ${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--record", description = "Record episodes on the robot.")
  boolean record;

  @Option(names = "--operator-id", description = "Operator id (default: the --username, else 'operator'); a broker"
      + " with authentication lets an operator announce herself only under her user name.")
  String operatorId;

  @Option(names = "--xr-runtime", description = "OpenXR runtime manifest to use (sets XR_RUNTIME_JSON).")
  Path xrRuntime;

  @Option(names = "--headless", description = "OpenXR without the headset view (XR_MND_headless): tracking only.")
  boolean headless;

  @Option(names = "--rate", defaultValue = "90", description = "Frame rate of non-OpenXR and headless OpenXR sources, Hz (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the scripted operator's variability (default ${DEFAULT-VALUE}).")
  long seed;

  /** The robot model whose calibration the scripted operator inverts. */
  @Mixin RobotOption robot;

  @Option(names = "--video-anchor", defaultValue = "head", description = "Where the robot's video sits in the headset:"
      + " head (follows the head) or world (stays 1.5 m ahead of where the head was at the start) (default ${DEFAULT-VALUE}).")
  String videoAnchor;

  @Option(names = "--duration", description = "Stop after this many seconds.")
  Double duration;

  @Option(names = "--supervise", description = {"With scripted:TASK: supervise a policy driving the robot (optimus policy"
      + " deploy): hold the deadman, plan the task alongside and take over (the right-stick click) when the robot strays",
      "from that plan or stalls, finish the episode, then hand back."})
  boolean supervise;

  @Mixin TakeoverRuleOptions takeover; // with --supervise

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (episodes < 1) {
      throw new InputException("--episodes must be at least 1, not " + episodes);
    }
    if (!(rate > 0 && rate <= 1000)) {
      throw new InputException("--rate must be in (0, 1000] Hz, not " + rate);
    }
    if (operatorId == null) {
      operatorId = mqtt.username() != null ? mqtt.username() : "operator";
    }
    checkSource();
    TakeoverRule rule = null;
    if (supervise) {
      if (!isScripted()) {
        throw new InputException("--supervise needs a scripted operator (--source scripted:TASK), not '" + source + "'");
      }
      rule = takeover.rule();
    }
    if (!videoAnchor.equals("head") && !videoAnchor.equals("world")) {
      throw new InputException("--video-anchor must be head or world, not '" + videoAnchor + "'");
    }
    // JoinsRunningBroker gives --broker its default, but picocli skips model transformers for
    // addSubcommand(name, bareObject): then it is null here
    String url = mqtt.broker() == null ? JoinsRunningBroker.DEFAULT_BROKER : mqtt.broker();
    MqttSettings settings = mqtt.settings(url, "op-" + operatorId);
    String broker = settings.serverUri();
    try (RobotLink link = RobotLink.connect(settings, robotId, operatorId)) {
      AtomicReference<ScriptedPlanner> scripted = new AtomicReference<>();
      PoseSource src = openSource(link, scripted, rule, err);
      boolean externalRecording = record && scripted.get() == null;
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch done = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        // Ctrl-C / SIGTERM: ask the loop to stop and wait (bounded) for its teardown and summary.
        // OpenXR calls stay on the loop's thread: it requests the exit and runs the session down.
        stop.set(true);
        if (src instanceof OpenXrPoseSource xr) {
          xr.stop();
        }
        try {
          done.await(3, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "teleop-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + (long) (duration * 1e9);
      long[] lastReport = {System.nanoTime()};
      long[] count = {0};
      try (OperatorStream stream = new OperatorStream(src, operatorId)) {
        // the right-stick click hands back while the robot says this operator has taken over, else takes over
        stream.controls().watchTakeover(() -> link.bridge() != null && link.bridge().getTakenOver());
        if (src instanceof PolicySupervisor sup) {
          stream.controls().describeTakeover(sup::takeoverReason); // the bridge records why with the intervention
        }
        if (externalRecording) {
          link.startRecording(link.task() == null ? "" : link.task().getTask(), "teleop --source " + source);
        }
        err.println("teleop: " + src.name() + " -> " + robotId + " via " + broker + (record ? " (recording)" : ""));
        err.flush();
        TeleopSession.Summary s = TeleopSession.run(stream, link, f -> progress(err, link, f, lastReport, ++count[0], scripted.get()),
            () -> stopNow(src, stop.get() || System.nanoTime() > deadline));
        if (externalRecording) {
          link.stopRecording(EpisodeOutcome.EPISODE_OUTCOME_UNSPECIFIED, "stream ended");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("robot_id", robotId);
        out.put("source", s.source());
        out.put("frames", s.frames());
        out.put("published", s.published());
        out.put("seconds", Math.round(s.seconds() * 1000) / 1000.0);
        out.put("rate_hz", Math.round(s.rateHz() * 10) / 10.0);
        if (scripted.get() != null) {
          out.put("episodes", scripted.get().episodesDone());
          out.put("successes", scripted.get().successes());
        }
        if (src instanceof PolicySupervisor sup) {
          out.put("supervised", supervised(sup));
        }
        if (src instanceof OpenXrPoseSource xr) {
          out.put("openxr_runtime", xr.runtimeName());
          out.put("session_lost", xr.lost());
          out.put("sessions_lost", xr.sessionsLost());
          out.put("sessions_regained", xr.sessionsRegained());
          out.put("openxr_states", xr.statesSeen().stream().map(Enum::name).toList());
          out.put("body_tracking", xr.bodyTracking().orElse(null));
        }
        if (src instanceof MocapStreamPoseSource m) {
          out.put("mocap_frames", m.accepted());
          out.put("mocap_lines_refused", m.refused());
          out.put("mocap_outages", m.outages());
        }
        out.put("latency_ms", link.latencyNs() < 0 ? null : link.latencyNs() / 1e6);
        io.optimus.proto.v1.SafetyStatus closeness = statusAfterTheLastFrame(link);
        if (closeness != null && closeness.getBodyClosenessCount() > 0) {
          out.put("body_closeness", bodyCloseness(closeness));
        }
        if (headsetView != null) {
          var v = headsetView.video().latency().figures(io.optimus.teleop.video.VideoLatency.Stage.TOTAL);
          out.put("video_frames_shown", v.count());
          out.put("video_latency_ms", v.count() == 0 ? null
              : java.util.Map.of("p50", v.p50Ns() / 1e6, "p99", v.p99Ns() / 1e6));
          out.put("video_frames_refused", headsetView.video().rejected());
        }
        spec.commandLine().getOut().println(Json.write(out));
        spec.commandLine().getOut().flush();
      } finally {
        done.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it waits for `done`
        }
      }
    }
    return 0;
  }

  /**
   * The bridge's safety status published after the last frame (it reports at 10 Hz: waits up to 0.5 s), so
   * that its body closeness counts every frame sent; the newest one when none comes, null before any.
   */
  private static io.optimus.proto.v1.SafetyStatus statusAfterTheLastFrame(RobotLink link) throws InterruptedException {
    io.optimus.proto.v1.SafetyStatus s = link.safety();
    if (s == null || s.getBodyClosenessCount() == 0) {
      return s; // no body: nothing worth waiting for
    }
    long sentWall = io.optimus.common.Stamps.wallNanos();
    long end = System.nanoTime() + 500_000_000L;
    while (System.nanoTime() < end && (s = link.safety()).getStamp().getWallNs() < sentWall + 50_000_000L) {
      Thread.sleep(10);
    }
    return s;
  }

  /**
   * The bridge's live closeness of the robot to the scaled operator per body segment, over its window (the
   * last {@code LiveCloseness.WINDOW} samples of each segment; the whole stream when shorter), keyed as
   * {@code mocap retarget}'s {@code segmentCloseness}.
   */
  static Map<String, Object> bodyCloseness(io.optimus.proto.v1.SafetyStatus s) {
    Map<String, Object> segments = new LinkedHashMap<>();
    for (io.optimus.proto.v1.SegmentCloseness c : s.getBodyClosenessList()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("samples", c.getSamples());
      e.put("positionMeanM", round4(c.getPositionMeanM()));
      e.put("positionP95M", round4(c.getPositionP95M()));
      e.put("positionMaxM", round4(c.getPositionMaxM()));
      e.put("orientationMeanDeg", round4(c.getOrientationMeanDeg()));
      e.put("orientationP95Deg", round4(c.getOrientationP95Deg()));
      e.put("orientationMaxDeg", round4(c.getOrientationMaxDeg()));
      e.put("withinShare", round4(c.getWithinShare()));
      segments.put(c.getSegment(), e);
    }
    return segments;
  }

  private static double round4(double v) {
    return Math.round(v * 10000) / 10000.0;
  }

  /** An OpenXR source ends its session properly (see {@link OpenXrPoseSource#stop()}); others stop at once. */
  private static boolean stopNow(PoseSource src, boolean wanted) {
    if (wanted && src instanceof OpenXrPoseSource xr) {
      xr.stop();
      return false;
    }
    return wanted;
  }

  /** Refuses an unknown source before anything connects. */
  private void checkSource() {
    boolean known = source.equals("openxr") || isScripted()
        || source.startsWith("bvh:") && source.length() > 4 || source.startsWith("replay:") && source.length() > 7
        || source.startsWith(MocapStreamPoseSource.PREFIX) && MocapStreamPoseSource.of(
            source.substring(MocapStreamPoseSource.PREFIX.length())) != null;
    if (!known) {
      throw new InputException("--source '" + source + "' is unknown: " + SOURCES);
    }
    Topics.checkId("robot", robotId);
    Topics.checkId("operator", operatorId);
  }

  private static final String SOURCES = "use openxr, scripted:pick-place, scripted:stack, scripted:handover, bvh:FILE,"
      + " replay:FILE or mocap-stream:HOST:PORT";

  private boolean isScripted() {
    return source.startsWith(ScriptedOperator.PREFIX)
        && ScriptedOperator.TASKS.contains(source.substring(ScriptedOperator.PREFIX.length()));
  }

  /** The headset view of an OpenXR source with a view (its video figures go into the summary). */
  private GlHeadsetView headsetView;

  /** What the supervising operator did: takeovers (taken, refused), hand-backs, each with its reason. */
  static Map<String, Object> supervised(PolicySupervisor sup) {
    Map<String, Object> m = new LinkedHashMap<>();
    var list = sup.interventions();
    m.put("takeovers", list.stream().filter(PolicySupervisor.Intervention::taken).count());
    m.put("refused", sup.refused());
    m.put("handed_back", list.stream().filter(PolicySupervisor.Intervention::handedBack).count());
    m.put("worst_deviation_m", Double.isFinite(sup.worstDeviationM()) ? round4(sup.worstDeviationM()) : null);
    m.put("interventions", list.stream().map(i -> {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("episode", i.episode());
      e.put("at_s", Math.round(i.atS() * 100) / 100.0);
      e.put("reason", i.reason());
      e.put("taken", i.taken());
      e.put("handed_back", i.handedBack());
      return e;
    }).toList());
    return m;
  }

  /** The source the robot follows: its newest state's, else its status's (empty before either). */
  private static String driverOf(RobotLink link) {
    var s = link.state();
    if (s != null && !s.getActionSource().isEmpty()) {
      return s.getActionSource();
    }
    return link.bridge() == null ? "" : link.bridge().getActionSource();
  }

  private PoseSource openSource(RobotLink link, AtomicReference<ScriptedPlanner> scripted, TakeoverRule rule,
      PrintWriter err) {
    if (source.equals("openxr")) {
      OpenXrOptions o = headless ? OpenXrOptions.headlessDefaults().withHeadlessRate(rate)
          : OpenXrOptions.withView(headsetView = new GlHeadsetView(link, robotId, videoAnchor.equals("world")));
      return new OpenXrPoseSource(o.withRuntimeJson(xrRuntime));
    }
    if (isScripted()) {
      RobotModel robotModel = robot.load();
      RobotProfile profile = RobotProfile.detect(robotModel);
      String task = source.substring(ScriptedOperator.PREFIX.length());
      PalmFeedback palms = PalmFeedback.fromStates(new RobotRig(robotModel), link::state);
      ScriptedOperator op = ScriptedOperator.forTask(task, link::task,
          new CalibratedRobotToOperator(profile, OperatorBody.DEFAULT), seed, episodes, record, rate,
          (episode, success) -> link.requestTaskReset(seed * 1000 + episode))
          .watchSafety(link::safety)
          .watchPalms(palms)
          .awaitRobot(link::robotTookAFrame);
      scripted.set(op.planner());
      if (rule == null) {
        return op;
      }
      return new PolicySupervisor(op, rule, link::task, palms, () -> link.bridge() != null && link.bridge().getTakenOver(),
          () -> driverOf(link), rate).listener(what -> {
            err.println("teleop: " + what);
            err.flush();
          });
    }
    if (source.startsWith("bvh:") && source.length() > 4) {
      return new BvhPoseSource(Path.of(source.substring(4)), rate);
    }
    if (source.startsWith(MocapStreamPoseSource.PREFIX)) {
      return MocapStreamPoseSource.of(source.substring(MocapStreamPoseSource.PREFIX.length()));
    }
    if (source.startsWith("replay:") && source.length() > 7) {
      return new ReplayPoseSource(Path.of(source.substring(7)));
    }
    throw new InputException("--source '" + source + "' is unknown: " + SOURCES);
  }

  private static void progress(PrintWriter err, RobotLink link, OperatorFrame f, long[] last, long n, ScriptedPlanner op) {
    long now = System.nanoTime();
    if (now - last[0] < 2_000_000_000L) {
      return;
    }
    last[0] = now;
    err.printf("teleop: %d frames, link %s, latency %s, deadman %s%s%n", n, link.connected() ? "up" : "DOWN",
        link.latencyNs() < 0 ? "--" : String.format("%.1f ms", link.latencyNs() / 1e6),
        f.getCommands().getDeadman() ? "held" : "released",
        op == null ? "" : ", " + op.phase() + ", episode " + (op.episodesDone() + 1));
    err.flush();
  }
}

package io.optimus.examples.demo;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.control.MotionRetargeter;
import io.optimus.bridge.broker.BrokerOptions;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.auth.OneTimeCredentials;
import io.optimus.bridge.mqtt.auth.Role;
import io.optimus.common.Json;
import io.optimus.common.Stamps;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import io.optimus.motion.record.Dataset;
import io.optimus.motion.record.DatasetValidation;
import io.optimus.motion.record.EpisodeEntry;
import io.optimus.motion.retarget.OperatorBody;
import io.optimus.motion.retarget.RobotProfile;
import io.optimus.policy.EngineThreads;
import io.optimus.policy.PolicyConfig;
import io.optimus.policy.act.ActConfig;
import io.optimus.policy.deploy.PolicyDeployment;
import io.optimus.policy.eval.PolicyEvaluator;
import io.optimus.policy.model.Keypoints;
import io.optimus.policy.train.RunConfig;
import io.optimus.policy.train.TrainConfig;
import io.optimus.policy.train.TrainingReport;
import io.optimus.policy.train.TrainingRun;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.ResetTaskRequest;
import io.optimus.proto.v1.StartRecordingRequest;
import io.optimus.proto.v1.StopRecordingRequest;
import io.optimus.teleop.OperatorStream;
import io.optimus.teleop.TeleopSession;
import io.optimus.teleop.link.RobotLink;
import io.optimus.teleop.scripted.CalibratedRobotToOperator;
import io.optimus.teleop.scripted.PalmFeedback;
import io.optimus.teleop.scripted.PickPlaceOperator;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The whole loop on one machine: embedded broker, simulated robot bridge on pick-and-place, the
 * scripted VR operator over MQTT recording demonstrations, training, closed-loop evaluation and
 * deployment through the bridge. Every stage uses the modules' public APIs; a stage that cannot run
 * is reported with its reason, and the stages after it that need its output are skipped.
 */
public final class DemoPipeline {
  public static final String ROBOT_ID = "optimus";
  public static final String OPERATOR_ID = "demo-operator";
  private static final String BRIDGE_USER = "bridge-" + ROBOT_ID;
  private static final String POLICY_USER = "demo-policy";
  public static final String TASK = "pick-place";
  static final double OPERATOR_RATE_HZ = 90;
  /** Wall seconds one scripted demonstration may take before the recording stage gives up on the rest. */
  static final double SECONDS_PER_DEMO_LIMIT = 60;

  private final DemoOptions options;
  private final StageProgress progress;

  private OneTimeCredentials credentials;

  public DemoPipeline(DemoOptions options, PrintStream err) {
    this.options = options;
    this.progress = new StageProgress(err, 5);
  }

  public DemoReport run() throws Exception {
    long t0 = System.nanoTime();
    // PyTorch reads its thread counts once, at the first DJL call: two intra-op threads for the whole run
    EngineThreads.configure(2);
    Files.createDirectories(options.out());
    DemoReport.Builder report = new DemoReport.Builder(options);
    RobotModel model = Robots.load("optimus");
    RobotRig rig = new RobotRig(model);

    progress.begin(1, "starting the embedded MQTT broker (HiveMQ CE) and the simulated '" + ROBOT_ID + "' bridge on "
        + TASK);
    // the demo's broker lets in only its own three clients, each with its role's topics
    credentials = new OneTimeCredentials().add(BRIDGE_USER, Role.BRIDGE, ROBOT_ID)
        .add(OPERATOR_ID, Role.OPERATOR, ROBOT_ID).add(POLICY_USER, Role.POLICY, ROBOT_ID);
    try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerOptions.loopback(0).withUsers(credentials.users()))) {
      report.broker(broker.url());
      progress.done("broker on " + broker.url());

      recordDemonstrations(broker, model, rig, report);
      Path run = train(report);
      if (run != null) {
        evaluate(run, report);
        deploy(broker, rig, run, report);
      } else {
        progress.skip(4, "evaluation (stage 4) and deployment (stage 5)", "no trained policy: stage 3 did not finish");
        report.evaluationSkipped("no trained policy");
        report.deploymentSkipped("no trained policy");
      }
    }
    report.wallSeconds((System.nanoTime() - t0) / 1e9);
    DemoReport r = report.build();
    Files.writeString(options.out().resolve("report.json"), Json.write(r));
    return r;
  }

  // ---- stage 2: scripted VR operator over MQTT, recorded by the bridge ----

  private void recordDemonstrations(EmbeddedBroker broker, RobotModel model, RobotRig rig, DemoReport.Builder report)
      throws Exception {
    Path dir = options.recordings();
    Files.createDirectories(dir);
    BridgeConfig config = BridgeConfig.defaults(ROBOT_ID).withTask(TASK, options.seed()).withRecordDir(dir)
        .withWorld(options.world());
    try (RobotBridge bridge = RobotBridge.builder(rig, config)
        .mqtt(credentials.login(broker.url(), BRIDGE_USER, BRIDGE_USER))
        .retargeter(new MotionRetargeter(model, rig.home()))
        .start()) {
      progress.done("bridge " + ROBOT_ID + " running (" + config.world() + " world): " + rig.dof() + " joints at "
          + config.controlRateHz() + " Hz, cameras " + rig.cameras().stream().map(RobotRig.Camera::name).toList()
          + " at " + config.cameraRateHz() + " Hz, recording into " + dir);
      progress.begin(2, "recording " + options.demos() + " demonstrations: scripted VR operator -> MQTT -> bridge"
          + " (" + OPERATOR_RATE_HZ + " Hz operator frames)");
      int[] lastDone = {0};
      long start = System.nanoTime();
      long deadline = start + (long) (SECONDS_PER_DEMO_LIMIT * options.demos() * 1e9);
      try (RobotLink link = RobotLink.connect(
          credentials.login(broker.url(), OPERATOR_ID, OPERATOR_ID), ROBOT_ID, OPERATOR_ID)) {
        PickPlaceOperator operator = new PickPlaceOperator(link::task,
            new CalibratedRobotToOperator(RobotProfile.detect(model), OperatorBody.DEFAULT), options.seed(),
            options.demos(), true, OPERATOR_RATE_HZ,
            (episode, success) -> link.requestTaskReset(options.seed() * 1000 + episode))
            .watchSafety(link::safety)
            .watchPalms(PalmFeedback.fromStates(rig, link::state))
            .awaitRobot(link::robotTookAFrame);
        TeleopSession.Summary s;
        try (OperatorStream stream = new OperatorStream(operator, OPERATOR_ID)) {
          s = TeleopSession.run(stream, link, f -> {
            int done = operator.planner().episodesDone();
            if (done != lastDone[0]) {
              lastDone[0] = done;
              progress.step(String.format(Locale.ROOT, "demonstration %d/%d finished (%d successful so far), %.0f s",
                  done, options.demos(), operator.planner().successes(), (System.nanoTime() - start) / 1e9));
            }
          }, () -> System.nanoTime() > deadline);
        }
        // the operator's last button press stops the recording; wait for the bridge to close the file
        waitFor(() -> !bridge.recorder().isRecording(), 10_000);
        report.teleop(s.frames(), s.rateHz(), operator.planner().episodesDone(), operator.planner().successes());
      }
      if (bridge.recorder().isRecording()) {
        bridge.handle(ControlRequest.newBuilder().setSchemaVersion(1).setRequestId("demo-stop").setRequester("demo")
            .setStopRecording(StopRecordingRequest.newBuilder().setOutcome(EpisodeOutcome.EPISODE_OUTCOME_DISCARD)
                .setNotes("demo stopped: time limit"))
            .build());
      }
    }
    Dataset.refreshIndex(dir);
    Dataset dataset = Dataset.open(dir);
    DatasetValidation v = dataset.validate();
    List<Path> files = new ArrayList<>();
    int successes = 0;
    for (EpisodeEntry e : dataset.episodes()) {
      files.add(dir.resolve(e.file()));
      if (e.outcome().equals("SUCCESS")) {
        successes++;
      }
    }
    TeleopLatency latency = TeleopLatency.fromEpisodes(files);
    report.recordings(dir, files.size(), successes, v.ok(), v.problemCount(), latency);
    progress.done(String.format(Locale.ROOT, "%d episodes recorded (%d marked successful), validation %s;"
            + " teleop latency capture->applied p50 %.1f ms, p99 %.1f ms over %d frames",
        files.size(), successes, v.ok() ? "ok" : v.problemCount() + " problems", latency.appliedP50Ms(),
        latency.appliedP99Ms(), latency.samples()));
  }

  // ---- stage 3: train a mimicry policy on the recordings ----

  private Path train(DemoReport.Builder report) {
    Path run = options.policyRun();
    progress.begin(3, "training an ACT mimicry policy (" + options.trainSteps() + " steps, image encoder "
        + options.encoder() + ") on " + options.recordings());
    try {
      TrainingReport t = new TrainingRun(options.recordings().toString(), policyConfig(), run)
          .progress(progress.stream()).run();
      report.training(run, t);
      progress.done(String.format(Locale.ROOT, "policy in %s: %d train / %d held-out episodes, %s, %.0f s", run,
          t.trainEpisodes(), t.validationEpisodes(), DemoReport.heldOut(t), t.seconds()));
      return run;
    } catch (Exception e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      report.trainingFailed(why);
      progress.unavailable(3, "training", why);
      return null;
    }
  }

  RunConfig policyConfig() {
    PolicyConfig policy = PolicyConfig.builder()
        .model(ActConfig.builder().dModel(64).heads(4).encoderLayers(2).feedForward(128)
            // the policy bench's best image input: 16 keypoints on the stride-8 map
            .keypoints(new Keypoints(16, Keypoints.NONE.gain(), Keypoints.SCALE)).build())
        .chunk(20).rateHz(50).encoder(options.encoder(), 8)
        .build();
    TrainConfig train = TrainConfig.builder().batchSize(options.batchSize()).steps(options.trainSteps())
        .learningRate(1e-3).validationFraction(0.2).evalEvery(Math.max(1, Math.min(250, options.trainSteps())))
        .checkpointEvery(Math.max(1, options.trainSteps())).seed(options.seed()).threads(2)
        .build();
    return new RunConfig(policy, train);
  }

  // ---- stage 4a: closed-loop evaluation in the simulated task world ----

  private void evaluate(Path run, DemoReport.Builder report) {
    progress.begin(4, "evaluating the policy in closed loop: " + options.evalEpisodes() + " episodes of "
        + options.evalTimeoutS() + " simulated s (the bridge's simulated body, task world and safety supervisor)");
    try {
      PolicyEvaluator.Report r = PolicyEvaluator.evaluate(run, new PolicyEvaluator.Options("optimus", TASK,
          options.evalEpisodes(), options.seed() + 7919, options.evalTimeoutS(), true).withWorld(options.world()),
          progress.stream());
      report.evaluation(r);
      progress.done(String.format(Locale.ROOT, "policy success %d/%d (%.0f%%), %d safety interventions, policy step"
              + " p50 %.2f ms", r.successes(), r.episodes(), 100 * r.successRate(), r.safetyInterventions(),
          r.inference() == null ? Double.NaN : r.inference().policyStepMsP50()));
    } catch (Exception e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      report.evaluationFailed(why);
      progress.unavailable(4, "closed-loop evaluation", why);
    }
  }

  // ---- stage 4b: deployment on the live bridge over MQTT ----

  private void deploy(EmbeddedBroker broker, RobotRig rig, Path run, DemoReport.Builder report) {
    if (options.deployAttempts() == 0) {
      report.deploymentSkipped("--deploy attempts 0");
      return;
    }
    Path dir = options.deployRecordings();
    progress.begin(5, "deploying the policy on '" + ROBOT_ID + "' through its bridge over MQTT: "
        + options.deployAttempts() + " attempt(s) of at most " + options.deploySeconds() + " s, recorded into " + dir);
    // The teleop bridge needed the operator's deadman; the policy drives a simulated body, which the
    // bridge allows unattended. Same robot id, same broker: a restart of the bridge in that mode.
    BridgeConfig config = BridgeConfig.defaults(ROBOT_ID).withTask(TASK, options.seed() + 104729)
        .withRecordDir(dir).withUnattended(true).withSource("command").withWorld(options.world());
    try {
      Files.createDirectories(dir);
      try (RobotBridge bridge = RobotBridge.builder(rig, config)
          .mqtt(credentials.login(broker.url(), BRIDGE_USER, BRIDGE_USER)).start();
          PolicyDeployment dep = PolicyDeployment.start(run, ROBOT_ID,
              credentials.login(broker.url(), POLICY_USER, POLICY_USER + "-" + UUID.randomUUID().toString().substring(0, 8)),
              false,
              null, 0.1)) {
        int successes = 0;
        List<Double> times = new ArrayList<>();
        for (int a = 0; a < options.deployAttempts(); a++) {
          ok(bridge.handle(request().setResetTask(ResetTaskRequest.newBuilder()
              .setSeed(options.seed() * 7777 + a)).build()));
          ok(bridge.handle(request().setStartRecording(StartRecordingRequest.newBuilder().setTask(TASK)
              .setOperatorId("policy").setNotes("demo deployment attempt " + (a + 1))).build()));
          long start = System.nanoTime();
          boolean success = waitFor(() -> worldSuccess(bridge) || !dep.isRunning(), (long) (options.deploySeconds() * 1000));
          success &= worldSuccess(bridge);
          double seconds = (System.nanoTime() - start) / 1e9;
          ok(bridge.handle(request().setStopRecording(StopRecordingRequest.newBuilder()
              .setOutcome(success ? EpisodeOutcome.EPISODE_OUTCOME_SUCCESS : EpisodeOutcome.EPISODE_OUTCOME_FAILURE)
              .setNotes("demo deployment")).build()));
          if (success) {
            successes++;
            times.add(seconds);
          }
          progress.step(String.format(Locale.ROOT, "attempt %d/%d: %s after %.1f s, %d policy steps, %d commands so far",
              a + 1, options.deployAttempts(), success ? "SUCCESS" : "no success", seconds, dep.steps(), dep.commands()));
          if (!dep.isRunning()) {
            throw new IllegalStateException("the deployed policy stopped running");
          }
        }
        report.deployment(dir, options.deployAttempts(), successes, dep.steps(), dep.commands(),
            bridge.supervisor().mode().name());
        progress.done(String.format(Locale.ROOT, "deployment: %d/%d attempts succeeded, %d commands through the bridge",
            successes, options.deployAttempts(), dep.commands()));
      }
    } catch (Exception e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      report.deploymentFailed(why);
      progress.unavailable(5, "deployment", why);
    }
  }

  private static boolean worldSuccess(RobotBridge bridge) {
    synchronized (bridge.world()) {
      return bridge.world().success();
    }
  }

  private static ControlRequest.Builder request() {
    return ControlRequest.newBuilder().setSchemaVersion(1).setRequestId(UUID.randomUUID().toString())
        .setRequester("demo").setStamp(Stamps.now());
  }

  private static void ok(ControlReply r) {
    if (!r.getOk()) {
      throw new IllegalStateException("bridge refused a control request: " + r.getMessage());
    }
  }

  /** Polls until {@code condition} holds or {@code timeoutMs} passes; says whether it held. */
  static boolean waitFor(BooleanSupplier condition, long timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      LockSupport.parkNanos(20_000_000L);
    }
    return true;
  }
}

package io.optimus.policy.deploy;

import io.optimus.bridge.control.PolicyObservation;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.common.FramePacer;
import io.optimus.common.InputException;
import io.optimus.common.Stamps;
import io.optimus.policy.runtime.LearnedPolicy;
import io.optimus.proto.v1.BridgeStatus;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.JointCommand;
import io.optimus.proto.v1.JointInfo;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.RobotDescription;
import io.optimus.proto.v1.SetActionSourceRequest;
import io.optimus.proto.v1.ShadowPrediction;
import io.optimus.proto.v1.TaskState;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trained policy on a live robot over MQTT. It reads the robot's description, state and head
 * camera, steps at the policy's rate on its own thread, and either drives the robot (asks the bridge
 * for the "command" source and publishes {@link JointCommand}s, which the bridge's safety supervisor
 * still checks) or, in shadow mode, only watches: it asks the bridge for a shadow
 * ({@code set_action_source{shadow: true}}), publishes each predicted target on the robot's shadow
 * topic (the bridge records it every tick beside the human's command, and its triggers cut clips; it
 * never actuates it), and logs the disagreement per step and per recorded episode (by episode id).
 */
public final class PolicyDeployment implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyDeployment.class);
  /** How long to wait for the robot's description and for answers to control requests. */
  public static final long DEFAULT_WAIT_MS = 10_000;

  private final String robotId;
  private final boolean shadow;
  private final MqttEndpoint mqtt;
  private final LearnedPolicy policy;
  private final ShadowLog shadowLog;
  private final int[] policyIndex;
  private final AtomicReference<JointState> state = new AtomicReference<>();
  private final AtomicReference<CameraFrame> camera = new AtomicReference<>();
  private final AtomicReference<TaskState> task = new AtomicReference<>();
  private final AtomicReference<BridgeStatus> status = new AtomicReference<>();
  private final String previousSource;
  private volatile boolean running = true;
  private final Thread thread;
  private final long waitMs;
  private long commands;
  private long steps;

  private PolicyDeployment(String robotId, boolean shadow, MqttEndpoint mqtt, LearnedPolicy policy, ShadowLog log,
      RobotDescription description, String previousSource, long waitMs) {
    this.robotId = robotId;
    this.waitMs = waitMs;
    this.shadow = shadow;
    this.mqtt = mqtt;
    this.policy = policy;
    this.shadowLog = log;
    this.previousSource = previousSource;
    List<String> robotJoints = description.getJointsList().stream().map(JointInfo::getName).toList();
    List<String> names = policy.trained().meta().joints().names();
    policyIndex = names.stream().mapToInt(robotJoints::indexOf).toArray();
    this.thread = Thread.ofPlatform().daemon().name("policy-deploy-" + robotId).unstarted(this::run);
  }

  /**
   * Connects, loads the policy for the robot's joints and starts stepping.
   *
   * @param shadowDir where shadow mode logs (ignored unless {@code shadow})
   * @param flagThreshold mean disagreement (rad) above which a shadow episode is flagged
   */
  public static PolicyDeployment start(Path run, String robotId, MqttSettings settings, boolean shadow, Path shadowDir,
      double flagThreshold) {
    return start(run, robotId, settings, shadow, shadowDir, flagThreshold, DEFAULT_WAIT_MS);
  }

  /** As above, waiting at most {@code waitMs} for the robot's description and replies. */
  public static PolicyDeployment start(Path run, String robotId, MqttSettings settings, boolean shadow, Path shadowDir,
      double flagThreshold, long waitMs) {
    Topics.checkId("robot", robotId);
    MqttEndpoint mqtt = MqttEndpoint.connect(settings);
    LearnedPolicy policy = null;
    try {
      CompletableFuture<RobotDescription> desc = new CompletableFuture<>();
      mqtt.subscribe(Topics.description(robotId), MqttEndpoint.QOS_RELIABLE, RobotDescription.parser(),
          (t, d) -> desc.complete(d));
      CompletableFuture<BridgeStatus> status = new CompletableFuture<>();
      AtomicReference<PolicyDeployment> made = new AtomicReference<>();
      mqtt.subscribe(Topics.status(robotId), MqttEndpoint.QOS_RELIABLE, BridgeStatus.parser(), (t, s) -> {
        status.complete(s);
        PolicyDeployment dep = made.get();
        if (dep != null) {
          dep.status.set(s);
        }
      });
      RobotDescription d;
      try {
        d = desc.get(waitMs, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new InputException("robot '" + robotId + "': no description on " + Topics.description(robotId) + " within "
            + waitMs / 1000.0 + " s (is its bridge running on " + settings.serverUri() + "?)");
      }
      int cameraSize = d.getCamerasCount() > 0 ? (int) d.getCameras(0).getWidth() : 96;
      policy = LearnedPolicy.load(run, d.getJointsList().stream().map(JointInfo::getName).toList(), cameraSize, true,
          true).clampTo(d);
      List<String> robotCameras = d.getCamerasList().stream().map(io.optimus.proto.v1.CameraInfo::getName).toList();
      for (String c : policy.cameras()) {
        // a description without cameras says nothing of them (cameras off); one that lists them must list ours
        if (policy.trained().layout().featureShape() != null && !robotCameras.isEmpty() && !robotCameras.contains(c)) {
          policy.close();
          throw new InputException("policy " + run + " sees camera " + c + ", robot '" + robotId + "' has cameras "
              + robotCameras);
        }
      }
      BridgeStatus s = status.getNow(null);
      ShadowLog log = shadow ? new ShadowLog(shadowDir, policy.trained().meta().joints(), flagThreshold) : null;
      PolicyDeployment dep = new PolicyDeployment(robotId, shadow, mqtt, policy, log, d, s == null ? "" : s.getActionSource(),
          waitMs);
      dep.status.set(s);
      made.set(dep);
      mqtt.subscribe(Topics.state(robotId), MqttEndpoint.QOS_STREAM, JointState.parser(), (t, js) -> dep.state.set(js));
      mqtt.subscribe(Topics.camera(robotId, "head"), MqttEndpoint.QOS_STREAM, CameraFrame.parser(),
          (t, f) -> dep.camera.set(f));
      for (String c : policy.cameras()) { // the wrists' frames, as the bridge publishes them (the head's: above)
        if (!c.equals("head")) {
          mqtt.subscribe(Topics.camera(robotId, c), MqttEndpoint.QOS_STREAM, CameraFrame.parser(),
              (t, f) -> dep.policy.offer(f));
        }
      }
      mqtt.subscribe(Topics.task(robotId), MqttEndpoint.QOS_STREAM, TaskState.parser(), (t, ts) -> dep.task.set(ts));
      if (shadow) {
        dep.request(dep.shadowName(), true);
      } else {
        dep.request("command", false);
      }
      dep.thread.start();
      LOG.info("policy {} deployed on {} ({})", run, robotId, shadow ? "shadow" : "driving");
      return dep;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(policy, mqtt);
      throw new IllegalStateException("interrupted while deploying", e);
    } catch (java.util.concurrent.ExecutionException e) {
      closeQuietly(policy, mqtt);
      throw new IllegalStateException(e.getCause());
    } catch (RuntimeException e) {
      closeQuietly(policy, mqtt);
      throw e;
    }
  }

  private static void closeQuietly(LearnedPolicy p, MqttEndpoint m) {
    if (p != null) {
      p.close();
    }
    m.close();
  }

  /** How the bridge names this policy's shadow: "policy:NAME" (characters a source name allows). */
  String shadowName() {
    return "policy:" + policy.name().replaceAll("[^A-Za-z0-9_.:@+-]", "_");
  }

  /** Asks the bridge to switch its action source (or its shadow); fails naming the bridge's reason. */
  private void request(String source, boolean asShadow) throws InterruptedException {
    String id = UUID.randomUUID().toString();
    CompletableFuture<ControlReply> reply = new CompletableFuture<>();
    mqtt.subscribe(Topics.controlReply(robotId), MqttEndpoint.QOS_RELIABLE, ControlReply.parser(), (t, r) -> {
      if (r.getRequestId().equals(id)) {
        reply.complete(r);
      }
    });
    ControlRequest req = ControlRequest.newBuilder().setSchemaVersion(1).setRequestId(id)
        .setRequester("policy-deploy").setStamp(Stamps.now())
        .setSetActionSource(SetActionSourceRequest.newBuilder().setSource(source).setShadow(asShadow)).build();
    mqtt.publishAndWait(Topics.control(robotId), req, MqttEndpoint.QOS_RELIABLE, false);
    try {
      ControlReply r = reply.get(waitMs, TimeUnit.MILLISECONDS);
      if (!r.getOk()) {
        throw new InputException("robot '" + robotId + "' refused " + (asShadow ? "shadow" : "action source") + " '"
            + source + "': " + r.getMessage());
      }
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("robot '" + robotId + "' did not answer the action-source request within "
          + waitMs / 1000.0 + " s");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private void run() {
    FramePacer pacer = new FramePacer(Math.max(1, policy.rateHz()));
    int dof = -1;
    double[] target = null;
    float[] mine = new float[policyIndex.length];
    double[] human = new double[policyIndex.length];
    boolean engaged = false;
    String segment = null;
    long predictions = 0;
    String shadowName = shadow ? shadowName() : "";
    long lastSeq = -1;
    try {
      while (pacer.awaitWhile(() -> running, () -> false) >= 0) {
        JointState s = state.get();
        if (s != null && s.getSequence() != lastSeq && s.getPositionCount() > 0) {
          lastSeq = s.getSequence();
          if (dof != s.getPositionCount()) {
            dof = s.getPositionCount();
            target = new double[dof];
          }
          boolean nowEngaged = s.getMode() == ControlMode.CONTROL_MODE_ENGAGED;
          if (nowEngaged && !engaged) {
            policy.reset();
          }
          engaged = nowEngaged;
          if (shadowLog != null) { // a shadow episode: an engaged span within one recording (or none)
            BridgeStatus st = status.get();
            String key = !engaged ? null : st == null || st.getEpisodeId().isEmpty() ? "" : st.getEpisodeId();
            if (!java.util.Objects.equals(key, segment)) {
              if (segment != null) {
                report(shadowLog.end());
              }
              if (key != null) {
                shadowLog.begin(key, Stamps.wallNanos());
              }
              segment = key;
            }
          }
          double[] cmd = toArray(s.getCommandedPositionCount() == dof ? s.getCommandedPositionList() : s.getPositionList());
          PolicyObservation obs = new PolicyObservation(s.getStamp().getMonotonicNs(), toArray(s.getPositionList()),
              s.getVelocityCount() == dof ? toArray(s.getVelocityList()) : new double[dof], cmd, camera.get(), task.get());
          policy.act(obs, target);
          steps++;
          if (shadow) {
            if (engaged) {
              for (int i = 0; i < policyIndex.length; i++) {
                mine[i] = (float) target[policyIndex[i]];
                human[i] = cmd[policyIndex[i]];
              }
              shadowLog.step(s.getStamp().getMonotonicNs(), mine, human);
            }
            ShadowPrediction.Builder p = ShadowPrediction.newBuilder().setSchemaVersion(1).setRobotId(robotId)
                .setSequence(++predictions).setStamp(Stamps.now()).setSource(shadowName)
                .setStateSequence(s.getSequence()).setUncertainty(policy.uncertainty());
            for (double v : target) {
              p.addPosition(v);
            }
            mqtt.publishStream(Topics.shadow(robotId), p.build());
          } else {
            JointCommand.Builder c = JointCommand.newBuilder().setSchemaVersion(1).setRobotId(robotId)
                .setSequence(++commands).setStamp(Stamps.now()).setSource("policy:" + policy.name());
            for (double v : target) {
              c.addPosition(v);
            }
            mqtt.publishStream(Topics.command(robotId), c.build());
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.error("policy deployment on {} failed; it stops commanding", robotId, e);
      running = false;
    }
  }

  private static void report(ShadowLog.Episode e) {
    if (e != null) {
      LOG.info("shadow episode {}: {} steps, mean disagreement {} rad{}", e.episodeId(), e.steps(),
          String.format("%.4f", e.meanDisagreement()), e.flagged() ? " (FLAGGED: worth learning from)" : "");
    }
  }

  private static double[] toArray(List<Double> l) {
    double[] a = new double[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    return a;
  }

  public boolean isRunning() {
    return running && thread.isAlive();
  }

  public long steps() {
    return steps;
  }

  public long commands() {
    return commands;
  }

  public ShadowLog shadowLog() {
    return shadowLog;
  }

  public LearnedPolicy policy() {
    return policy;
  }

  /** Stops stepping; a driving deployment hands the robot back to its previous action source. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (shadowLog != null) {
      report(shadowLog.end());
    }
    if (shadow) {
      try {
        request("off", true); // the bridge stops recording a shadow that is gone
      } catch (RuntimeException | InterruptedException e) {
        LOG.warn("could not end the shadow on {}: {}", robotId, e.toString());
      }
    }
    if (!shadow && !previousSource.isEmpty() && !previousSource.equals("command")) {
      try {
        request(previousSource, false);
      } catch (RuntimeException | InterruptedException e) {
        LOG.warn("could not restore action source '{}' on {}: {}", previousSource, robotId, e.toString());
      }
    }
    policy.close();
    mqtt.close();
  }
}

package io.optimus.policy.torchscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.motion.model.RobotRig;
import io.optimus.policy.deploy.PolicyDeployment;
import io.optimus.policy.eval.PolicyEvaluator;
import io.optimus.proto.v1.JointInfo;
import io.optimus.proto.v1.RobotDescription;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An imported TorchScript policy deployed like a trained one: over a real (embedded HiveMQ) broker it
 * drives a real bridge through the bridge's command source and safety supervisor.
 */
class ImportedPolicyDeploymentTest {
  @TempDir Path dir;

  @Test
  void drivesABridgeOverMqtt() throws Exception {
    TracedPolicies.python();
    RobotRig rig = PolicyEvaluator.rig("optimus");
    RobotDescription robot = rig.describe("deploy-test", 250, 10);
    List<String> joints = robot.getJointsList().stream().map(JointInfo::getName).toList();
    double[] home = rig.home();
    int n = joints.size();
    float[] mean = new float[n];
    float[] std = new float[n];
    float[] target = new float[n];
    int elbow = -1;
    for (int i = 0; i < n; i++) {
      mean[i] = (float) home[i];
      std[i] = 0.1f;
      target[i] = (float) home[i];
      if (elbow < 0 && joints.get(i).contains("elbow")) {
        elbow = i;
      }
    }
    assertTrue(elbow >= 0, "an elbow joint in " + joints);
    target[elbow] += 0.3f; // the policy's mean action bends one elbow: motion the test can see
    Path stats = TracedPolicies.stats(dir.resolve("stats.json"), mean, std, target, std);
    Path traced = TracedPolicies.trace(dir.resolve("traced"), List.of("--joints", String.join(",", joints),
        "--stats", stats.toString(), "--chunk", "10", "--image", rig.cameraHeight() + "x" + rig.cameraWidth(),
        "--n-action-steps", "5"));
    Path run = dir.resolve("run");
    TorchScriptImport.run(traced.resolve("model.pt"), traced.resolve("spec.json"), run, robot, "optimus");

    try (EmbeddedBroker broker = EmbeddedBroker.start(EmbeddedBroker.freePort("127.0.0.1"));
        RobotBridge bridge = RobotBridge.builder(rig, BridgeConfig.defaults("ts-bot").withUnattended(true)
            .withSource("command")).mqtt(MqttSettings.of(broker.url(), "bridge-ts-bot")).start();
        PolicyDeployment dep = PolicyDeployment.start(run, "ts-bot", MqttSettings.of(broker.url(), "policy-ts"), false,
            null, 0.1)) {
      double[] q = new double[rig.dof()];
      int e = elbow;
      long deadline = System.nanoTime() + 20_000_000_000L;
      double start = home[e];
      while (System.nanoTime() < deadline) {
        bridge.loop().snapshot(q);
        if (dep.commands() > 5 && Math.abs(q[e] - start) > 0.05) {
          break;
        }
        Thread.sleep(20);
      }
      assertTrue(dep.commands() > 5, "the imported policy published commands: " + dep.commands());
      assertTrue(Math.abs(q[e] - start) > 0.05, joints.get(e) + " moved toward the policy's target: " + q[e]
          + " from " + start);
      assertEquals("command", bridge.loop().source().name());
    }
  }
}

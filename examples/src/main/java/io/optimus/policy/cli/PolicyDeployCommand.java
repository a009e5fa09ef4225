package io.optimus.policy.cli;

import io.optimus.cli.MqttOptions;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.policy.deploy.PolicyDeployment;
import io.optimus.cli.JoinsRunningBroker;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code optimus policy deploy}: a trained policy drives (or shadows) a robot over MQTT. */
@Command(name = "deploy", mixinStandardHelpOptions = true, modelTransformer = JoinsRunningBroker.class,
    description = {"Run a trained policy on a robot over MQTT, through its bridge and safety supervisor.",
        "With --shadow it never commands: it runs beside the human operator, logs its per-step disagreement"
            + " with the human's commands and flags high-disagreement episodes (the ones worth learning from)."})
public final class PolicyDeployCommand implements Callable<Integer> {
  @Option(names = "--run", required = true, paramLabel = "RUN", description = "Trained policy run directory.")
  Path run;

  @Option(names = "--robot-id", required = true, paramLabel = "ID", description = "The robot (its bridge's robot id).")
  String robotId;

  /** The bridge's broker options (--broker, --username, --password-env, --ca, --insecure-hostname). */
  @Mixin MqttOptions mqtt;

  @Option(names = "--shadow", description = "Watch only: compare with the human operator, never command.")
  boolean shadow;

  @Option(names = "--shadow-dir", paramLabel = "DIR",
      description = "Where shadow mode logs (default: RUN/shadow/ID-<time>).")
  Path shadowDir;

  @Option(names = "--flag-threshold", defaultValue = "0.1", paramLabel = "RAD",
      description = "Mean disagreement per joint above which a shadow episode is flagged (default: ${DEFAULT-VALUE}).")
  double flagThreshold;

  @Option(names = "--duration", defaultValue = "0", paramLabel = "S",
      description = "Stop after this many seconds (0: run until interrupted).")
  double duration;

  @Override
  public Integer call() throws Exception {
    // One intra-op thread: a small policy gains nothing from more, and the cost per step stays on this thread.
    io.optimus.policy.EngineThreads.configure(io.optimus.policy.EngineThreads.INFERENCE);
    if (duration < 0) {
      throw new InputException("--duration must be >= 0, got " + duration);
    }
    String broker = mqtt.broker() == null ? JoinsRunningBroker.DEFAULT_BROKER : mqtt.broker();
    MqttSettings settings = mqtt.settings(broker, "policy-" + robotId + "-" + ProcessHandle.current().pid());
    Path dir = shadowDir != null ? shadowDir
        : run.resolve("shadow").resolve(robotId + "-" + java.time.Instant.now().toString().replace(':', '-'));
    PolicyDeployment dep = PolicyDeployment.start(run, robotId, settings, shadow, dir, flagThreshold);
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      dep.close();
    });
    Runtime.getRuntime().addShutdownHook(hook);
    System.err.println("policy " + run.getFileName() + (shadow ? " shadowing " : " driving ") + robotId + " on " + broker
        + (duration > 0 ? " for " + duration + " s" : " (Ctrl-C to stop)"));
    long deadline = duration > 0 ? System.nanoTime() + (long) (duration * 1e9) : Long.MAX_VALUE;
    while (dep.isRunning() && System.nanoTime() < deadline && !stop.await(200, TimeUnit.MILLISECONDS)) {
      // wait
    }
    boolean failed = !dep.isRunning() && stop.getCount() > 0;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      return 0;
    }
    dep.close();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("run", run.toString());
    out.put("robotId", robotId);
    out.put("mode", shadow ? "shadow" : "drive");
    out.put("policySteps", dep.steps());
    out.put("commandsSent", dep.commands());
    if (shadow) {
      out.put("shadowLog", dir.toString());
      out.put("episodes", dep.shadowLog().episodes());
      out.put("flagged", dep.shadowLog().episodes().stream().filter(e -> e.flagged()).map(e -> e.episodeId()).toList());
    }
    System.out.println(Json.write(out));
    return failed ? 1 : 0;
  }
}

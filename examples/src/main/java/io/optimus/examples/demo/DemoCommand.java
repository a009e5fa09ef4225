package io.optimus.examples.demo;

import io.optimus.cli.WorldOption;
import io.optimus.common.InputException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code optimus demo}: the whole loop in one command. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the whole loop: embedded MQTT broker, simulated 'optimus' robot bridge on pick-and-place,",
        "scripted VR operator over MQTT recording demonstrations (MCAP), training a mimicry policy on them,",
        "closed-loop evaluation, and deployment of the policy on the robot through its bridge.",
        "Progress per stage on stderr; the report on stdout and in OUT/report.json.",
        "Default run: 30 demonstrations, about 11 minutes on 2 cores (at most 15). --quick: 4 demonstrations, a short",
        "training run, about 3 minutes; its success rates are not meaningful.",
        "Module logs are kept at WARN (RobotBridge and MqttEndpoint at ERROR); for all of them:",
        "  OPTIMUS_JAVA_OPTS=-Dorg.slf4j.simpleLogger.log.io.optimus=info ./optimus demo"})
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--quick", description = "A smaller run (minutes): fewer demonstrations, a short training run.")
  boolean quick;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "optimus-demo",
      description = "Output folder for recordings, policy and report (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--demos", paramLabel = "N", description = "Demonstrations to record (default 20, --quick 4).")
  Integer demos;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
      description = "Seed of task layouts, the scripted operator and training (default ${DEFAULT-VALUE}).")
  long seed;

  @Mixin WorldOption world;

  @Override
  public Integer call() throws Exception {
    quietLibraryLogs();
    DemoOptions o = quick ? DemoOptions.quick(out) : DemoOptions.standard(out);
    if (demos != null) {
      o = o.withDemos(demos);
    }
    o = o.withSeed(seed).withWorld(world.name());
    if (java.nio.file.Files.exists(out) && !java.nio.file.Files.isDirectory(out)) {
      throw new InputException("--out " + out + ": exists and is not a folder");
    }
    if (java.nio.file.Files.isDirectory(o.recordings())) {
      try (var s = java.nio.file.Files.list(o.recordings())) {
        if (s.anyMatch(p -> p.toString().endsWith(".mcap"))) {
          throw new InputException("--out " + out + ": already holds a demo run (recordings/*.mcap); pick another"
              + " folder or remove it");
        }
      }
    }
    if (quick) {
      System.err.println("optimus demo: QUICK run (" + o.demos() + " demonstrations, " + o.trainSteps()
          + " training steps, " + o.evalEpisodes() + " evaluation episodes): a smaller run to see the loop work;"
          + " drop --quick for the full one");
    }
    DemoReport r = new DemoPipeline(o, System.err).run();
    System.out.print(r.render());
    System.out.flush();
    boolean allRan = r.training().status().equals(DemoReport.OK) && r.evaluation().status().equals(DemoReport.OK)
        && r.deployment().status().equals(DemoReport.OK);
    return allRan ? 0 : 1;
  }

  /**
   * The demo reports per stage itself; the modules' INFO logs and the safety supervisor's per-event
   * warnings (counted in the report) would bury that. Explicit -D settings win.
   */
  static void quietLibraryLogs() {
    quiet("io.optimus", "warn");
    quiet("io.optimus.bridge.RobotBridge", "error");
    quiet("io.optimus.bridge.mqtt.MqttEndpoint", "error");
    quiet("ai.djl", "error");
  }

  private static void quiet(String logger, String level) {
    String key = "org.slf4j.simpleLogger.log." + logger;
    if (System.getProperty(key) == null) {
      System.setProperty(key, level);
    }
  }
}

package io.optimus.bridge.control;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.safety.CapsuleCollisionGuard;
import io.optimus.bridge.safety.JointLimitTable;
import io.optimus.bridge.safety.SafetyConfig;
import io.optimus.bridge.safety.SafetySupervisor;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.JointCommand;

/**
 * Coverage-guided fuzzing of the bridge's command path (Jazzer), in the bridge's order: the payload of
 * {@code .../command} parses ({@code JointCommand.parser().parseFrom}, garbage is dropped), a command
 * for another robot is refused, {@link CommandActionSource} makes it the target and the {@link
 * SafetySupervisor} (engaged, optimus joint limits and self-collision guard) tracks it for a few
 * control ticks. Properties: nothing throws, and whatever the commands say, every commanded position
 * is finite, inside the joint's position limits and at most one velocity-limited step from the
 * previous one. One input is a sequence of delimited payloads ({@link FuzzPayloads}). Seeds and kept
 * findings: {@code src/test/resources/io/optimus/bridge/control/JointCommandFuzzTestInputs/commands/}.
 */
class JointCommandFuzzTest {
  static final String ROBOT = "fuzz-bot";
  private static final RobotRig RIG = new RobotRig(Robots.load("optimus"));
  private static final JointLimitTable LIMITS =
      new JointLimitTable(RIG.describe(ROBOT, 250, 0).getJointsList(), SafetyConfig.DEFAULT);
  private static final double DT = 0.004;
  private static final int TICKS_PER_COMMAND = 3;

  @FuzzTest(maxDuration = "25s")
  void commands(byte[] input) {
    double[] home = RIG.home();
    SafetySupervisor supervisor = new SafetySupervisor(ROBOT, LIMITS, SafetyConfig.DEFAULT, home, home);
    supervisor.setCollisionGuard(new CapsuleCollisionGuard(RIG, 0.01));
    CommandActionSource source = new CommandActionSource(RIG.dof());
    ControlContext ctx = new ControlContext();
    double[] target = new double[RIG.dof()];
    double[] command = home.clone();
    double[] previous = new double[RIG.dof()];
    ctx.commanded = command;
    long now = 1_000_000_000L;
    supervisor.engageUnattended(now, "fuzz");
    for (byte[] payload : FuzzPayloads.split(input)) {
      JointCommand c;
      try {
        c = JointCommand.parser().parseFrom(payload);
      } catch (InvalidProtocolBufferException garbage) {
        continue; // counted and logged by MqttEndpoint, never delivered
      }
      if (!c.getRobotId().isEmpty() && !c.getRobotId().equals(ROBOT)) {
        continue; // refused by the bridge (InputException)
      }
      source.offer(c);
      for (int t = 0; t < TICKS_PER_COMMAND; t++) {
        now += (long) (DT * 1e9);
        ctx.nowNs = now;
        ctx.dt = DT;
        System.arraycopy(command, 0, previous, 0, command.length);
        boolean fresh = source.target(ctx, target);
        supervisor.tick(now, DT, fresh ? target : null, command);
        for (int i = 0; i < command.length; i++) {
          double q = command[i];
          double step = Math.abs(q - previous[i]);
          String joint = LIMITS.name(i);
          double lower = LIMITS.lower(i);
          double upper = LIMITS.upper(i);
          double vmax = LIMITS.velocity(i);
          assertTrue(Double.isFinite(q), () -> joint + " commanded to " + q);
          assertTrue(q >= lower && q <= upper, () -> joint + " commanded to " + q + " outside [" + lower + ", " + upper + "]");
          assertTrue(step <= vmax * DT * (1 + 1e-9) + 1e-12,
              () -> joint + " stepped " + step + " in one tick (velocity limit " + vmax + " rad/s)");
        }
      }
    }
  }
}

package io.optimus.policy.cli;

import io.optimus.cli.RobotOption;
import io.optimus.common.Json;
import io.optimus.motion.model.RobotRig;
import io.optimus.policy.torchscript.TorchScriptImport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code optimus policy import}: a policy traced elsewhere (LeRobot, PyTorch) becomes a run eval and deploy accept. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Import a traced PyTorch policy (TorchScript) and its spec.json into a run directory that"
        + " 'policy eval' and 'policy deploy' accept.",
        "Checks the joints against the robot, loads the model, runs one forward pass (output shape, no NaN) and"
            + " copies model, spec and statistics with a SHA-256 manifest into OUT. The contract:"
            + " docs/torchscript-policies.md. Prints JSON."})
public final class PolicyImportCommand implements Callable<Integer> {
  @Option(names = "--torchscript", required = true, paramLabel = "MODEL.pt", description = "The traced model (torch.jit.save).")
  Path model;

  @Option(names = "--spec", required = true, paramLabel = "spec.json", description = "Inputs, output, joint names, normalization, fps.")
  Path spec;

  @Option(names = "--out", required = true, paramLabel = "RUN", description = "The run directory to create (new or empty).")
  Path out;

  @Mixin RobotOption robot;

  @Override
  public Integer call() {
    RobotRig rig = new RobotRig(robot.load());
    // the description a bridge publishes for this robot (joints, head camera), as eval and deploy see it
    var description = rig.describe("import", 250, 10);
    TorchScriptImport.Result r = TorchScriptImport.run(model, spec, out, description, robot.spec());
    System.out.println(Json.write(r));
    return 0;
  }
}

package io.optimus.policy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The policy subcommands as the CLI runs them (errors surface as InputException for exit code 2). */
class PolicyCommandTest {
  @TempDir Path tmp;

  static CommandLine cli() {
    CommandLine c = new CommandLine(new PolicyCommand());
    c.setExecutionExceptionHandler((ex, line, parse) -> {
      throw ex;
    });
    return c;
  }

  static int train(String... args) throws Exception {
    return CommandLine.populateCommand(new PolicyTrainCommand(), args).call();
  }

  @Test
  void trainsFromTheCommandLineAndPrintsTheReport() throws Exception {
    Path config = tmp.resolve("c.json");
    Files.writeString(config, """
        {"kind": "mlp", "steps": 20, "chunk": 5, "hidden": 32, "layers": 1, "batchSize": 16,
         "encoder": "pixels:4", "mlpUseImage": true, "threads": 1, "evalEvery": 10}
        """);
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true));
      code = cli().execute("train", "--dataset", "synthetic:6", "--config", config.toString(), "--out",
          tmp.resolve("run").toString(), "--quiet");
    } finally {
      System.setOut(old);
    }
    assertEquals(0, code);
    JsonNode report = Json.MAPPER.readTree(out.toString());
    assertEquals(20, report.get("steps").asInt());
    assertTrue(report.get("heldOut").get("perGroup").has("arm"), report.toString());
    assertTrue(Files.isRegularFile(tmp.resolve("run/loss.png")));
    assertTrue(Files.readString(tmp.resolve("run/report.html")).contains("curves.json"), "the run's report");
  }

  @Test
  void badInputIsAnInputExceptionNamingIt() throws Exception {
    Path config = tmp.resolve("c.json");
    Files.writeString(config, "{\"kind\": \"mlp\", \"steps\": 2}");
    InputException missing = assertThrows(InputException.class, () -> train("--dataset",
        tmp.resolve("absent").toString(), "--config", config.toString(), "--out", tmp.resolve("r").toString()));
    assertTrue(missing.getMessage().contains("absent"), missing.getMessage());
    InputException badConfig = assertThrows(InputException.class, () -> train("--dataset",
        "synthetic:4", "--config", tmp.resolve("nope.json").toString(), "--out", tmp.resolve("r").toString()));
    assertTrue(badConfig.getMessage().contains("nope.json"), badConfig.getMessage());
    InputException noRun = assertThrows(InputException.class, () -> CommandLine.populateCommand(new PolicyEvalCommand(),
        "--run", tmp.resolve("norun").toString(), "--episodes", "1").call());
    assertTrue(noRun.getMessage().contains("norun"), noRun.getMessage());
    InputException badTask = assertThrows(InputException.class, () -> CommandLine.populateCommand(new PolicyEvalCommand(),
        "--run", tmp.resolve("norun").toString(), "--task", "juggle").call());
    assertEquals("task 'juggle' is unknown: expected one of [pick-place, stack, handover]", badTask.getMessage(),
        "the task is checked first, in one line");
    assertEquals(2, cli().execute("eval"), "missing --run is a usage error");
  }
}

package io.optimus.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandsTest {
  /** Runs a command in-process, capturing stdout; exceptions propagate (the optimus CLI maps them). */
  static String run(Object command, String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      CommandLine cli = new CommandLine(command);
      cli.setExecutionExceptionHandler((ex, line, parse) -> {
        throw ex;
      });
      int code = cli.execute(args);
      assertEquals(0, code, "exit code");
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void bridgeRunsWithItsOwnBrokerForAWhileAndStopsCleanly() {
    String url = io.optimus.bridge.testing.Brokers.embedded().url(); // the in-process path is the same broker class
    String out = run(new BridgeCommand(), "--robot-id", "cli1", "--broker", url, "--duration", "1.5",
        "--camera-rate", "0");
    assertTrue(out.startsWith("bridge cli1 on " + url + " (optimus, "), out);
  }

  @Test
  void bridgeRunsOnThePhysicsWorld() {
    String url = io.optimus.bridge.testing.Brokers.embedded().url();
    String out = run(new BridgeCommand(), "--robot-id", "cli2", "--broker", url, "--duration", "1.5",
        "--camera-rate", "0", "--world", "physics");
    assertTrue(out.startsWith("bridge cli2 on " + url + " (optimus, "), out);
    assertTrue(out.contains("physics world"), out);
  }

  @Test
  void badBenchArgumentsAreNamed() {
    TeleopLatencyCommand a = new TeleopLatencyCommand();
    new CommandLine(a).parseArgs("--robots", "0");
    InputException e = assertThrows(InputException.class, a::call);
    assertTrue(e.getMessage().contains("--robots 0"), e.getMessage());
    TeleopLatencyCommand b = new TeleopLatencyCommand();
    new CommandLine(b).parseArgs("--brokers", "rabbitmq");
    e = assertThrows(InputException.class, b::call);
    assertTrue(e.getMessage().contains("rabbitmq"), e.getMessage());
    EstopLatencyCommand d = new EstopLatencyCommand();
    new CommandLine(d).parseArgs("--estops", "0");
    e = assertThrows(InputException.class, d::call);
    assertTrue(e.getMessage().contains("--estops 0"), e.getMessage());
    EstopLatencyCommand f = new EstopLatencyCommand();
    new CommandLine(f).parseArgs("--loads", "storm");
    e = assertThrows(InputException.class, f::call);
    assertTrue(e.getMessage().contains("storm"), e.getMessage());
    BridgeCommand c = new BridgeCommand();
    new CommandLine(c).parseArgs("--robot-id", "x", "--broker", "http://nope");
    e = assertThrows(InputException.class, c::call);
    assertTrue(e.getMessage().contains("http://nope"), e.getMessage());
  }
}

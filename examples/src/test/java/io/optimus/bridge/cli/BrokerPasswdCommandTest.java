package io.optimus.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.mqtt.auth.BrokerUser;
import io.optimus.bridge.mqtt.auth.PasswordFile;
import io.optimus.bridge.mqtt.auth.Role;
import io.optimus.common.InputException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BrokerPasswdCommandTest {
  @TempDir
  Path dir;

  private void passwd(String stdin, String... args) {
    BrokerPasswdCommand c = new BrokerPasswdCommand();
    c.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    new CommandLine(c).parseArgs(args);
    c.call();
  }

  @Test
  void addUpdateDeleteRoundTrip() throws Exception {
    Path f = dir.resolve("passwd");
    passwd("alice-pw\n", f.toString(), "alice", "--role", "operator", "--robots", "r1,r2", "--iterations", "1000");
    passwd("b1-pw\n", f.toString(), "bridge-r1", "--role", "bridge", "--robots", "r1", "--iterations", "1000");
    BrokerUser alice = PasswordFile.read(f).get("alice").orElseThrow();
    assertEquals(Role.OPERATOR, alice.role());
    assertEquals(List.of("r1", "r2"), alice.robots());
    assertTrue(alice.password().matches("alice-pw".toCharArray()));
    assertEquals(1000, alice.password().iterations());
    assertFalse(Files.readString(f).contains("alice-pw"), "the password itself is never stored");

    passwd("new-pw\n", f.toString(), "alice"); // keeps role and robots, default iterations
    alice = PasswordFile.read(f).get("alice").orElseThrow();
    assertEquals(List.of("r1", "r2"), alice.robots());
    assertTrue(alice.password().matches("new-pw".toCharArray()));
    assertFalse(alice.password().matches("alice-pw".toCharArray()));

    passwd("", f.toString(), "alice", "--delete");
    assertTrue(PasswordFile.read(f).get("alice").isEmpty());
    assertTrue(PasswordFile.read(f).get("bridge-r1").isPresent());
  }

  @Test
  void badRequestsAreNamed() {
    Path f = dir.resolve("passwd");
    InputException e = assertThrows(InputException.class, () -> passwd("pw\n", f.toString(), "carol"));
    assertEquals("new user carol needs --role and --robots", e.getMessage());
    e = assertThrows(InputException.class, () -> passwd("", f.toString(), "carol", "--role", "observer", "--robots", "*"));
    assertTrue(e.getMessage().startsWith("no password"), e.getMessage());
    e = assertThrows(InputException.class, () -> passwd("pw\n", f.toString(), "carol", "--role", "pilot", "--robots", "r1"));
    assertTrue(e.getMessage().contains("role 'pilot' is unknown"), e.getMessage());
    e = assertThrows(InputException.class, () -> passwd("pw\n", f.toString(), "carol", "--role", "observer",
        "--robots", "*", "--password-env", "OPTIMUS_TEST_SURELY_UNSET_VAR"));
    assertTrue(e.getMessage().contains("OPTIMUS_TEST_SURELY_UNSET_VAR"), e.getMessage());
    assertFalse(Files.exists(f), "nothing written on a refused request");
  }

  /** The broker command refuses an open non-loopback listener before starting anything (exit 2 in optimus). */
  @Test
  void brokerRefusesOpenNetworkBind() throws Exception {
    BrokerCommand c = new BrokerCommand();
    new CommandLine(c).parseArgs("--bind", "0.0.0.0", "--port", "0");
    InputException e = assertThrows(InputException.class, c::call);
    assertTrue(e.getMessage().startsWith("refusing to listen on 0.0.0.0 without authentication"), e.getMessage());
    BrokerCommand tls = new BrokerCommand();
    new CommandLine(tls).parseArgs("--tls-keystore", dir.resolve("ks.p12").toString(), "--tls-password-env",
        "OPTIMUS_TEST_SURELY_UNSET_VAR");
    e = assertThrows(InputException.class, tls::call);
    assertTrue(e.getMessage().contains("OPTIMUS_TEST_SURELY_UNSET_VAR"), e.getMessage());
  }
}

package io.optimus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.common.InputException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class MqttOptionsTest {
  static final String UNSET = "OPTIMUS_TEST_NEVER_SET_PASSWORD_VAR";

  @Command(name = "probe")
  static final class Probe {
    @Mixin MqttOptions mqtt;
  }

  private static MqttOptions parse(String... args) {
    Probe p = new Probe();
    new CommandLine(p).parseArgs(args);
    return p.mqtt;
  }

  @Test
  void aNamedPasswordVariableThatIsNotSetIsAnErrorNamingIt() {
    assumeTrue(System.getenv(UNSET) == null);
    MqttOptions o = parse("--username", "alice", "--password-env", UNSET);
    InputException e = assertThrows(InputException.class, () -> o.settings("tcp://127.0.0.1:1883", "op-alice"));
    assertTrue(e.getMessage().contains(UNSET) && e.getMessage().contains("no such environment variable"), e.getMessage());
  }

  @Test
  void aPasswordVariableWithoutAUserNameIsAnError() {
    MqttOptions o = parse("--password-env", "HOME");
    InputException e = assertThrows(InputException.class, () -> o.settings("tcp://127.0.0.1:1883", "op-alice"));
    assertTrue(e.getMessage().contains("--username"), e.getMessage());
  }

  @Test
  void theNamedVariableIsThePassword() {
    String home = System.getenv("HOME");
    assumeTrue(home != null);
    MqttSettings s = parse("--username", "alice", "--password-env", "HOME").settings("tcp://127.0.0.1:1883", "op-a");
    assertEquals("alice", s.username());
    assertEquals(home, s.password());
  }

  @Test
  void aUserNameAloneGoesWithoutAPasswordWhenTheDefaultVariableIsUnset() {
    assumeTrue(System.getenv(MqttOptions.DEFAULT_PASSWORD_ENV) == null);
    MqttSettings s = parse("--username", "guest").settings("tcp://127.0.0.1:1883", "op-guest");
    assertEquals("guest", s.username());
    assertNull(s.password());
  }
}

package io.optimus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.teleop.scripted.TakeoverRule;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The takeover options' defaults are {@link TakeoverRule#DEFAULT}'s, shown in the help and restored on reuse. */
class TakeoverRuleOptionsTest {
  @Command(name = "probe")
  static final class Probe {
    @Mixin TakeoverRuleOptions takeover;
  }

  @Test
  void defaultsAreTheRulesDefaultsAndTheHelpShowsThem() {
    Probe p = new Probe();
    CommandLine cli = new CommandLine(p);
    cli.parseArgs();
    assertEquals(TakeoverRule.DEFAULT, p.takeover.rule());
    String help = cli.getUsageMessage().replaceAll("\\s+", " ");
    assertTrue(help.contains("(default " + TakeoverRule.DEFAULT.marginM() + ")"), help);
    assertTrue(help.contains("(default " + TakeoverRule.DEFAULT.dwellS() + ")"), help);
    assertTrue(help.contains("(default " + TakeoverRule.DEFAULT.stallS() + ")"), help);
  }

  @Test
  void anOptionGivenOnceDoesNotStickToTheNextParse() {
    Probe p = new Probe();
    CommandLine cli = new CommandLine(p);
    cli.parseArgs("--takeover-margin", "0.2", "--takeover-stall", "3");
    assertEquals(new TakeoverRule(0.2, TakeoverRule.DEFAULT.dwellS(), 3), p.takeover.rule());
    cli.parseArgs();
    assertEquals(TakeoverRule.DEFAULT, p.takeover.rule());
  }
}

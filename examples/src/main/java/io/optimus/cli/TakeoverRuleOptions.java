package io.optimus.cli;

import io.optimus.teleop.scripted.TakeoverRule;
import picocli.CommandLine.Option;

/**
 * The one set of options for when a supervising expert takes over from a driving policy ({@link TakeoverRule}):
 * {@code @Mixin TakeoverRuleOptions takeover} in {@code teleop --supervise}, {@code engine round} and
 * {@code bench engine}, so the three name and default them alike. The defaults are the fields' initial values,
 * {@link TakeoverRule#DEFAULT}'s (picocli shows them as the default), stated nowhere else.
 */
public final class TakeoverRuleOptions {
  @Option(names = "--takeover-margin", paramLabel = "M",
      description = "Take over when a palm is further than M metres from where the expert's plan would put it"
          + " (default ${DEFAULT-VALUE}).")
  double marginM = TakeoverRule.DEFAULT.marginM();

  @Option(names = "--takeover-dwell", paramLabel = "S",
      description = "... for S seconds in a row (default ${DEFAULT-VALUE}).")
  double dwellS = TakeoverRule.DEFAULT.dwellS();

  @Option(names = "--takeover-stall", paramLabel = "S",
      description = "Take over also when the task got no further (an object held, lifted) for S seconds"
          + " (default ${DEFAULT-VALUE}).")
  double stallS = TakeoverRule.DEFAULT.stallS();

  /** The rule; a bad value is an InputException naming it (one line, exit 2). */
  public TakeoverRule rule() {
    return new TakeoverRule(marginM, dwellS, stallS);
  }
}

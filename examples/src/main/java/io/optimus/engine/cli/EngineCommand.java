package io.optimus.engine.cli;

import io.optimus.cli.GroupCommand;
import picocli.CommandLine.Command;

/** {@code optimus engine}: the data engine — the clips triggers cut, their review, and the rounds of the loop. */
@Command(name = "engine", mixinStandardHelpOptions = true,
    description = "The data engine: clips cut by triggers (shadow disagreement, uncertainty, safety, takeover,"
        + " failure) and their review; HG-DAgger rounds in simulation (round, rounds).",
    subcommands = {EngineClipsCommand.class, EngineRoundCommand.class, EngineRoundsCommand.class})
public final class EngineCommand extends GroupCommand {
}

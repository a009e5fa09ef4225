package io.optimus.engine.cli;

import io.optimus.cli.GroupCommand;
import picocli.CommandLine.Command;

/** {@code optimus engine}: the data engine — the clips triggers cut, and their review. */
@Command(name = "engine", mixinStandardHelpOptions = true,
    description = "The data engine: clips cut by triggers (shadow disagreement, uncertainty, safety, takeover,"
        + " failure) and their review.",
    subcommands = {EngineClipsCommand.class})
public final class EngineCommand extends GroupCommand {
}

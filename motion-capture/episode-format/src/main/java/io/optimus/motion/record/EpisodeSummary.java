package io.optimus.motion.record;

import io.optimus.proto.v1.ChannelStats;
import io.optimus.proto.v1.EpisodeOutcome;
import java.nio.file.Path;
import java.util.List;

/**
 * What one recording produced. {@code error} is null when the file was finished cleanly; otherwise it
 * says why recording stopped and what became of the file: finished in place with every chunk written
 * before the failure, or ending at its last complete chunk ({@code optimus dataset recover} indexes
 * it), or removed when it held nothing.
 */
public record EpisodeSummary(Path file, String episodeId, EpisodeOutcome outcome, long messages, long dropped,
    double durationS, long bytes, List<ChannelStats> channels, String error) {
  public EpisodeSummary {
    channels = List.copyOf(channels);
  }

  public boolean ok() {
    return error == null;
  }
}

package io.optimus.policy.engine;

import com.fasterxml.jackson.core.JacksonException;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.motion.record.Dataset;
import io.optimus.motion.record.EpisodeEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a data engine keeps its rounds: {@code DIR/rounds/round-K/{dataset,run,metrics.json}} beside the
 * starting dataset {@code DIR} (its episodes are not touched). A round directory without
 * {@code metrics.json} is a round that did not finish.
 */
public final class EngineRounds {
  public static final String ROUNDS = "rounds";
  public static final String METRICS = "metrics.json";
  private static final Pattern ROUND = Pattern.compile("round-(\\d{1,6})");

  private EngineRounds() {}

  public static Path roundsDir(Path data) {
    return data.resolve(ROUNDS);
  }

  public static Path roundDir(Path data, int round) {
    return roundsDir(data).resolve("round-" + round);
  }

  /** Every finished round's metrics, by round; a metrics file that does not read is a one-line error naming it. */
  public static List<RoundMetrics> list(Path data) {
    Path rounds = roundsDir(data);
    List<RoundMetrics> out = new ArrayList<>();
    if (!Files.isDirectory(rounds)) {
      return out;
    }
    try (Stream<Path> s = Files.list(rounds)) {
      for (Path dir : s.sorted().toList()) {
        Matcher m = ROUND.matcher(dir.getFileName().toString());
        Path metrics = dir.resolve(METRICS);
        if (m.matches() && Files.isRegularFile(metrics)) {
          out.add(read(metrics));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the rounds in " + rounds, e);
    }
    out.sort(Comparator.comparingInt(RoundMetrics::round));
    return out;
  }

  /** A round's metrics file; garbage, truncation or a wrong shape is an {@link InputException} naming it. */
  public static RoundMetrics read(Path metrics) {
    try {
      if (Files.size(metrics) > 64L << 20) {
        throw new InputException(metrics + ": not a round's metrics (" + Files.size(metrics) + " bytes)");
      }
      RoundMetrics m = Json.MAPPER.readValue(metrics.toFile(), RoundMetrics.class);
      if (m == null || m.kind() == null || m.eval() == null || m.run() == null) {
        throw new InputException(metrics + ": not a round's metrics (no kind, run or evaluation)");
      }
      return m;
    } catch (JacksonException e) {
      throw new InputException(metrics + ": not a round's metrics (" + e.getOriginalMessage() + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + metrics, e);
    }
  }

  /** Writes a round's metrics whole or not at all (a new file moved into place). */
  public static void write(Path roundDir, RoundMetrics m) {
    try {
      Files.createDirectories(roundDir);
      Path tmp = Files.createTempFile(roundDir, METRICS, ".tmp");
      Files.writeString(tmp, Json.write(m));
      Files.move(tmp, roundDir.resolve(METRICS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the metrics of " + roundDir, e);
    }
  }

  /**
   * Puts every episode recording of {@code from} into {@code into} (hard links where the file system
   * allows, else copies): the earlier data stays in the new round's dataset, and stays where it was.
   */
  public static void aggregate(Path from, Path into) {
    aggregate(from, into, "");
  }

  /** As {@link #aggregate(Path, Path)}, each file's name prefixed with {@code prefix} in {@code into}. */
  public static void aggregate(Path from, Path into, String prefix) {
    try (Stream<Path> s = Files.list(from)) {
      Files.createDirectories(into);
      for (Path f : s.filter(p -> p.getFileName().toString().endsWith(Dataset.EXTENSION)).sorted().toList()) {
        Path to = into.resolve(prefix + f.getFileName());
        try {
          Files.createLink(to, f);
        } catch (FileAlreadyExistsException e) {
          throw new IllegalStateException(to + " exists: two rounds' episodes have the same name", e);
        } catch (IOException | UnsupportedOperationException e) {
          Files.copy(f, to);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot aggregate " + from + " into " + into, e);
    }
    Dataset.refreshIndex(into);
  }

  /** The usable episodes of a dataset ({@link EpisodeEntry#trainable}: readable, not discarded, not failed unless expert-labelled). */
  public static List<EpisodeEntry> usable(Path dataset) {
    try {
      return Dataset.open(dataset).episodes().stream()
          .filter(EpisodeEntry::trainable).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dataset " + dataset, e);
    }
  }

  public static long frames(List<EpisodeEntry> episodes) {
    return episodes.stream().mapToLong(EpisodeEntry::stateFrames).sum();
  }

  /**
   * Moves a round directory that did not finish (no metrics) aside, to {@code round-K.unfinished-N}: the
   * round is done again from its seeds, and nothing it had recorded is lost.
   */
  public static void setAsideUnfinished(Path roundDir) {
    if (!Files.isDirectory(roundDir) || Files.exists(roundDir.resolve(METRICS))) {
      return;
    }
    try {
      for (int n = 1; ; n++) {
        Path aside = roundDir.resolveSibling(roundDir.getFileName() + ".unfinished-" + n);
        if (!Files.exists(aside)) {
          Files.move(roundDir, aside);
          return;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set the unfinished round " + roundDir + " aside", e);
    }
  }
}

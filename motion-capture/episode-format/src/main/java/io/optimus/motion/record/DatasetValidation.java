package io.optimus.motion.record;

import java.nio.file.Path;
import java.util.List;

/** Result of {@link Dataset#validate()}: one report per episode file plus index problems. */
public record DatasetValidation(Path dir, List<FileReport> files, List<String> indexProblems) {
  public DatasetValidation {
    files = List.copyOf(files);
    indexProblems = List.copyOf(indexProblems);
  }

  public record FileReport(String file, long messages, long chunks, List<String> problems) {
    public FileReport {
      problems = List.copyOf(problems);
    }

    public boolean ok() {
      return problems.isEmpty();
    }
  }

  public boolean ok() {
    return indexProblems.isEmpty() && files.stream().allMatch(FileReport::ok);
  }

  public long problemCount() {
    return indexProblems.size() + files.stream().mapToLong(f -> f.problems().size()).sum();
  }
}

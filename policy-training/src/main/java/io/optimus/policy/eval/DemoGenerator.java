package io.optimus.policy.eval;

import java.io.PrintStream;
import java.nio.file.Path;

/** Records scripted demonstrations of a task into a dataset directory (see {@link ScriptedDemos}). */
public interface DemoGenerator {
  /** The operator it scripts, e.g. "scripted:pick-place". */
  String name();

  boolean supports(String task);

  /** Records {@code episodes} successful demonstrations with world seeds drawn from {@code seed}. */
  void record(Path dir, String task, int episodes, long seed, PrintStream progress) throws Exception;
}

package io.optimus.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.perception.PerceptionBackbone;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of the compiled policy and perception classes, read with the JDK's jdeps: no
 * package cycles, and inference (runtime, eval, deploy) and the policy families never reach the
 * training package.
 */
class PackageGraphTest {
  private static final Pattern EDGE = Pattern.compile("^\\s+(io\\.optimus\\.[\\w.]+)\\s+->\\s+(io\\.optimus\\.[\\w.]+)\\s");
  static Map<String, Set<String>> graph;

  @BeforeAll
  static void readGraph() throws Exception {
    graph = new TreeMap<>();
    for (Class<?> c : List.of(PolicyConfig.class, PerceptionBackbone.class)) {
      Path classes = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
      ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
      StringWriter out = new StringWriter();
      int code = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:package",
          classes.toString());
      assertEquals(0, code, "jdeps on " + classes);
      for (String line : out.toString().lines().toList()) {
        Matcher m = EDGE.matcher(line);
        if (m.find() && !m.group(1).equals(m.group(2))) {
          graph.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
        }
      }
    }
    assertTrue(graph.containsKey("io.optimus.policy.runtime") && graph.containsKey("io.optimus.perception"),
        "jdeps found the packages: " + graph.keySet());
  }

  @Test
  void noPackageCycles() {
    for (String p : graph.keySet()) {
      for (String next : graph.get(p)) {
        List<String> back = path(next, p);
        assertTrue(back.isEmpty(), "cycle: " + p + " -> " + String.join(" -> ", back));
      }
    }
  }

  @Test
  void inferenceAndThePolicyFamiliesDoNotReachTraining() {
    for (String p : List.of("runtime", "eval", "deploy", "act", "mlp", "torchscript", "model", "data", "encode", "config")) {
      String from = "io.optimus.policy." + p;
      assertTrue(graph.containsKey(from), from);
      assertEquals(List.of(), path(from, "io.optimus.policy.train"), from + " reaches the training package");
    }
    assertFalse(reaches("io.optimus.policy", "io.optimus.policy.train"), "the policy config reaches training");
  }

  @Test
  void librariesDoNotReachACliPackage() {
    for (String p : graph.keySet()) {
      if (!p.endsWith(".cli")) {
        for (String cli : List.of("io.optimus.policy.cli", "io.optimus.perception.cli")) {
          assertEquals(List.of(), path(p, cli), p + " reaches " + cli);
        }
      }
    }
  }

  private static boolean reaches(String from, String to) {
    return !path(from, to).isEmpty();
  }

  /** A path of packages from {@code from} to {@code to} (empty when there is none); breadth-first. */
  private static List<String> path(String from, String to) {
    Map<String, String> parent = new TreeMap<>();
    Deque<String> queue = new ArrayDeque<>(List.of(from));
    Set<String> seen = new HashSet<>(List.of(from));
    while (!queue.isEmpty()) {
      String p = queue.poll();
      for (String n : graph.getOrDefault(p, Set.of())) {
        if (seen.add(n)) {
          parent.put(n, p);
          if (n.equals(to)) {
            List<String> out = new ArrayList<>();
            for (String x = n; x != null; x = parent.get(x)) {
              out.add(0, x);
            }
            return out;
          }
          queue.add(n);
        }
      }
    }
    return List.of();
  }
}

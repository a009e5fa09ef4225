package io.optimus.policy.data;

import io.optimus.common.InputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The joints a policy reads and commands, in the order of every q array (the robot description's
 * joint order), each with its group ("left_arm", "right_hand", ...) for per-group error reports.
 */
public record JointLayout(List<String> names, List<String> groups) {
  public JointLayout {
    names = List.copyOf(names);
    groups = List.copyOf(groups);
    if (names.isEmpty()) {
      throw new InputException("joint layout: no joints");
    }
    if (names.size() != groups.size()) {
      throw new InputException("joint layout: " + names.size() + " names but " + groups.size() + " groups");
    }
  }

  public int size() {
    return names.size();
  }

  /** Group name to the indices of its joints, in first-seen group order. */
  public Map<String, int[]> groupIndices() {
    Map<String, List<Integer>> lists = new LinkedHashMap<>();
    for (int i = 0; i < groups.size(); i++) {
      String g = groups.get(i).isEmpty() ? "other" : groups.get(i);
      lists.computeIfAbsent(g, k -> new ArrayList<>()).add(i);
    }
    Map<String, int[]> out = new LinkedHashMap<>();
    lists.forEach((g, l) -> out.put(g, l.stream().mapToInt(Integer::intValue).toArray()));
    return out;
  }
}

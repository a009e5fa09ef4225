package io.optimus.teleop.scripted;

import io.optimus.proto.v1.ObjectState;
import io.optimus.proto.v1.TaskState;
import java.util.HashMap;
import java.util.Map;

/**
 * How far an episode's task has got, as a count the task state shows: one for each object held, one more
 * for each held object lifted {@link #LIFT_M} above where it was first seen. It grows as a pick-and-place
 * (or a stack, a handover) goes on; a policy that hovers, closes on nothing or drops the cube does not grow it.
 */
public final class TaskProgress {
  public static final double LIFT_M = 0.02;
  private final Map<String, Double> restZ = new HashMap<>();

  /** The count for {@code task} (null: 0); an object's rest height is where this instance first saw it. */
  public int of(TaskState task) {
    if (task == null) {
      return 0;
    }
    int n = 0;
    for (ObjectState o : task.getObjectsList()) {
      double z = o.getPose().getPosition().getZ();
      Double seen = restZ.get(o.getName());
      double rest = seen != null ? seen : z;
      if (seen == null) {
        restZ.put(o.getName(), z);
      }
      if (!o.getHeldBy().isEmpty()) {
        n += z > rest + LIFT_M ? 2 : 1;
      }
    }
    return n;
  }
}

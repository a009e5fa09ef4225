package io.optimus.teleop.controls;

import io.optimus.proto.v1.ObjectState;
import io.optimus.proto.v1.SafetyEventType;
import io.optimus.proto.v1.SafetyStatus;
import io.optimus.proto.v1.TaskState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Feedback to the operator's hands from what the robot reports: a short pulse on the hand whose robot
 * hand touched something (SafetyStatus.contacts_total grew; the side from last_contact), a stronger one
 * when a robot hand took hold of an object (TaskState held_by became that hand), and a long one on both
 * hands when safety limited or refused a motion (a new limit, self-collision or re-engage-refused event).
 * Compares each report with the previous one; the first report only sets the baseline. Single-threaded.
 */
public final class HapticCues {
  /** A vibration: {@code hand} 0 left, 1 right; amplitude 0..1. */
  public record Pulse(int hand, float amplitude, long durationNs) {}

  public static final Pulse TOUCH = new Pulse(-1, 0.35f, 20_000_000L);
  public static final Pulse GRASP = new Pulse(-1, 0.8f, 60_000_000L);
  public static final Pulse REFUSED = new Pulse(-1, 1.0f, 150_000_000L);

  private long contacts = -1;
  private long events = -1;
  private final Map<String, String> heldBy = new HashMap<>();
  private boolean taskSeen;

  /** The pulses due since the last call, from the newest safety status and task state (either may be null). */
  public List<Pulse> update(SafetyStatus s, TaskState t) {
    List<Pulse> out = new ArrayList<>();
    if (s != null) {
      if (contacts >= 0 && s.getContactsTotal() > contacts) {
        for (int hand : sides(s.getLastContact())) {
          out.add(new Pulse(hand, TOUCH.amplitude(), TOUCH.durationNs()));
        }
      }
      contacts = s.getContactsTotal();
      if (events >= 0 && s.getEventsTotal() > events && refusal(s.getLastEvent().getType())) {
        for (int hand : sides(s.getLastEvent().getJoint())) {
          out.add(new Pulse(hand, REFUSED.amplitude(), REFUSED.durationNs()));
        }
      }
      events = s.getEventsTotal();
    }
    if (t != null) {
      for (ObjectState o : t.getObjectsList()) {
        String was = heldBy.put(o.getName(), o.getHeldBy());
        if (taskSeen && !o.getHeldBy().isEmpty() && !o.getHeldBy().equals(was)) {
          int hand = o.getHeldBy().startsWith("left") ? 0 : o.getHeldBy().startsWith("right") ? 1 : -1;
          if (hand >= 0) {
            out.add(new Pulse(hand, GRASP.amplitude(), GRASP.durationNs()));
          }
        }
      }
      taskSeen = true;
    }
    return out;
  }

  private static boolean refusal(SafetyEventType type) {
    return switch (type) {
      case SAFETY_EVENT_POSITION_LIMIT, SAFETY_EVENT_VELOCITY_LIMIT, SAFETY_EVENT_ACCELERATION_LIMIT,
          SAFETY_EVENT_SELF_COLLISION, SAFETY_EVENT_REENGAGE_REFUSED -> true;
      default -> false;
    };
  }

  /** The hands a text names ("left_...", "right_..."); both when it names neither or both. */
  private static int[] sides(String text) {
    boolean left = text.contains("left");
    boolean right = text.contains("right");
    if (left == right) {
      return new int[] {0, 1};
    }
    return new int[] {left ? 0 : 1};
  }
}

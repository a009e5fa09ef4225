package io.optimus.teleop.controls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.proto.v1.ObjectState;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyEventType;
import io.optimus.proto.v1.SafetyStatus;
import io.optimus.proto.v1.TaskState;
import java.util.List;
import org.junit.jupiter.api.Test;

class HapticCuesTest {
  static SafetyStatus status(long contacts, String lastContact, long events, SafetyEventType type, String joint) {
    return SafetyStatus.newBuilder().setContactsTotal(contacts).setLastContact(lastContact).setEventsTotal(events)
        .setLastEvent(SafetyEvent.newBuilder().setType(type).setJoint(joint)).build();
  }

  static TaskState held(String by) {
    return TaskState.newBuilder().setTask("pick-place")
        .addObjects(ObjectState.newBuilder().setName("cube").setHeldBy(by)).build();
  }

  @Test
  void aTouchPulsesTheHandThatTouchedAGraspPulsesHarderARefusalPulsesBothLongest() {
    HapticCues cues = new HapticCues();
    // the first reports are the baseline: no pulse for what happened before the operator arrived
    assertEquals(List.of(), cues.update(status(4, "robot-table: left_index_distal / table", 2,
        SafetyEventType.SAFETY_EVENT_ENGAGED, ""), held("left_hand")));
    assertEquals(List.of(), cues.update(status(4, "robot-table: left_index_distal / table", 2,
        SafetyEventType.SAFETY_EVENT_ENGAGED, ""), held("left_hand")), "nothing new: nothing");

    List<HapticCues.Pulse> touch = cues.update(status(5, "robot-table: right_index_distal / table", 2,
        SafetyEventType.SAFETY_EVENT_ENGAGED, ""), held(""));
    assertEquals(List.of(new HapticCues.Pulse(1, HapticCues.TOUCH.amplitude(), HapticCues.TOUCH.durationNs())), touch);

    List<HapticCues.Pulse> grasp = cues.update(null, held("right_hand"));
    assertEquals(List.of(new HapticCues.Pulse(1, HapticCues.GRASP.amplitude(), HapticCues.GRASP.durationNs())), grasp);
    assertTrue(HapticCues.GRASP.amplitude() > HapticCues.TOUCH.amplitude());
    assertEquals(List.of(), cues.update(null, held("right_hand")), "still held: one pulse only");

    List<HapticCues.Pulse> refused = cues.update(status(5, "", 3, SafetyEventType.SAFETY_EVENT_VELOCITY_LIMIT,
        "waist_yaw_joint"), null);
    assertEquals(2, refused.size(), "a limit on a joint of neither arm: both hands " + refused);
    assertTrue(refused.stream().allMatch(p -> p.durationNs() == HapticCues.REFUSED.durationNs()));
    assertEquals(List.of(new HapticCues.Pulse(0, 1.0f, HapticCues.REFUSED.durationNs())),
        cues.update(status(5, "", 4, SafetyEventType.SAFETY_EVENT_POSITION_LIMIT, "left_elbow_joint"), null),
        "a left-arm joint: the left hand");
    assertEquals(List.of(), cues.update(status(5, "", 5, SafetyEventType.SAFETY_EVENT_DISENGAGED, ""), null),
        "events that refuse nothing: no pulse");
    assertEquals(2, cues.update(status(6, "robot-self: left_palm / right_palm", 5,
        SafetyEventType.SAFETY_EVENT_DISENGAGED, ""), null).size(), "a contact between both hands: both");
  }
}

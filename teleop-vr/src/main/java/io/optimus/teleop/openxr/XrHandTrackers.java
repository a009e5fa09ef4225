package io.optimus.teleop.openxr;

import static io.optimus.teleop.openxr.XrCheck.check;
import static org.lwjgl.openxr.EXTHandTracking.*;

import io.optimus.proto.v1.HandJoint;
import io.optimus.proto.v1.HandSkeleton;
import org.lwjgl.PointerBuffer;
import org.lwjgl.openxr.XrHandJointLocationEXT;
import org.lwjgl.openxr.XrHandJointLocationsEXT;
import org.lwjgl.openxr.XrHandJointsLocateInfoEXT;
import org.lwjgl.openxr.XrHandTrackerCreateInfoEXT;
import org.lwjgl.openxr.XrHandTrackerEXT;
import org.lwjgl.openxr.XrSession;
import org.lwjgl.openxr.XrSpace;
import org.lwjgl.system.MemoryStack;

/** XR_EXT_hand_tracking: the 26-joint skeleton of each hand, in XrHandJointEXT order. */
final class XrHandTrackers implements AutoCloseable {
  static final int JOINTS = XR_HAND_JOINT_COUNT_EXT;

  private final XrHandTrackerEXT[] trackers = new XrHandTrackerEXT[2];
  private final XrHandJointLocationEXT.Buffer locations = XrHandJointLocationEXT.calloc(JOINTS);
  private final XrHandJointLocationsEXT result = XrHandJointLocationsEXT.calloc();
  private final XrHandJointsLocateInfoEXT info = XrHandJointsLocateInfoEXT.calloc();

  XrHandTrackers(XrSession session) {
    try (MemoryStack stack = MemoryStack.stackPush()) {
      PointerBuffer pp = stack.mallocPointer(1);
      int[] hands = {XR_HAND_LEFT_EXT, XR_HAND_RIGHT_EXT};
      for (int h = 0; h < 2; h++) {
        check(xrCreateHandTrackerEXT(session, XrHandTrackerCreateInfoEXT.calloc(stack).type$Default()
            .hand(hands[h]).handJointSet(XR_HAND_JOINT_SET_DEFAULT_EXT), pp), "xrCreateHandTrackerEXT");
        trackers[h] = new XrHandTrackerEXT(pp.get(0), session);
      }
    }
    result.type$Default().jointLocations(locations);
    info.type$Default();
  }

  /** The skeleton of hand h (0 left, 1 right) at {@code time} in {@code base}, converted to the operator frame. */
  HandSkeleton locate(int h, XrSpace base, long time) {
    info.baseSpace(base).time(time);
    result.isActive(false);
    check(xrLocateHandJointsEXT(trackers[h], info, result), "xrLocateHandJointsEXT");
    HandSkeleton.Builder s = HandSkeleton.newBuilder().setActive(result.isActive());
    if (!result.isActive()) {
      return s.build();
    }
    for (int j = 0; j < JOINTS; j++) {
      XrHandJointLocationEXT l = locations.get(j);
      long flags = l.locationFlags();
      s.addJoints(HandJoint.newBuilder().setPose(XrControllerActions.convert(l.pose())).setRadius(l.radius())
          .setPositionValid((flags & org.lwjgl.openxr.XR10.XR_SPACE_LOCATION_POSITION_VALID_BIT) != 0)
          .setOrientationValid((flags & org.lwjgl.openxr.XR10.XR_SPACE_LOCATION_ORIENTATION_VALID_BIT) != 0)
          .setPositionTracked((flags & org.lwjgl.openxr.XR10.XR_SPACE_LOCATION_POSITION_TRACKED_BIT) != 0)
          .setOrientationTracked((flags & org.lwjgl.openxr.XR10.XR_SPACE_LOCATION_ORIENTATION_TRACKED_BIT) != 0));
    }
    return s.build();
  }

  @Override
  public void close() {
    for (XrHandTrackerEXT t : trackers) {
      if (t != null) {
        xrDestroyHandTrackerEXT(t);
      }
    }
    locations.free();
    result.free();
    info.free();
  }
}

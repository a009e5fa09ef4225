package io.optimus.teleop.openxr;

import static io.optimus.teleop.openxr.XrCheck.check;
import static org.lwjgl.openxr.XR10.*;
import static org.lwjgl.system.MemoryStack.stackPush;

import io.optimus.proto.v1.ControllerButtons;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.Vector2;
import io.optimus.teleop.frame.XrToOperator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lwjgl.PointerBuffer;
import org.lwjgl.openxr.XrAction;
import org.lwjgl.openxr.XrActionCreateInfo;
import org.lwjgl.openxr.XrActionSet;
import org.lwjgl.openxr.XrActionSetCreateInfo;
import org.lwjgl.openxr.XrActionSpaceCreateInfo;
import org.lwjgl.openxr.XrActionStateBoolean;
import org.lwjgl.openxr.XrActionStateFloat;
import org.lwjgl.openxr.XrActionStateGetInfo;
import org.lwjgl.openxr.XrActionStateVector2f;
import org.lwjgl.openxr.XrActionSuggestedBinding;
import org.lwjgl.openxr.XrActionsSyncInfo;
import org.lwjgl.openxr.XrActiveActionSet;
import org.lwjgl.openxr.XrInstance;
import org.lwjgl.openxr.XrInteractionProfileState;
import org.lwjgl.openxr.XrInteractionProfileSuggestedBinding;
import org.lwjgl.openxr.XrPosef;
import org.lwjgl.openxr.XrSession;
import org.lwjgl.openxr.XrSessionActionSetsAttachInfo;
import org.lwjgl.openxr.XrSpace;
import org.lwjgl.openxr.XrSpaceLocation;
import org.lwjgl.system.MemoryStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One action set for both hands: grip and aim poses, trigger, squeeze, thumbstick, buttons, with
 * suggested bindings for Oculus Touch, Valve Index, HTC Vive and the Khronos simple controller. The
 * runtime picks the profile of the controllers the operator holds.
 */
final class XrControllerActions implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(XrControllerActions.class);

  static final String LEFT = "/user/hand/left";
  static final String RIGHT = "/user/hand/right";
  static final String TOUCH = "/interaction_profiles/oculus/touch_controller";
  static final String INDEX = "/interaction_profiles/valve/index_controller";
  static final String VIVE = "/interaction_profiles/htc/vive_controller";
  static final String SIMPLE = "/interaction_profiles/khr/simple_controller";

  enum Input {
    GRIP_POSE(XR_ACTION_TYPE_POSE_INPUT), AIM_POSE(XR_ACTION_TYPE_POSE_INPUT), TRIGGER(XR_ACTION_TYPE_FLOAT_INPUT),
    SQUEEZE(XR_ACTION_TYPE_FLOAT_INPUT), THUMBSTICK(XR_ACTION_TYPE_VECTOR2F_INPUT),
    PRIMARY(XR_ACTION_TYPE_BOOLEAN_INPUT), SECONDARY(XR_ACTION_TYPE_BOOLEAN_INPUT), MENU(XR_ACTION_TYPE_BOOLEAN_INPUT),
    THUMBSTICK_CLICK(XR_ACTION_TYPE_BOOLEAN_INPUT), PRIMARY_TOUCH(XR_ACTION_TYPE_BOOLEAN_INPUT),
    SECONDARY_TOUCH(XR_ACTION_TYPE_BOOLEAN_INPUT), HAPTIC(XR_ACTION_TYPE_VIBRATION_OUTPUT);

    final int type;

    Input(int type) {
      this.type = type;
    }
  }

  /** Suggested bindings per profile: input -> component path under each hand ("L:"/"R:" for one hand only). */
  static Map<String, List<String[]>> suggestedBindings() {
    Map<String, List<String[]>> m = new LinkedHashMap<>();
    List<String[]> touch = new ArrayList<>();
    both(touch, Input.GRIP_POSE, "/input/grip/pose");
    both(touch, Input.AIM_POSE, "/input/aim/pose");
    both(touch, Input.TRIGGER, "/input/trigger/value");
    both(touch, Input.SQUEEZE, "/input/squeeze/value");
    both(touch, Input.THUMBSTICK, "/input/thumbstick");
    both(touch, Input.THUMBSTICK_CLICK, "/input/thumbstick/click");
    touch.add(new String[] {Input.PRIMARY.name(), LEFT + "/input/x/click"});
    touch.add(new String[] {Input.SECONDARY.name(), LEFT + "/input/y/click"});
    touch.add(new String[] {Input.PRIMARY_TOUCH.name(), LEFT + "/input/x/touch"});
    touch.add(new String[] {Input.SECONDARY_TOUCH.name(), LEFT + "/input/y/touch"});
    touch.add(new String[] {Input.MENU.name(), LEFT + "/input/menu/click"});
    touch.add(new String[] {Input.PRIMARY.name(), RIGHT + "/input/a/click"});
    touch.add(new String[] {Input.SECONDARY.name(), RIGHT + "/input/b/click"});
    touch.add(new String[] {Input.PRIMARY_TOUCH.name(), RIGHT + "/input/a/touch"});
    touch.add(new String[] {Input.SECONDARY_TOUCH.name(), RIGHT + "/input/b/touch"});
    both(touch, Input.HAPTIC, "/output/haptic");
    m.put(TOUCH, touch);

    List<String[]> index = new ArrayList<>();
    both(index, Input.GRIP_POSE, "/input/grip/pose");
    both(index, Input.AIM_POSE, "/input/aim/pose");
    both(index, Input.TRIGGER, "/input/trigger/value");
    both(index, Input.SQUEEZE, "/input/squeeze/value");
    both(index, Input.THUMBSTICK, "/input/thumbstick");
    both(index, Input.THUMBSTICK_CLICK, "/input/thumbstick/click");
    both(index, Input.PRIMARY, "/input/a/click");
    both(index, Input.SECONDARY, "/input/b/click");
    both(index, Input.PRIMARY_TOUCH, "/input/a/touch");
    both(index, Input.SECONDARY_TOUCH, "/input/b/touch");
    both(index, Input.HAPTIC, "/output/haptic");
    m.put(INDEX, index);

    List<String[]> vive = new ArrayList<>();
    both(vive, Input.GRIP_POSE, "/input/grip/pose");
    both(vive, Input.AIM_POSE, "/input/aim/pose");
    both(vive, Input.TRIGGER, "/input/trigger/value");
    both(vive, Input.SQUEEZE, "/input/squeeze/click");
    both(vive, Input.THUMBSTICK, "/input/trackpad");
    both(vive, Input.THUMBSTICK_CLICK, "/input/trackpad/click");
    both(vive, Input.MENU, "/input/menu/click");
    both(vive, Input.HAPTIC, "/output/haptic");
    m.put(VIVE, vive);

    // The simple controller has only select and menu: select is the deadman (squeeze), since without
    // a deadman the robot cannot move at all.
    List<String[]> simple = new ArrayList<>();
    both(simple, Input.GRIP_POSE, "/input/grip/pose");
    both(simple, Input.AIM_POSE, "/input/aim/pose");
    both(simple, Input.SQUEEZE, "/input/select/click");
    both(simple, Input.MENU, "/input/menu/click");
    both(simple, Input.HAPTIC, "/output/haptic");
    m.put(SIMPLE, simple);
    return m;
  }

  private static void both(List<String[]> list, Input input, String component) {
    list.add(new String[] {input.name(), LEFT + component});
    list.add(new String[] {input.name(), RIGHT + component});
  }

  private final XrInstance instance;
  private final XrSession session;
  private final XrActionSet actionSet;
  private final XrAction[] actions = new XrAction[Input.values().length];
  private final long[] hands = new long[2]; // XrPath of left, right
  private final XrSpace[] gripSpaces = new XrSpace[2];
  private final XrSpace[] aimSpaces = new XrSpace[2];
  private final String[] profiles = {"", ""};
  private final List<String> profilesSuggested = new ArrayList<>();

  XrControllerActions(XrInstance instance, XrSession session) {
    this.instance = instance;
    this.session = session;
    try (MemoryStack stack = stackPush()) {
      hands[0] = path(stack, LEFT);
      hands[1] = path(stack, RIGHT);
      PointerBuffer pp = stack.mallocPointer(1);
      check(xrCreateActionSet(instance, XrActionSetCreateInfo.calloc(stack).type$Default()
          .actionSetName(stack.UTF8("teleop")).localizedActionSetName(stack.UTF8("Teleoperation")).priority(0), pp),
          "xrCreateActionSet");
      actionSet = new XrActionSet(pp.get(0), instance);
      for (Input in : Input.values()) {
        String name = in.name().toLowerCase(java.util.Locale.ROOT);
        check(xrCreateAction(actionSet, XrActionCreateInfo.calloc(stack).type$Default()
            .actionName(stack.UTF8(name)).localizedActionName(stack.UTF8(name.replace('_', ' ')))
            .actionType(in.type).countSubactionPaths(2).subactionPaths(stack.longs(hands[0], hands[1])), pp),
            "xrCreateAction(" + name + ")");
        actions[in.ordinal()] = new XrAction(pp.get(0), actionSet);
      }
      for (Map.Entry<String, List<String[]>> e : suggestedBindings().entrySet()) {
        XrActionSuggestedBinding.Buffer b = XrActionSuggestedBinding.calloc(e.getValue().size(), stack);
        for (String[] pair : e.getValue()) {
          b.get().action(actions[Input.valueOf(pair[0]).ordinal()]).binding(path(stack, pair[1]));
        }
        b.flip();
        int r = xrSuggestInteractionProfileBindings(instance, XrInteractionProfileSuggestedBinding.calloc(stack)
            .type$Default().interactionProfile(path(stack, e.getKey())).suggestedBindings(b));
        if (r < 0) { // a runtime may not know a profile: the others still apply
          log.warn("runtime refused bindings for {}: {}", e.getKey(), XrCheck.name(r));
        } else {
          profilesSuggested.add(e.getKey());
        }
      }
      check(xrAttachSessionActionSets(session, XrSessionActionSetsAttachInfo.calloc(stack).type$Default()
          .actionSets(stack.pointers(actionSet))), "xrAttachSessionActionSets");
      for (int h = 0; h < 2; h++) {
        gripSpaces[h] = actionSpace(stack, Input.GRIP_POSE, hands[h]);
        aimSpaces[h] = actionSpace(stack, Input.AIM_POSE, hands[h]);
      }
    }
  }

  List<String> profilesSuggested() {
    return profilesSuggested;
  }

  private XrSpace actionSpace(MemoryStack stack, Input in, long subaction) {
    PointerBuffer pp = stack.mallocPointer(1);
    XrActionSpaceCreateInfo info = XrActionSpaceCreateInfo.calloc(stack).type$Default()
        .action(actions[in.ordinal()]).subactionPath(subaction);
    info.poseInActionSpace().orientation().w(1);
    check(xrCreateActionSpace(session, info, pp), "xrCreateActionSpace(" + in + ")");
    return new XrSpace(pp.get(0), session);
  }

  private long path(MemoryStack stack, String s) {
    java.nio.LongBuffer p = stack.mallocLong(1);
    check(xrStringToPath(instance, s, p), "xrStringToPath(" + s + ")");
    return p.get(0);
  }

  /** Call on XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED (and once after attach). */
  void refreshProfiles() {
    try (MemoryStack stack = stackPush()) {
      for (int h = 0; h < 2; h++) {
        XrInteractionProfileState st = XrInteractionProfileState.calloc(stack).type$Default();
        if (xrGetCurrentInteractionProfile(session, hands[h], st) < 0 || st.interactionProfile() == XR_NULL_PATH) {
          profiles[h] = "";
          continue;
        }
        java.nio.IntBuffer n = stack.mallocInt(1);
        check(xrPathToString(instance, st.interactionProfile(), n, null), "xrPathToString");
        java.nio.ByteBuffer buf = stack.malloc(n.get(0));
        check(xrPathToString(instance, st.interactionProfile(), n, buf), "xrPathToString");
        profiles[h] = org.lwjgl.system.MemoryUtil.memUTF8(buf, n.get(0) - 1);
      }
    }
  }

  /** xrSyncActions; returns false when the session is not focused (inputs then read as inactive). */
  boolean sync() {
    try (MemoryStack stack = stackPush()) {
      XrActiveActionSet.Buffer active = XrActiveActionSet.calloc(1, stack);
      active.get(0).actionSet(actionSet).subactionPath(XR_NULL_PATH);
      int r = check(xrSyncActions(session, XrActionsSyncInfo.calloc(stack).type$Default().activeActionSets(active)),
          "xrSyncActions");
      if (profiles[0].isEmpty() || profiles[1].isEmpty()) {
        // Monado binds at the first sync after its device roles settle; do not rely on catching that
        // event in order: ask until both hands have a profile (a cheap lookup)
        refreshProfiles();
      }
      return r == XR_SUCCESS;
    }
  }

  /** Reads one hand (0 left, 1 right) at {@code time}, poses located in {@code base}, into {@code out}. */
  void read(int hand, XrSpace base, long time, HandInput.Builder out) {
    try (MemoryStack stack = stackPush()) {
      XrActionStateGetInfo get = XrActionStateGetInfo.calloc(stack).type$Default().subactionPath(hands[hand]);
      XrSpaceLocation loc = XrSpaceLocation.calloc(stack).type$Default();
      check(xrLocateSpace(gripSpaces[hand], base, time, loc), "xrLocateSpace(grip)");
      boolean gripValid = valid(loc.locationFlags());
      if (gripValid) {
        out.setGripPose(convert(loc.pose()));
      }
      out.setGripValid(gripValid).setTracked(tracked(loc.locationFlags()));
      check(xrLocateSpace(aimSpaces[hand], base, time, loc), "xrLocateSpace(aim)");
      boolean aimValid = valid(loc.locationFlags());
      if (aimValid) {
        out.setAimPose(convert(loc.pose()));
      }
      out.setAimValid(aimValid);

      XrActionStateFloat f = XrActionStateFloat.calloc(stack).type$Default();
      check(xrGetActionStateFloat(session, get.action(actions[Input.TRIGGER.ordinal()]), f), "xrGetActionStateFloat(trigger)");
      out.setTrigger(f.isActive() ? f.currentState() : 0f);
      check(xrGetActionStateFloat(session, get.action(actions[Input.SQUEEZE.ordinal()]), f), "xrGetActionStateFloat(squeeze)");
      out.setSqueeze(f.isActive() ? f.currentState() : 0f);
      XrActionStateVector2f v = XrActionStateVector2f.calloc(stack).type$Default();
      check(xrGetActionStateVector2f(session, get.action(actions[Input.THUMBSTICK.ordinal()]), v), "xrGetActionStateVector2f");
      out.setThumbstick(v.isActive() ? Vector2.newBuilder().setX(v.currentState().x()).setY(v.currentState().y()).build()
          : Vector2.getDefaultInstance());
      out.setButtons(ControllerButtons.newBuilder()
          .setPrimary(bool(stack, get, Input.PRIMARY))
          .setSecondary(bool(stack, get, Input.SECONDARY))
          .setMenu(bool(stack, get, Input.MENU))
          .setThumbstickClick(bool(stack, get, Input.THUMBSTICK_CLICK))
          .setPrimaryTouch(bool(stack, get, Input.PRIMARY_TOUCH))
          .setSecondaryTouch(bool(stack, get, Input.SECONDARY_TOUCH)));
      out.setInteractionProfile(profiles[hand]);
    }
  }

  private boolean bool(MemoryStack stack, XrActionStateGetInfo get, Input in) {
    XrActionStateBoolean b = XrActionStateBoolean.calloc(stack).type$Default();
    check(xrGetActionStateBoolean(session, get.action(actions[in.ordinal()]), b), "xrGetActionStateBoolean(" + in + ")");
    return b.isActive() && b.currentState();
  }

  /**
   * A vibration on one hand's controller (0 left, 1 right), amplitude 0..1, at the runtime's frequency. Not
   * fatal when the runtime cannot (no haptics, session not focused): logged at debug level.
   */
  void pulse(int hand, float amplitude, long durationNs) {
    try (MemoryStack stack = stackPush()) {
      org.lwjgl.openxr.XrHapticActionInfo info = org.lwjgl.openxr.XrHapticActionInfo.calloc(stack).type$Default()
          .action(actions[Input.HAPTIC.ordinal()]).subactionPath(hands[hand]);
      org.lwjgl.openxr.XrHapticVibration v = org.lwjgl.openxr.XrHapticVibration.calloc(stack).type$Default()
          .duration(durationNs).frequency(XR_FREQUENCY_UNSPECIFIED).amplitude(amplitude);
      int r = xrApplyHapticFeedback(session, info, org.lwjgl.openxr.XrHapticBaseHeader.create(v.address()));
      if (r != XR_SUCCESS) {
        log.debug("xrApplyHapticFeedback on hand {}: {}", hand, XrCheck.name(r));
      }
    }
  }

  static boolean valid(long flags) {
    return (flags & XR_SPACE_LOCATION_POSITION_VALID_BIT) != 0 && (flags & XR_SPACE_LOCATION_ORIENTATION_VALID_BIT) != 0;
  }

  static boolean tracked(long flags) {
    return (flags & XR_SPACE_LOCATION_POSITION_TRACKED_BIT) != 0 && (flags & XR_SPACE_LOCATION_ORIENTATION_TRACKED_BIT) != 0;
  }

  static io.optimus.proto.v1.Pose convert(XrPosef p) {
    return XrToOperator.pose(p.position$().x(), p.position$().y(), p.position$().z(),
        p.orientation().x(), p.orientation().y(), p.orientation().z(), p.orientation().w());
  }

  @Override
  public void close() {
    for (int h = 0; h < 2; h++) {
      if (gripSpaces[h] != null) {
        xrDestroySpace(gripSpaces[h]);
      }
      if (aimSpaces[h] != null) {
        xrDestroySpace(aimSpaces[h]);
      }
    }
    xrDestroyActionSet(actionSet); // destroys its actions too
  }
}

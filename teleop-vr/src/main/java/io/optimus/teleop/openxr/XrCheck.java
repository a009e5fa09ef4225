package io.optimus.teleop.openxr;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import org.lwjgl.openxr.XR10;

/** Turns OpenXR result codes into exceptions naming the call and the result. */
final class XrCheck {
  private static final Map<Integer, String> NAMES = names();

  private XrCheck() {}

  /** Returns {@code result} when it is a success code (>= 0), otherwise throws. */
  static int check(int result, String call) {
    if (result < 0) {
      throw new OpenXrException(call + " failed: " + name(result), result);
    }
    return result;
  }

  static String name(int result) {
    return NAMES.getOrDefault(result, "XrResult " + result);
  }

  private static Map<Integer, String> names() {
    Map<Integer, String> m = new HashMap<>();
    for (Field f : XR10.class.getFields()) {
      if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())
          && (f.getName().startsWith("XR_ERROR_") || f.getName().equals("XR_SUCCESS")
              || f.getName().startsWith("XR_SESSION_") && !f.getName().startsWith("XR_SESSION_STATE")
              || f.getName().equals("XR_EVENT_UNAVAILABLE") || f.getName().equals("XR_TIMEOUT_EXPIRED"))) {
        try {
          m.putIfAbsent(f.getInt(null), f.getName());
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    return m;
  }
}

package io.optimus.teleop.openxr;

import java.nio.file.Path;

/**
 * How to start the OpenXR client. {@code headless} asks for XR_MND_headless (no graphics, no view);
 * otherwise {@code view} renders the headset view. {@code runtimeJson}, when set, is exported as
 * XR_RUNTIME_JSON before the loader starts.
 */
public record OpenXrOptions(String applicationName, boolean headless, boolean handTracking, Path runtimeJson,
    HeadsetView view) {

  public static OpenXrOptions headlessDefaults() {
    return new OpenXrOptions("optimus-teleop", true, true, null, null);
  }

  public OpenXrOptions withRuntimeJson(Path manifest) {
    return new OpenXrOptions(applicationName, headless, handTracking, manifest, view);
  }

  public OpenXrOptions withHandTracking(boolean on) {
    return new OpenXrOptions(applicationName, headless, on, runtimeJson, view);
  }

  public static OpenXrOptions withView(HeadsetView view) {
    return new OpenXrOptions("optimus-teleop", false, true, null, view);
  }
}

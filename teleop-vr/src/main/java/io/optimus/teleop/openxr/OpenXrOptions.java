package io.optimus.teleop.openxr;

import java.nio.file.Path;

/**
 * How to start the OpenXR client. {@code headless} asks for XR_MND_headless (no graphics, no view,
 * no frame loop: the client paces itself at {@code headlessRateHz}); otherwise {@code view} renders
 * the headset view and xrWaitFrame paces. {@code runtimeJson}, when set, is exported as
 * XR_RUNTIME_JSON before the loader starts. {@code recoverLostSession}: a lost session (or runtime)
 * is retried until it comes back, instead of ending the stream.
 */
public record OpenXrOptions(String applicationName, boolean headless, boolean handTracking, Path runtimeJson,
    HeadsetView view, double headlessRateHz, boolean recoverLostSession) {
  public static final double DEFAULT_HEADLESS_RATE_HZ = 90;

  public static OpenXrOptions headlessDefaults() {
    return new OpenXrOptions("optimus-teleop", true, true, null, null, DEFAULT_HEADLESS_RATE_HZ, true);
  }

  public OpenXrOptions withRuntimeJson(Path manifest) {
    return new OpenXrOptions(applicationName, headless, handTracking, manifest, view, headlessRateHz, recoverLostSession);
  }

  public OpenXrOptions withHandTracking(boolean on) {
    return new OpenXrOptions(applicationName, headless, on, runtimeJson, view, headlessRateHz, recoverLostSession);
  }

  /** The sampling rate of a headless session (it has no display to pace it). */
  public OpenXrOptions withHeadlessRate(double hz) {
    return new OpenXrOptions(applicationName, headless, handTracking, runtimeJson, view, hz, recoverLostSession);
  }

  /** Whether a lost session is retried (true) or ends the stream (false). */
  public OpenXrOptions withRecovery(boolean on) {
    return new OpenXrOptions(applicationName, headless, handTracking, runtimeJson, view, headlessRateHz, on);
  }

  public static OpenXrOptions withView(HeadsetView view) {
    return new OpenXrOptions("optimus-teleop", false, true, null, view, DEFAULT_HEADLESS_RATE_HZ, true);
  }
}

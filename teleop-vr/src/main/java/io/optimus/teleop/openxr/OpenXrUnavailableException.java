package io.optimus.teleop.openxr;

/**
 * No OpenXR runtime, or no headset behind it. The message says what was tried and how to choose a
 * runtime, because that is what the operator has to do next.
 */
public final class OpenXrUnavailableException extends OpenXrException {
  private static final long serialVersionUID = 1L;

  public static final String HOW_TO_CHOOSE =
      "Choose a runtime by setting XR_RUNTIME_JSON to its manifest (for example "
      + "XR_RUNTIME_JSON=/usr/share/openxr/1/openxr_monado.json, or SteamVR's "
      + "~/.steam/steam/steamapps/common/SteamVR/steamxr_linux64.json), or install one as the active runtime "
      + "(/etc/xdg/openxr/1/active_runtime.json or ~/.config/openxr/1/active_runtime.json), "
      + "or pass --xr-runtime FILE; start the runtime's service and connect the headset. "
      + "Without a headset use another source: --source scripted:pick-place, bvh:FILE or replay:FILE.";

  public OpenXrUnavailableException(String what, int result) {
    super(what + " (" + XrCheck.name(result) + "). " + HOW_TO_CHOOSE, result);
  }
}

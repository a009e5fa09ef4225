package io.optimus.teleop.hud;

/**
 * What the HUD shows besides the video. {@code latencyNs} < 0 means not measured yet;
 * {@code safetyMode} is the bridge's ControlMode name without its prefix (ENGAGED, HOLD, ESTOP, ...);
 * {@code recordingFailed}: the bridge's last recording stopped on its own (disk full).
 */
public record HudStatus(String robotId, boolean linkUp, long latencyNs, boolean recording, String safetyMode,
    boolean deadman, boolean recordingFailed) {

  public HudStatus(String robotId, boolean linkUp, long latencyNs, boolean recording, String safetyMode,
      boolean deadman) {
    this(robotId, linkUp, latencyNs, recording, safetyMode, deadman, false);
  }

  public static HudStatus disconnected(String robotId) {
    return new HudStatus(robotId, false, -1, false, "UNKNOWN", false);
  }
}

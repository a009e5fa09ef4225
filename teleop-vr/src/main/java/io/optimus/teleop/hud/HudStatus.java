package io.optimus.teleop.hud;

/**
 * What the HUD shows besides the video. {@code latencyNs} < 0 means not measured yet;
 * {@code safetyMode} is the bridge's ControlMode name without its prefix (ENGAGED, HOLD, ESTOP, ...);
 * {@code recordingFailed}: the bridge's last recording stopped on its own (disk full); {@code task}: the
 * task and whether it succeeded (empty: none); {@code videoP50Ns}/{@code videoP99Ns}: robot video,
 * captured to shown, < 0 before any frame was shown.
 */
public record HudStatus(String robotId, boolean linkUp, long latencyNs, boolean recording, String safetyMode,
    boolean deadman, boolean recordingFailed, String task, long videoP50Ns, long videoP99Ns) {

  public HudStatus(String robotId, boolean linkUp, long latencyNs, boolean recording, String safetyMode,
      boolean deadman, boolean recordingFailed) {
    this(robotId, linkUp, latencyNs, recording, safetyMode, deadman, recordingFailed, "", -1, -1);
  }

  public HudStatus(String robotId, boolean linkUp, long latencyNs, boolean recording, String safetyMode,
      boolean deadman) {
    this(robotId, linkUp, latencyNs, recording, safetyMode, deadman, false);
  }

  public static HudStatus disconnected(String robotId) {
    return new HudStatus(robotId, false, -1, false, "UNKNOWN", false);
  }
}

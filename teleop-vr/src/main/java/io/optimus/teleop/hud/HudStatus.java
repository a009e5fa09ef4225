package io.optimus.teleop.hud;

import io.optimus.proto.v1.BridgeStatus;
import io.optimus.proto.v1.SafetyStatus;
import io.optimus.proto.v1.TaskState;
import io.optimus.teleop.link.RobotLink;

/**
 * What the HUD shows besides the video. {@code latencyNs} < 0 means not measured yet;
 * {@code safetyMode} is the bridge's ControlMode name without its prefix (ENGAGED, HOLD, ESTOP, ...);
 * {@code recordingFailed}: the bridge's last recording stopped on its own (disk full); {@code task}: the
 * task and whether it succeeded (empty: none); {@code videoP50Ns}/{@code videoP99Ns}: robot video,
 * captured to shown, < 0 before any frame was shown; {@code clamp}: the joint the robot cannot follow the
 * operator with and why ({@link ClampedJoint#NONE} while it follows); {@code driver}: who moves the robot
 * (a policy, or the operator who took over from it; {@link Driver#OPERATOR} in plain teleoperation);
 * {@code refusal}: what the robot just refused of this operator's controls (a takeover without the deadman, an
 * e-stop reset while the fault lasts), for {@link #REFUSAL_SHOWN_NS}; empty otherwise.
 */
public record HudStatus(String robotId, boolean linkUp, long latencyNs, boolean recording, String safetyMode,
    boolean deadman, boolean recordingFailed, String task, long videoP50Ns, long videoP99Ns, ClampedJoint clamp,
    Driver driver, String refusal) {
  /** How long a refusal stays on the HUD. */
  public static final long REFUSAL_SHOWN_NS = 3_000_000_000L;

  public HudStatus {
    clamp = clamp == null ? ClampedJoint.NONE : clamp;
    driver = driver == null ? Driver.OPERATOR : driver;
    refusal = refusal == null ? "" : refusal;
  }

  public HudStatus(String robotId, boolean linkUp, long latencyNs, boolean recording, String safetyMode,
      boolean deadman, boolean recordingFailed, String task, long videoP50Ns, long videoP99Ns, ClampedJoint clamp,
      Driver driver) {
    this(robotId, linkUp, latencyNs, recording, safetyMode, deadman, recordingFailed, task, videoP50Ns, videoP99Ns,
        clamp, driver, "");
  }

  public HudStatus(String robotId, boolean linkUp, long latencyNs, boolean recording, String safetyMode,
      boolean deadman, boolean recordingFailed, String task, long videoP50Ns, long videoP99Ns, ClampedJoint clamp) {
    this(robotId, linkUp, latencyNs, recording, safetyMode, deadman, recordingFailed, task, videoP50Ns, videoP99Ns,
        clamp, Driver.OPERATOR);
  }

  public HudStatus(String robotId, boolean linkUp, long latencyNs, boolean recording, String safetyMode,
      boolean deadman, boolean recordingFailed, String task, long videoP50Ns, long videoP99Ns) {
    this(robotId, linkUp, latencyNs, recording, safetyMode, deadman, recordingFailed, task, videoP50Ns, videoP99Ns,
        ClampedJoint.NONE);
  }

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

  /**
   * The status from what the robot last published to {@code link} (safety, bridge status, task), with the
   * video's latency figures ({@code < 0}: none yet).
   */
  public static HudStatus of(RobotLink link, String robotId, long videoP50Ns, long videoP99Ns) {
    SafetyStatus s = link.safety();
    BridgeStatus b = link.bridge();
    TaskState t = link.task();
    String mode = s == null ? "UNKNOWN" : s.getMode().name().replace("CONTROL_MODE_", "");
    return new HudStatus(robotId, link.connected() && (b == null || b.getOnline()), link.latencyNs(),
        b != null && b.getRecording(), mode, s != null && s.getDeadman(),
        b != null && !b.getRecordingError().isEmpty(),
        t == null ? "" : t.getTask() + (t.getSuccess() ? " ✓" : ""), videoP50Ns, videoP99Ns, ClampedJoint.of(s),
        Driver.of(b, link.state()), refusal(link.lastReply(), link.lastReplyAgeNs()));
  }

  /**
   * The refusal to show: the bridge answers an operator's event (takeover, hand-back, e-stop reset) on
   * control/reply as {@code operator-event-ID}; a refused one arrived {@code ageNs} ago is shown for
   * {@link #REFUSAL_SHOWN_NS}. Empty otherwise.
   */
  static String refusal(io.optimus.proto.v1.ControlReply r, long ageNs) {
    return r != null && !r.getOk() && r.getRequestId().startsWith("operator-event-") && ageNs < REFUSAL_SHOWN_NS
        ? r.getMessage() : "";
  }
}

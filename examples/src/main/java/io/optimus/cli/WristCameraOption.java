package io.optimus.cli;

import io.optimus.motion.model.CameraSize;
import io.optimus.motion.model.RobotRig;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The {@code --wrist-camera} option of every command that runs a simulated robot: {@code @Mixin WristCameraOption wrist}. */
public final class WristCameraOption {
  @Option(names = "--wrist-camera", defaultValue = "96x96", paramLabel = "WxH[@FOV]|off",
      description = "Wrist cameras (models with left/right_wrist_camera frames): size in pixels and optional vertical"
          + " field of view in degrees (default ${DEFAULT-VALUE}@90), or off.")
  String spec = "96x96";

  /** The size asked for, null for off; a malformed one is a one-line InputException naming the option. */
  public CameraSize size() {
    if (spec.trim().toLowerCase(Locale.ROOT).equals("off")) {
      return null;
    }
    return CameraSize.parse("--wrist-camera", spec, RobotRig.DEFAULT_WRIST_CAMERA.verticalFovRad());
  }

  /** {@code rig} with these wrist cameras. */
  public RobotRig apply(RobotRig rig) {
    return rig.withWristCamera(size());
  }
}

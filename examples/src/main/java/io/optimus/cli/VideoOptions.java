package io.optimus.cli;

import io.optimus.bridge.video.VideoConfig;
import io.optimus.common.InputException;
import io.optimus.motion.model.CameraSize;
import picocli.CommandLine.Option;

/** The robot-video options ({@code @Mixin VideoOptions video}): stereo eye size, wrist size, rate, IPD, JPEG quality, threads. */
public final class VideoOptions {
  @Option(names = "--video-eye", defaultValue = "640x480@60", paramLabel = "WxH[@FOV]",
      description = "Each stereo eye's image size and vertical field of view in degrees (default ${DEFAULT-VALUE}).")
  String eye = "640x480@60";

  @Option(names = "--video-wrist", defaultValue = "320x240@90", paramLabel = "WxH[@FOV]|off",
      description = "Wrist views' size, or off (default ${DEFAULT-VALUE}).")
  String wrist = "320x240@90";

  @Option(names = "--video-rate", defaultValue = "30", paramLabel = "HZ",
      description = "Video frame rate in Hz (default ${DEFAULT-VALUE}).")
  double rateHz = 30;

  @Option(names = "--video-ipd", defaultValue = "0.063", paramLabel = "M",
      description = "Distance between the stereo eyes in metres (default ${DEFAULT-VALUE}).")
  double ipdM = VideoConfig.HUMAN_IPD_M;

  @Option(names = "--video-quality", defaultValue = "80", paramLabel = "1-100",
      description = "JPEG quality (default ${DEFAULT-VALUE}).")
  int quality = 80;

  @Option(names = "--video-threads", defaultValue = "1", paramLabel = "N",
      description = "Threads rendering and encoding the cameras in turn, 1-8 (default ${DEFAULT-VALUE}).")
  int threads = VideoConfig.DEFAULT_THREADS;

  /** The configuration; a bad value is a one-line InputException naming the option. */
  public VideoConfig config() {
    CameraSize e = CameraSize.parse("--video-eye", eye, VideoConfig.DEFAULT_EYE.verticalFovRad());
    CameraSize w = "off".equalsIgnoreCase(wrist) ? null
        : CameraSize.parse("--video-wrist", wrist, VideoConfig.DEFAULT_WRIST.verticalFovRad());
    try {
      return new VideoConfig(rateHz, e, ipdM, w, quality, threads);
    } catch (InputException ex) {
      throw new InputException("video options: " + ex.getMessage());
    }
  }
}

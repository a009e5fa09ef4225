package io.optimus.bridge.video;

import io.optimus.common.InputException;
import io.optimus.motion.model.CameraSize;

/**
 * The robot's video for people: a stereo pair at the head camera (two eyes {@code ipdM} apart, each
 * {@code eye} in size) and the wrist cameras at {@code wrist} (null: none), at {@code rateHz}, JPEG at
 * {@code jpegQuality} (1-100), rendered and encoded by {@code threads} worker threads (1-8).
 */
public record VideoConfig(double rateHz, CameraSize eye, double ipdM, CameraSize wrist, int jpegQuality, int threads) {
  /** A human's interpupillary distance (the adult mean is about 63 mm). */
  public static final double HUMAN_IPD_M = 0.063;
  /** Each eye 640x480 with a 60 degree vertical field of view (75 degrees across). */
  public static final CameraSize DEFAULT_EYE = new CameraSize(640, 480, Math.toRadians(60));
  /** Wrist views are insets: 320x240, as wide as the training wrist cameras (90 degrees). */
  public static final CameraSize DEFAULT_WRIST = new CameraSize(320, 240, Math.toRadians(90));
  /**
   * One thread renders and encodes every camera in turn (about 9 ms of CPU a round at the defaults): on
   * two cores the control loop keeps one to itself (bench video-latency, benchmarks/video.md).
   */
  public static final int DEFAULT_THREADS = 1;

  public VideoConfig {
    if (!(rateHz > 0 && rateHz <= 120)) {
      throw new InputException("video rate " + rateHz + " Hz is out of range 0-120");
    }
    if (eye == null) {
      throw new InputException("video needs an eye size");
    }
    if (!(ipdM >= 0 && ipdM <= 0.2)) {
      throw new InputException("video IPD " + ipdM + " m is out of range 0-0.2");
    }
    if (jpegQuality < 1 || jpegQuality > 100) {
      throw new InputException("JPEG quality " + jpegQuality + " is out of range 1-100");
    }
    if (threads < 1 || threads > 8) {
      throw new InputException("video threads " + threads + " is out of range 1-8");
    }
  }

  /** With {@link #DEFAULT_THREADS} worker threads. */
  public VideoConfig(double rateHz, CameraSize eye, double ipdM, CameraSize wrist, int jpegQuality) {
    this(rateHz, eye, ipdM, wrist, jpegQuality, DEFAULT_THREADS);
  }

  /** 30 Hz, 640x480 per eye at a human IPD, 320x240 wrists, JPEG quality 80. */
  public static VideoConfig defaults() {
    return new VideoConfig(30, DEFAULT_EYE, HUMAN_IPD_M, DEFAULT_WRIST, 80);
  }

  public VideoConfig withRate(double hz) {
    return new VideoConfig(hz, eye, ipdM, wrist, jpegQuality, threads);
  }

  public VideoConfig withEye(CameraSize size) {
    return new VideoConfig(rateHz, size, ipdM, wrist, jpegQuality, threads);
  }

  /** Wrist views at {@code size}; null for none. */
  public VideoConfig withWrist(CameraSize size) {
    return new VideoConfig(rateHz, eye, ipdM, size, jpegQuality, threads);
  }

  public VideoConfig withThreads(int n) {
    return new VideoConfig(rateHz, eye, ipdM, wrist, jpegQuality, n);
  }
}

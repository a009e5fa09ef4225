package io.optimus.motion.dataset.lerobot;

/** An exported camera: its name and the one image size LeRobot's video feature declares. */
record CameraSpec(String name, int width, int height) {
  String key() {
    return LeRobotLayout.videoKey(name);
  }
}

package io.optimus.motion.record;

import io.optimus.common.InputException;
import java.util.regex.Pattern;

/**
 * Channel topics inside an episode file. They mirror the MQTT topic layout of the bridge
 * ({@code optimus/v1/{robotId}/state} is recorded as {@code /state}), so a recording reads like the
 * live system; plus the episode's own header and outcome channels.
 */
public final class EpisodeTopics {
  public static final String STATE = "/state";                // JointState, control rate
  public static final String COMMAND = "/command";            // JointCommand from external commanders
  public static final String OPERATOR = "/operator";          // OperatorFrame
  public static final String CAMERA_PREFIX = "/camera/";      // CameraFrame, one channel per camera
  public static final String TASK = "/task";                  // TaskState
  public static final String SAFETY = "/safety";              // SafetyStatus
  public static final String SAFETY_EVENT = "/safety/event";  // SafetyEvent
  public static final String ANNOTATION = "/annotation";      // Annotation
  public static final String HEADER = "/episode/header";      // EpisodeHeader, once at the start
  public static final String OUTCOME = "/episode/outcome";    // EpisodeOutcomeRecord, once at the end

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private EpisodeTopics() {}

  public static String camera(String cameraName) {
    if (cameraName == null || !NAME.matcher(cameraName).matches()) {
      throw new InputException("camera name '" + cameraName + "' is invalid: use 1-64 characters of A-Z a-z 0-9 _ . -");
    }
    return CAMERA_PREFIX + cameraName;
  }

  public static boolean isCamera(String topic) {
    return topic.startsWith(CAMERA_PREFIX);
  }

  /** The camera name of a camera topic. */
  public static String cameraName(String topic) {
    return topic.substring(CAMERA_PREFIX.length());
  }
}

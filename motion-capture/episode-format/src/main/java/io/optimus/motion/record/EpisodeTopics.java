package io.optimus.motion.record;

import io.optimus.common.InputException;
import java.util.regex.Pattern;

/**
 * Channel topics inside an episode file. They mirror the MQTT topic layout of the bridge
 * ({@code optimus/v1/{robotId}/state} is recorded as {@code /state}), so a recording reads like the
 * live system; plus the episode's own header and outcome channels, and per camera a Foxglove view of
 * its frames ({@code /camera/head/image}, foxglove.RawImage; {@code /camera/head/compressed},
 * foxglove.CompressedImage), derived from {@code /camera/head} so Foxglove's Image panel can show it.
 * The views are copies for viewing only: {@link #isCamera} is false for them, so readers never count
 * them as cameras.
 */
public final class EpisodeTopics {
  public static final String STATE = "/state";                // JointState, control rate
  public static final String COMMAND = "/command";            // JointCommand from external commanders
  public static final String OPERATOR = "/operator";          // OperatorFrame
  public static final String CAMERA_PREFIX = "/camera/";      // CameraFrame, one channel per camera
  public static final String IMAGE_SUFFIX = "/image";         // after a camera topic: foxglove.RawImage view
  public static final String COMPRESSED_SUFFIX = "/compressed"; // after a camera topic: foxglove.CompressedImage view
  public static final String TASK = "/task";                  // TaskState
  public static final String SAFETY = "/safety";              // SafetyStatus
  public static final String SAFETY_EVENT = "/safety/event";  // SafetyEvent
  public static final String ANNOTATION = "/annotation";      // Annotation
  public static final String HEADER = "/episode/header";      // EpisodeHeader, once at the start
  public static final String OUTCOME = "/episode/outcome";    // EpisodeOutcomeRecord, once at the end

  // The Foxglove 3D scene, derived on the writer thread (EpisodeViews) when the recorder has the views on.
  public static final String TF = "/tf";                      // foxglove.FrameTransforms: world -> base -> links, cameras
  public static final String SCENE_ROBOT = "/scene/robot";    // foxglove.SceneUpdate: link geometry (at start, re-sent 1 Hz)
  public static final String SCENE_WORLD = "/scene/world";    // foxglove.SceneUpdate: the table (at start, re-sent 1 Hz)
  public static final String SCENE_OBJECTS = "/scene/objects"; // foxglove.SceneUpdate: task objects and target area
  public static final String OPERATOR_HEAD = "/operator/head";             // foxglove.PoseInFrame, frame "operator"
  public static final String OPERATOR_LEFT_HAND = "/operator/left_hand";   // foxglove.PoseInFrame (grip pose)
  public static final String OPERATOR_RIGHT_HAND = "/operator/right_hand"; // foxglove.PoseInFrame (grip pose)
  public static final String OPERATOR_HAND_JOINTS = "/operator/hand_joints"; // foxglove.PosesInFrame: tracked hand joints
  public static final String OPERATOR_BODY_JOINTS = "/operator/body_joints"; // foxglove.PosesInFrame: body joints with confidence > 0
  public static final String LATENCY = "/latency";            // StageLatency per recorded state (at the /tf rate)
  public static final String CALIBRATION_SUFFIX = "/calibration"; // after a camera topic: foxglove.CameraCalibration
  public static final String ROBOT_DESCRIPTION = "/robot_description"; // UrdfText: the display URDF (start, every 10 s)
  /** The fixed frame of the scene (z up, on the floor between the robot's feet at the start). */
  public static final String WORLD_FRAME = "world";
  /** The operator's tracking space, hung from the world at identity (its poses overlay the robot). */
  public static final String OPERATOR_FRAME = "operator";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private EpisodeTopics() {}

  public static String camera(String cameraName) {
    if (cameraName == null || !NAME.matcher(cameraName).matches()) {
      throw new InputException("camera name '" + cameraName + "' is invalid: use 1-64 characters of A-Z a-z 0-9 _ . -");
    }
    return CAMERA_PREFIX + cameraName;
  }

  /** Foxglove raw-image view of camera {@code cameraName}: {@code /camera/{name}/image}. */
  public static String cameraImage(String cameraName) {
    return camera(cameraName) + IMAGE_SUFFIX;
  }

  /** Foxglove compressed-image view of camera {@code cameraName}: {@code /camera/{name}/compressed}. */
  public static String cameraCompressed(String cameraName) {
    return camera(cameraName) + COMPRESSED_SUFFIX;
  }

  /** Foxglove calibration of camera {@code cameraName}: {@code /camera/{name}/calibration}. */
  public static String cameraCalibration(String cameraName) {
    return camera(cameraName) + CALIBRATION_SUFFIX;
  }

  /**
   * The transform frame of camera {@code cameraName}'s images: {@code {name}_camera} (optical: x right,
   * y down, z forward), the robot model's link of that name where it has one ("head" -> head_camera).
   */
  public static String cameraFrame(String cameraName) {
    return cameraName + "_camera";
  }

  /** A camera's own channel (CameraFrame), not one of its Foxglove views. */
  public static boolean isCamera(String topic) {
    return topic.startsWith(CAMERA_PREFIX) && topic.indexOf('/', CAMERA_PREFIX.length()) < 0;
  }

  /** A Foxglove view derived from a camera channel ({@link #cameraImage}, {@link #cameraCompressed}, {@link #cameraCalibration}). */
  public static boolean isCameraView(String topic) {
    if (!topic.startsWith(CAMERA_PREFIX)) {
      return false;
    }
    int slash = topic.indexOf('/', CAMERA_PREFIX.length());
    return slash > CAMERA_PREFIX.length() && topic.indexOf('/', slash + 1) < 0
        && (topic.endsWith(IMAGE_SUFFIX) || topic.endsWith(COMPRESSED_SUFFIX) || topic.endsWith(CALIBRATION_SUFFIX));
  }

  /** The camera name of a camera topic or of one of its views. */
  public static String cameraName(String topic) {
    int slash = topic.indexOf('/', CAMERA_PREFIX.length());
    return topic.substring(CAMERA_PREFIX.length(), slash < 0 ? topic.length() : slash);
  }
}

package io.optimus.bridge.mqtt;

import io.optimus.common.InputException;
import java.util.regex.Pattern;

/**
 * The MQTT topic layout, versioned under {@code optimus/v1}. Payloads are the {@code proto} messages
 * named beside each topic. Robot and operator ids are restricted so they can never inject a wildcard
 * or a level separator.
 *
 * <pre>
 * optimus/v1/{robotId}/operator          OperatorFrame     QoS 0, message expiry (stale frames dropped)
 * optimus/v1/{robotId}/command           JointCommand      QoS 0 (external commanders, e.g. policies)
 * optimus/v1/{robotId}/shadow            ShadowPrediction  QoS 0 (a shadow policy: recorded, never actuated)
 * optimus/v1/{robotId}/state             JointState        QoS 0, at control rate
 * optimus/v1/{robotId}/camera/{name}     CameraFrame       QoS 0
 * optimus/v1/{robotId}/video/{name}      VideoFrame        QoS 0 (JPEG for people: stereo head, wrists)
 * optimus/v1/{robotId}/task              TaskState         QoS 0
 * optimus/v1/{robotId}/safety            SafetyStatus      QoS 1, retained
 * optimus/v1/{robotId}/safety/event      SafetyEvent       QoS 1
 * optimus/v1/{robotId}/control           ControlRequest    QoS 1
 * optimus/v1/{robotId}/control/reply     ControlReply      QoS 1
 * optimus/v1/{robotId}/description       RobotDescription  QoS 1, retained
 * optimus/v1/{robotId}/status            BridgeStatus      QoS 1, retained; the bridge's Last Will
 * optimus/v1/operators/{operatorId}/status OperatorStatus  QoS 1, retained; the operator's Last Will
 * optimus/v1/{robotId}/supervise/{user}  ControlRequest    QoS 1; a supervisor's e-stop or e-stop reset, its
 *                                                          identity the topic's last level (the broker ties it to the login)
 * </pre>
 */
public final class Topics {
  public static final String PREFIX = "optimus/v1";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private Topics() {}

  /** Throws a clear error unless {@code id} is 1-64 of [A-Za-z0-9_.-] (and not "operators"). */
  public static String checkId(String kind, String id) {
    if (id == null || !ID.matcher(id).matches() || id.equals("operators") || id.equals(".") || id.equals("..")) {
      throw new InputException(kind + " id '" + id + "' is invalid: use 1-64 characters of A-Z a-z 0-9 _ . -");
    }
    return id;
  }

  public static String robot(String robotId) {
    return PREFIX + "/" + checkId("robot", robotId);
  }

  public static String operator(String robotId) {
    return robot(robotId) + "/operator";
  }

  public static String command(String robotId) {
    return robot(robotId) + "/command";
  }

  /** A shadow policy's predictions: the bridge records them beside the human's commands, never actuates them. */
  public static String shadow(String robotId) {
    return robot(robotId) + "/shadow";
  }

  public static String state(String robotId) {
    return robot(robotId) + "/state";
  }

  public static String camera(String robotId, String cameraName) {
    return robot(robotId) + "/camera/" + checkId("camera", cameraName);
  }

  public static String video(String robotId, String cameraName) {
    return robot(robotId) + "/video/" + checkId("camera", cameraName);
  }

  public static String task(String robotId) {
    return robot(robotId) + "/task";
  }

  public static String safety(String robotId) {
    return robot(robotId) + "/safety";
  }

  public static String safetyEvent(String robotId) {
    return robot(robotId) + "/safety/event";
  }

  public static String control(String robotId) {
    return robot(robotId) + "/control";
  }

  public static String controlReply(String robotId) {
    return robot(robotId) + "/control/reply";
  }

  public static String description(String robotId) {
    return robot(robotId) + "/description";
  }

  public static String status(String robotId) {
    return robot(robotId) + "/status";
  }

  public static String operatorStatus(String operatorId) {
    return PREFIX + "/operators/" + checkId("operator", operatorId) + "/status";
  }

  /** Where supervisor {@code user} e-stops and resets robot {@code robotId} (the topic names the supervisor). */
  public static String supervise(String robotId, String user) {
    return robot(robotId) + "/supervise/" + checkId("user", user);
  }

  /** The bridge's filter for every supervisor of {@code robotId}. */
  public static String superviseAll(String robotId) {
    return robot(robotId) + "/supervise/+";
  }

  /** The supervisor a {@link #supervise} topic names (its last level), or null when it is not one of {@code robotId}'s. */
  public static String supervisor(String robotId, String topic) {
    String prefix = robot(robotId) + "/supervise/";
    if (!topic.startsWith(prefix)) {
      return null;
    }
    String user = topic.substring(prefix.length());
    return ID.matcher(user).matches() && !user.equals(".") && !user.equals("..") ? user : null;
  }

  /** MQTT topic filter matching ({@code +} one level, {@code #} the rest). */
  public static boolean matches(String filter, String topic) {
    int f = 0;
    int t = 0;
    int fl = filter.length();
    int tl = topic.length();
    while (f < fl) {
      char c = filter.charAt(f);
      if (c == '#') {
        return true;
      }
      if (c == '+') {
        while (t < tl && topic.charAt(t) != '/') {
          t++;
        }
        f++;
        continue;
      }
      if (t >= tl) {
        // "a/#" also matches "a"
        return filter.startsWith("/#", f);
      }
      if (c != topic.charAt(t)) {
        return false;
      }
      f++;
      t++;
    }
    return t == tl;
  }
}

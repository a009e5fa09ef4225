package io.optimus.bridge.mqtt.auth;

import io.optimus.bridge.mqtt.Topics;
import java.util.ArrayList;
import java.util.List;

/**
 * What a broker user may do, per robot (see {@code Topics} for the layout). Default deny: these
 * grants are all a user gets; shared subscriptions and retained commands are never granted.
 *
 * <pre>
 * bridge    of R: publish R/state, camera/+, video/+, task, safety/event, control/reply; retained R/safety,
 *                 R/description, R/status; subscribe R/operator, R/command, R/shadow, R/control,
 *                 R/supervise/+, operators/+/status
 * operator  of R: publish R/operator, R/control; retained operators/USER/status;
 *                 subscribe R's robot view (below)
 * policy    of R: publish R/command, R/shadow, R/control; subscribe R's robot view
 * observer  of R: subscribe R's robot view and operators/+/status; publishes nothing
 * supervisor of R: publish R/supervise/USER (e-stop and e-stop reset only); subscribe R's robot view
 *                 and operators/+/status
 * robot view:     R/state, camera/+, video/+, task, safety, safety/event, status, description, control/reply
 * </pre>
 */
public enum Role {
  BRIDGE, OPERATOR, POLICY, OBSERVER, SUPERVISOR;

  /** Robot ids value meaning "every robot" (observers and supervisors only). */
  public static final String ALL_ROBOTS = "*";

  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Role parse(String s) {
    for (Role r : values()) {
      if (r.id().equals(s)) {
        return r;
      }
    }
    throw new IllegalArgumentException("role '" + s + "' is unknown: use bridge, operator, policy, observer or supervisor");
  }

  /** The grants of {@code user} in this role on {@code robots} (robot ids, or {@link #ALL_ROBOTS}). */
  public List<TopicGrant> grants(String user, List<String> robots) {
    List<TopicGrant> g = new ArrayList<>();
    for (String robot : robots) {
      String r = robot.equals(ALL_ROBOTS) ? Topics.PREFIX + "/+" : Topics.robot(robot);
      switch (this) {
        case BRIDGE -> {
          for (String t : List.of("state", "camera/+", "video/+", "task", "safety/event", "control/reply")) {
            g.add(TopicGrant.write(r + "/" + t));
          }
          for (String t : List.of("safety", "description", "status")) {
            g.add(TopicGrant.writeRetained(r + "/" + t));
          }
          for (String t : List.of("operator", "command", "shadow", "control", "supervise/+")) {
            g.add(TopicGrant.read(r + "/" + t));
          }
        }
        case OPERATOR -> {
          g.add(TopicGrant.write(r + "/operator"));
          g.add(TopicGrant.write(r + "/control"));
          robotView(r, g);
        }
        case POLICY -> {
          g.add(TopicGrant.write(r + "/command"));
          g.add(TopicGrant.write(r + "/shadow"));
          g.add(TopicGrant.write(r + "/control"));
          robotView(r, g);
        }
        case OBSERVER -> robotView(r, g);
        case SUPERVISOR -> {
          g.add(TopicGrant.write(r + "/supervise/" + Topics.checkId("user", user)));
          robotView(r, g);
        }
      }
    }
    switch (this) {
      case BRIDGE, OBSERVER, SUPERVISOR -> g.add(TopicGrant.read(Topics.PREFIX + "/operators/+/status"));
      case OPERATOR -> g.add(TopicGrant.writeRetained(Topics.operatorStatus(user)));
      case POLICY -> { }
    }
    return List.copyOf(g);
  }

  private static void robotView(String r, List<TopicGrant> g) {
    for (String t : List.of("state", "camera/+", "video/+", "task", "safety", "safety/event", "status", "description",
        "control/reply")) {
      g.add(TopicGrant.read(r + "/" + t));
    }
  }
}

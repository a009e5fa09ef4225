package io.optimus.bridge.mqtt.auth;

import io.optimus.bridge.mqtt.Topics;
import java.util.List;

/**
 * One broker login: its name (also the client id prefix, see {@link BrokerUsers#clientIdAllowed}),
 * its role and the robots it may act on.
 */
public record BrokerUser(String name, Role role, List<String> robots, PasswordHash password) {
  public BrokerUser {
    Topics.checkId("user", name);
    robots = List.copyOf(robots);
    if (robots.isEmpty()) {
      throw new IllegalArgumentException("user " + name + " has no robot: give robot ids (r1,r2) or *");
    }
    for (String r : robots) {
      if (r.equals(Role.ALL_ROBOTS)) {
        if ((role != Role.OBSERVER && role != Role.SUPERVISOR) || robots.size() > 1) {
          throw new IllegalArgumentException("user " + name + ": '*' (every robot) is for a lone observer or"
              + " supervisor only; a " + role.id() + " names its robots");
        }
      } else {
        Topics.checkId("robot", r);
      }
    }
    if (role == Role.BRIDGE && robots.size() != 1) {
      throw new IllegalArgumentException("user " + name + ": a bridge is one robot, not " + robots.size());
    }
  }

  public List<TopicGrant> grants() {
    return role.grants(name, robots);
  }

  public BrokerUser withPassword(PasswordHash p) {
    return new BrokerUser(name, role, robots, p);
  }
}

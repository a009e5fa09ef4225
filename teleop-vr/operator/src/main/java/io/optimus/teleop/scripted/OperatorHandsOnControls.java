package io.optimus.teleop.scripted;

import io.optimus.proto.v1.ControlMode;

/**
 * What a scripted operator's thumbs do, shared by the planners: the deadman held at a level the
 * planner sets, pressed again when the robot did not take it (released for a moment, as a person
 * would), and the record / success / failure buttons held down for {@link PickPlacePlanner#PRESS_S}.
 * Random draws come from the planner's own seeded stream, so a planner stays reproducible.
 */
final class OperatorHandsOnControls {
  static final int RECORD = 1;
  static final int SUCCESS = 2;
  static final int FAILURE = 3;

  private final HumanMotion human;
  private double deadmanLevel;
  private double notEngagedSince = -1;
  private double releaseUntil;
  private double pressUntil;
  private int pressing; // 0 none, or RECORD, SUCCESS, FAILURE

  OperatorHandsOnControls(HumanMotion human) {
    this.human = human;
  }

  /** How far the deadman is pushed (0-1); held from 0.5 up. */
  void deadman(double level) {
    deadmanLevel = level;
  }

  /** Presses {@code button} at {@code t} for {@link PickPlacePlanner#PRESS_S}. */
  void press(double t, int button) {
    pressing = button;
    pressUntil = t + PickPlacePlanner.PRESS_S;
  }

  /** Writes this tick's buttons and deadman into {@code out}, given the robot's mode. */
  void apply(double t, ControlMode robotMode, PickPlacePlanner.Output out) {
    out.recordButton = pressing == RECORD && t < pressUntil;
    out.successButton = pressing == SUCCESS && t < pressUntil;
    out.failureButton = pressing == FAILURE && t < pressUntil;
    boolean want = deadmanLevel >= 0.5;
    if (want && robotMode == ControlMode.CONTROL_MODE_DISENGAGED && t >= releaseUntil) {
      if (notEngagedSince < 0) {
        notEngagedSince = t;
      } else if (t - notEngagedSince > 0.7) { // the robot did not take the press: release, press again
        releaseUntil = t + 0.25 + 0.15 * human.uniform();
        notEngagedSince = -1;
      }
    } else if (robotMode != ControlMode.CONTROL_MODE_DISENGAGED) {
      notEngagedSince = -1;
    }
    out.deadman = want && t >= releaseUntil;
  }
}

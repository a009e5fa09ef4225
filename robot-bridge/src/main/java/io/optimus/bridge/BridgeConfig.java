package io.optimus.bridge;

import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.common.InputException;
import java.nio.file.Path;

/**
 * How a bridge runs.
 *
 * @param controlRateHz control loop rate (default 250)
 * @param stateEvery publish JointState every this many ticks (1 = at control rate)
 * @param cameraRateHz head camera rate; 0 turns the camera off
 * @param task task world ("pick-place"), or null for none
 * @param recordDir where recorded episodes go, or null when recording is off
 * @param unattended engage without an operator (simulated bodies only: policy evaluation, replay)
 * @param syncToOperator phase-lock the control ticks to operator frame arrivals (see ControlLoop)
 * @param world the simulated world by name ({@link SimulatedWorlds}: physics or kinematic)
 */
public record BridgeConfig(String robotId, double controlRateHz, int stateEvery, double cameraRateHz,
    double taskRateHz, double statusRateHz, String task, long seed, double tableTop, Path recordDir,
    boolean unattended, String initialSource, boolean syncToOperator, String world) {

  public BridgeConfig {
    Topics.checkId("robot", robotId);
    if (!(controlRateHz >= 1 && controlRateHz <= 2000)) {
      throw new InputException("control rate " + controlRateHz + " Hz is out of range 1-2000");
    }
    if (!(cameraRateHz >= 0 && cameraRateHz <= 120)) {
      throw new InputException("camera rate " + cameraRateHz + " Hz is out of range 0-120");
    }
    SimulatedWorlds.check(world);
  }

  public static BridgeConfig defaults(String robotId) {
    return new BridgeConfig(robotId, 250, 1, 10, 10, 10, "pick-place", 1, 0.9, null, false, "teleop", false,
        SimulatedWorlds.DEFAULT);
  }

  public BridgeConfig withRate(double hz) {
    return new BridgeConfig(robotId, hz, stateEvery, cameraRateHz, taskRateHz, statusRateHz, task, seed, tableTop,
        recordDir, unattended, initialSource, syncToOperator, world);
  }

  public BridgeConfig withCamera(double hz) {
    return new BridgeConfig(robotId, controlRateHz, stateEvery, hz, taskRateHz, statusRateHz, task, seed, tableTop,
        recordDir, unattended, initialSource, syncToOperator, world);
  }

  public BridgeConfig withTask(String t, long s) {
    return new BridgeConfig(robotId, controlRateHz, stateEvery, cameraRateHz, taskRateHz, statusRateHz, t, s,
        tableTop, recordDir, unattended, initialSource, syncToOperator, world);
  }

  public BridgeConfig withRecordDir(Path dir) {
    return new BridgeConfig(robotId, controlRateHz, stateEvery, cameraRateHz, taskRateHz, statusRateHz, task, seed,
        tableTop, dir, unattended, initialSource, syncToOperator, world);
  }

  public BridgeConfig withUnattended(boolean u) {
    return new BridgeConfig(robotId, controlRateHz, stateEvery, cameraRateHz, taskRateHz, statusRateHz, task, seed,
        tableTop, recordDir, u, initialSource, syncToOperator, world);
  }

  public BridgeConfig withSource(String s) {
    return new BridgeConfig(robotId, controlRateHz, stateEvery, cameraRateHz, taskRateHz, statusRateHz, task, seed,
        tableTop, recordDir, unattended, s, syncToOperator, world);
  }

  public BridgeConfig withStateEvery(int n) {
    return new BridgeConfig(robotId, controlRateHz, n, cameraRateHz, taskRateHz, statusRateHz, task, seed, tableTop,
        recordDir, unattended, initialSource, syncToOperator, world);
  }

  public BridgeConfig withSyncToOperator(boolean on) {
    return new BridgeConfig(robotId, controlRateHz, stateEvery, cameraRateHz, taskRateHz, statusRateHz, task, seed,
        tableTop, recordDir, unattended, initialSource, on, world);
  }

  /** The simulated world by name ({@link SimulatedWorlds#NAMES}). */
  public BridgeConfig withWorld(String w) {
    return new BridgeConfig(robotId, controlRateHz, stateEvery, cameraRateHz, taskRateHz, statusRateHz, task, seed,
        tableTop, recordDir, unattended, initialSource, syncToOperator, w);
  }
}

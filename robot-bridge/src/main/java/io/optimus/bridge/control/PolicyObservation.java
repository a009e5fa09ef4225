package io.optimus.bridge.control;

import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.TaskState;

/**
 * What a policy sees: measured joint positions and velocities (q order, copies), the last safe
 * command, the newest head-camera image and task state (null when absent).
 */
public record PolicyObservation(long stampNs, double[] position, double[] velocity, double[] commanded,
    CameraFrame camera, TaskState task) {}

/**
 * The robot model as Foxglove's 3D panel draws it: link frames as {@code foxglove.FrameTransforms}
 * ({@link io.optimus.motion.foxglove.RobotFrames}) and link geometry as {@code foxglove.SceneUpdate}
 * primitives ({@link io.optimus.motion.foxglove.RobotShapes}). Pure conversions; recordings wire them in.
 */
package io.optimus.motion.foxglove;

package io.optimus.teleop.openxr;

import org.lwjgl.openxr.XrInstance;
import org.lwjgl.openxr.XrSession;
import org.lwjgl.openxr.XrSpace;
import org.lwjgl.system.MemoryStack;

/**
 * What the headset shows. The OpenXR client drives it: graphics binding before the session exists,
 * swapchains once it does, one composition layer per visible frame. Only used without XR_MND_headless.
 */
public interface HeadsetView extends AutoCloseable {
  /** Instance extensions the view needs (e.g. XR_KHR_opengl_enable). */
  java.util.List<String> requiredExtensions();

  /** The address of the graphics binding struct chained into XrSessionCreateInfo. */
  long graphicsBinding(XrInstance instance, long systemId, MemoryStack stack);

  /** The session exists: create swapchains. */
  void start(XrSession session, XrSpace viewSpace);

  /** Renders this frame's layers and returns their XrCompositionLayer* addresses, back to front (none: empty). */
  org.lwjgl.PointerBuffer layers(long displayTime, MemoryStack stack);

  /** Controller vibrations due now (feedback from the robot), applied by the client before xrEndFrame. */
  default java.util.List<io.optimus.teleop.controls.HapticCues.Pulse> haptics() {
    return java.util.List.of();
  }

  /** xrEndFrame returned for the frame whose layers were the last asked for (at these monotonic and wall ns). */
  default void submitted(long monoNs, long wallNs) {}

  /**
   * The session was lost: destroy its swapchains before it goes ({@code handlesGone}: the lost instance
   * already took them; just forget them). {@link #graphicsBinding} and {@link #start} follow for a new one.
   */
  default void sessionEnded(boolean handlesGone) {}

  @Override
  void close();
}

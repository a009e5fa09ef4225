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

  /** Renders this frame's layer and returns the address of its XrCompositionLayer*, or 0 for none. */
  long layer(long displayTime, MemoryStack stack);

  @Override
  void close();
}

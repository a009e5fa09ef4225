package io.optimus.teleop.openxr;

import static io.optimus.teleop.openxr.XrCheck.check;
import static org.lwjgl.glfw.GLFW.*;
import static org.lwjgl.opengl.GL11.*;
import static org.lwjgl.openxr.XR10.*;

import io.optimus.proto.v1.BridgeStatus;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.SafetyStatus;
import io.optimus.teleop.hud.HudRenderer;
import io.optimus.teleop.hud.HudStatus;
import io.optimus.teleop.hud.HudTexture;
import io.optimus.teleop.link.RobotLink;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.List;
import org.lwjgl.PointerBuffer;
import org.lwjgl.glfw.GLFWNativeGLX;
import org.lwjgl.glfw.GLFWNativeX11;
import org.lwjgl.opengl.GL;
import org.lwjgl.opengl.GLX13;
import org.lwjgl.openxr.KHROpenGLEnable;
import org.lwjgl.openxr.XrCompositionLayerQuad;
import org.lwjgl.openxr.XrGraphicsBindingOpenGLXlibKHR;
import org.lwjgl.openxr.XrGraphicsRequirementsOpenGLKHR;
import org.lwjgl.openxr.XrInstance;
import org.lwjgl.openxr.XrSession;
import org.lwjgl.openxr.XrSpace;
import org.lwjgl.openxr.XrSwapchain;
import org.lwjgl.openxr.XrSwapchainCreateInfo;
import org.lwjgl.openxr.XrSwapchainImageAcquireInfo;
import org.lwjgl.openxr.XrSwapchainImageBaseHeader;
import org.lwjgl.openxr.XrSwapchainImageOpenGLKHR;
import org.lwjgl.openxr.XrSwapchainImageReleaseInfo;
import org.lwjgl.openxr.XrSwapchainImageWaitInfo;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.system.linux.XVisualInfo;

/**
 * The headset view over OpenGL (XR_KHR_opengl_enable, Xlib/GLX binding): a hidden GLFW window owns
 * the GL context; one swapchain holds the HUD texture ({@link HudRenderer}: head camera + status),
 * shown as a head-locked quad 1 m ahead. The texture is re-rendered only when the camera frame or
 * the status changed; otherwise the last released image is submitted again.
 *
 * <p>Not exercised by the tests: it needs a GPU, an X display and a runtime with OpenGL (the fake
 * runtime is headless). Everything it draws comes from {@link HudRenderer}, which is tested.
 */
public final class GlHeadsetView implements HeadsetView {
  static final int WIDTH = 1280;
  static final int HEIGHT = 720;
  static final float QUAD_WIDTH_M = 1.2f;
  static final float QUAD_DISTANCE_M = 1.0f;
  private static final long GL_SRGB8_ALPHA8 = 0x8C43;
  private static final long GL_RGBA8 = 0x8058;

  private final RobotLink link;
  private final String robotId;
  private final HudRenderer hud = new HudRenderer(WIDTH, HEIGHT);
  private final ByteBuffer texture = MemoryUtil.memAlloc(WIDTH * HEIGHT * 4);
  private final XrCompositionLayerQuad quad = XrCompositionLayerQuad.calloc();
  private long window;
  private XrSwapchain swapchain;
  private XrSwapchainImageOpenGLKHR.Buffer images;
  private XrSpace viewSpace;
  private CameraFrame shownCamera;
  private HudStatus shownStatus;
  private boolean released;

  public GlHeadsetView(RobotLink link, String robotId) {
    this.link = link;
    this.robotId = robotId;
  }

  @Override
  public List<String> requiredExtensions() {
    return List.of(KHROpenGLEnable.XR_KHR_OPENGL_ENABLE_EXTENSION_NAME);
  }

  @Override
  public long graphicsBinding(XrInstance instance, long systemId, MemoryStack stack) {
    XrGraphicsRequirementsOpenGLKHR req = XrGraphicsRequirementsOpenGLKHR.calloc(stack).type$Default();
    check(KHROpenGLEnable.xrGetOpenGLGraphicsRequirementsKHR(instance, systemId, req), "xrGetOpenGLGraphicsRequirementsKHR");
    if (!glfwInit()) {
      throw new OpenXrException("GLFW could not start (no X display?): use --headless for tracking without the view",
          XR_ERROR_GRAPHICS_DEVICE_INVALID);
    }
    glfwDefaultWindowHints();
    glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    window = glfwCreateWindow(64, 64, "optimus teleop", MemoryUtil.NULL, MemoryUtil.NULL);
    if (window == MemoryUtil.NULL) {
      throw new OpenXrException("no OpenGL 3.3 context for the headset view: use --headless for tracking without it",
          XR_ERROR_GRAPHICS_DEVICE_INVALID);
    }
    glfwMakeContextCurrent(window);
    GL.createCapabilities();
    long display = GLFWNativeX11.glfwGetX11Display();
    PointerBuffer fb = stack.mallocPointer(1);
    if (!GLFWNativeGLX.glfwGetGLXFBConfig(window, fb)) {
      throw new OpenXrException("no GLX framebuffer config for the headset view", XR_ERROR_GRAPHICS_DEVICE_INVALID);
    }
    XVisualInfo visual = GLX13.glXGetVisualFromFBConfig(display, fb.get(0));
    if (visual == null) {
      throw new OpenXrException("no X visual for the headset view", XR_ERROR_GRAPHICS_DEVICE_INVALID);
    }
    int visualId = (int) visual.visualid();
    org.lwjgl.system.linux.X11.nXFree(visual.address());
    return XrGraphicsBindingOpenGLXlibKHR.calloc(stack).type$Default().xDisplay(display).visualid(visualId)
        .glxFBConfig(fb.get(0)).glxDrawable(GLFWNativeGLX.glfwGetGLXWindow(window))
        .glxContext(GLFWNativeGLX.glfwGetGLXContext(window)).address();
  }

  @Override
  public void start(XrSession session, XrSpace viewSpace) {
    this.viewSpace = viewSpace;
    try (MemoryStack stack = MemoryStack.stackPush()) {
      IntBuffer n = stack.mallocInt(1);
      check(xrEnumerateSwapchainFormats(session, n, null), "xrEnumerateSwapchainFormats");
      LongBuffer formats = stack.mallocLong(n.get(0));
      check(xrEnumerateSwapchainFormats(session, n, formats), "xrEnumerateSwapchainFormats");
      long format = 0;
      for (int i = 0; i < n.get(0); i++) {
        if (formats.get(i) == GL_SRGB8_ALPHA8) {
          format = GL_SRGB8_ALPHA8;
        } else if (formats.get(i) == GL_RGBA8 && format == 0) {
          format = GL_RGBA8;
        }
      }
      if (format == 0) {
        throw new OpenXrException("the runtime offers no RGBA8 swapchain format for the headset view",
            XR_ERROR_SWAPCHAIN_FORMAT_UNSUPPORTED);
      }
      PointerBuffer pp = stack.mallocPointer(1);
      check(xrCreateSwapchain(session, XrSwapchainCreateInfo.calloc(stack).type$Default()
          .usageFlags(XR_SWAPCHAIN_USAGE_SAMPLED_BIT | XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT | XR_SWAPCHAIN_USAGE_TRANSFER_DST_BIT)
          .format(format).sampleCount(1).width(WIDTH).height(HEIGHT).faceCount(1).arraySize(1).mipCount(1), pp),
          "xrCreateSwapchain");
      swapchain = new XrSwapchain(pp.get(0), session);
      check(xrEnumerateSwapchainImages(swapchain, n, null), "xrEnumerateSwapchainImages");
      images = XrSwapchainImageOpenGLKHR.calloc(n.get(0));
      for (XrSwapchainImageOpenGLKHR img : images) {
        img.type$Default();
      }
      check(xrEnumerateSwapchainImages(swapchain, n, XrSwapchainImageBaseHeader.create(images.address(), images.capacity())),
          "xrEnumerateSwapchainImages");
    }
    quad.type$Default().layerFlags(0).space(viewSpace).eyeVisibility(XR_EYE_VISIBILITY_BOTH);
    quad.subImage().swapchain(swapchain).imageArrayIndex(0);
    quad.subImage().imageRect().offset().set(0, 0);
    quad.subImage().imageRect().extent().set(WIDTH, HEIGHT);
    quad.pose().orientation().set(0, 0, 0, 1);
    quad.pose().position$().set(0, 0, -QUAD_DISTANCE_M);
    quad.size().set(QUAD_WIDTH_M, QUAD_WIDTH_M * HEIGHT / WIDTH);
  }

  /** The status the HUD shows, from what the robot last published. */
  HudStatus status() {
    SafetyStatus s = link.safety();
    BridgeStatus b = link.bridge();
    String mode = s == null ? "UNKNOWN" : s.getMode().name().replace("CONTROL_MODE_", "");
    return new HudStatus(robotId, link.connected() && (b == null || b.getOnline()), link.latencyNs(),
        b != null && b.getRecording(), mode, s != null && s.getDeadman(),
        b != null && !b.getRecordingError().isEmpty());
  }

  @Override
  public long layer(long displayTime, MemoryStack stack) {
    CameraFrame camera = link.headCamera();
    HudStatus status = status();
    boolean changed = !released || camera != shownCamera || differs(status, shownStatus);
    if (changed) {
      HudTexture.toRgbaBottomUp(hud.render(camera, status), texture);
      IntBuffer index = stack.mallocInt(1);
      check(xrAcquireSwapchainImage(swapchain, XrSwapchainImageAcquireInfo.calloc(stack).type$Default(), index),
          "xrAcquireSwapchainImage");
      check(xrWaitSwapchainImage(swapchain, XrSwapchainImageWaitInfo.calloc(stack).type$Default().timeout(XR_INFINITE_DURATION)),
          "xrWaitSwapchainImage");
      glBindTexture(GL_TEXTURE_2D, images.get(index.get(0)).image());
      glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, WIDTH, HEIGHT, GL_RGBA, GL_UNSIGNED_BYTE, texture);
      glBindTexture(GL_TEXTURE_2D, 0);
      check(xrReleaseSwapchainImage(swapchain, XrSwapchainImageReleaseInfo.calloc(stack).type$Default()),
          "xrReleaseSwapchainImage");
      shownCamera = camera;
      shownStatus = status;
      released = true;
    }
    return quad.address();
  }

  /** Whether the HUD must be redrawn: anything but sub-millisecond latency jitter changed. */
  static boolean differs(HudStatus a, HudStatus b) {
    return b == null || a.linkUp() != b.linkUp() || a.recording() != b.recording() || a.deadman() != b.deadman()
        || a.recordingFailed() != b.recordingFailed()
        || !a.safetyMode().equals(b.safetyMode()) || Math.abs(a.latencyNs() - b.latencyNs()) >= 1_000_000L;
  }

  @Override
  public void close() {
    if (swapchain != null) {
      xrDestroySwapchain(swapchain);
      swapchain = null;
    }
    if (images != null) {
      images.free();
      images = null;
    }
    if (window != MemoryUtil.NULL) {
      glfwDestroyWindow(window);
      glfwTerminate();
      window = MemoryUtil.NULL;
    }
    quad.free();
    MemoryUtil.memFree(texture);
  }
}

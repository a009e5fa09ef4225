package io.optimus.teleop.openxr;

import static io.optimus.teleop.openxr.XrCheck.check;
import static org.lwjgl.glfw.GLFW.*;
import static org.lwjgl.opengl.GL11.*;
import static org.lwjgl.openxr.XR10.*;

import io.optimus.proto.v1.CameraFrame;
import io.optimus.teleop.controls.HapticCues;
import io.optimus.teleop.hud.HudRenderer;
import io.optimus.teleop.hud.HudStatus;
import io.optimus.teleop.hud.HudTexture;
import io.optimus.teleop.link.RobotLink;
import io.optimus.teleop.video.VideoFeed;
import io.optimus.teleop.video.VideoLatency;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
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
import org.lwjgl.openxr.XrReferenceSpaceCreateInfo;
import org.lwjgl.openxr.XrQuaternionf;
import org.lwjgl.openxr.XrSession;
import org.lwjgl.openxr.XrSpaceLocation;
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
 * The headset view over OpenGL (XR_KHR_opengl_enable, Xlib/GLX binding); a hidden GLFW window owns
 * the GL context. Once the robot's video arrives ({@link VideoFeed}: decoded off this thread), each eye
 * sees its own robot camera: the stereo pair side by side in one swapchain, shown as two head-locked
 * quads (the left image to the left eye only, the right to the right) sized so that they cover the
 * robot cameras' field of view, so the scene keeps its true angular size and its depth; the wrist
 * views are insets at the bottom corners, the HUD bar ({@link HudRenderer#bar}) sits just above the
 * video. Before any video: the panel of the head camera's small image with the HUD, as a head-locked
 * quad 1 m ahead. Textures are uploaded only when a frame or the status changed; otherwise the last
 * released image is submitted again. After xrEndFrame, each newly shown video frame is stamped
 * submitted: the end of its latency ({@link VideoLatency}, p50/p99 on the HUD).
 *
 * <p>Needs an X display and a runtime with OpenGL: tested against Monado under Xvfb (MonadoRuntimeTest).
 */
public final class GlHeadsetView implements HeadsetView {
  static final int WIDTH = 1280;
  static final int HEIGHT = 720;
  static final float QUAD_WIDTH_M = 1.2f;
  static final float QUAD_DISTANCE_M = 1.0f;
  /** Where the head-locked video plane is (it converges the eyes there; its angular size does not depend on it). */
  static final float VIDEO_DISTANCE_M = 1.5f;
  static final int BAR_WIDTH = 1536;
  static final int BAR_HEIGHT = 64;
  /** A wrist inset's width as a fraction of the video's. */
  static final float INSET = 0.28f;
  private static final long LATENCY_REFRESH_NS = 500_000_000L;
  private static final long GL_SRGB8_ALPHA8 = 0x8C43;
  private static final long GL_RGBA8 = 0x8058;

  /** One swapchain and its GL images. */
  private static final class Chain {
    final XrSwapchain swapchain;
    final XrSwapchainImageOpenGLKHR.Buffer images;
    final int width;
    final int height;

    Chain(XrSession session, long format, int width, int height) {
      this.width = width;
      this.height = height;
      try (MemoryStack stack = MemoryStack.stackPush()) {
        PointerBuffer pp = stack.mallocPointer(1);
        check(xrCreateSwapchain(session, XrSwapchainCreateInfo.calloc(stack).type$Default()
            .usageFlags(XR_SWAPCHAIN_USAGE_SAMPLED_BIT | XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT
                | XR_SWAPCHAIN_USAGE_TRANSFER_DST_BIT)
            .format(format).sampleCount(1).width(width).height(height).faceCount(1).arraySize(1).mipCount(1), pp),
            "xrCreateSwapchain");
        swapchain = new XrSwapchain(pp.get(0), session);
        IntBuffer n = stack.mallocInt(1);
        check(xrEnumerateSwapchainImages(swapchain, n, null), "xrEnumerateSwapchainImages");
        images = XrSwapchainImageOpenGLKHR.calloc(n.get(0));
        for (XrSwapchainImageOpenGLKHR img : images) {
          img.type$Default();
        }
        check(xrEnumerateSwapchainImages(swapchain, n,
            XrSwapchainImageBaseHeader.create(images.address(), images.capacity())), "xrEnumerateSwapchainImages");
      }
    }

    /** Acquires and binds the next image; upload with {@link #put}, then {@link #release}. */
    void acquire(MemoryStack stack) {
      IntBuffer index = stack.mallocInt(1);
      check(xrAcquireSwapchainImage(swapchain, XrSwapchainImageAcquireInfo.calloc(stack).type$Default(), index),
          "xrAcquireSwapchainImage");
      check(xrWaitSwapchainImage(swapchain, XrSwapchainImageWaitInfo.calloc(stack).type$Default()
          .timeout(XR_INFINITE_DURATION)), "xrWaitSwapchainImage");
      glBindTexture(GL_TEXTURE_2D, images.get(index.get(0)).image());
    }

    /** RGBA rows bottom-up, {@code w} x {@code h} at {@code x} (from the left) of the bound image. */
    void put(int x, int w, int h, ByteBuffer rgba) {
      glTexSubImage2D(GL_TEXTURE_2D, 0, x, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    }

    void release(MemoryStack stack) {
      glBindTexture(GL_TEXTURE_2D, 0);
      check(xrReleaseSwapchainImage(swapchain, XrSwapchainImageReleaseInfo.calloc(stack).type$Default()),
          "xrReleaseSwapchainImage");
    }

    void close() {
      xrDestroySwapchain(swapchain);
      images.free();
    }
  }

  private final RobotLink link;
  private final String robotId;
  private final VideoFeed video;
  private final HudRenderer hud = new HudRenderer(WIDTH, HEIGHT);
  private final HudRenderer bar = HudRenderer.bar(BAR_WIDTH, BAR_HEIGHT);
  private final ByteBuffer texture = MemoryUtil.memAlloc(WIDTH * HEIGHT * 4);
  private final ByteBuffer barTexture = MemoryUtil.memAlloc(BAR_WIDTH * BAR_HEIGHT * 4);
  private final XrCompositionLayerQuad panelQuad = XrCompositionLayerQuad.calloc();
  private final XrCompositionLayerQuad barQuad = XrCompositionLayerQuad.calloc();
  private final XrCompositionLayerQuad[] eyeQuads = {XrCompositionLayerQuad.calloc(), XrCompositionLayerQuad.calloc()};
  private final XrCompositionLayerQuad[] wristQuads = {XrCompositionLayerQuad.calloc(), XrCompositionLayerQuad.calloc()};
  private final String[] eyeCameras = {"head_left", "head_right"};
  private final String[] wristCameras = {"left_wrist", "right_wrist"};
  private final long[] eyeShown = {-1, -1};
  private final long[] wristShown = {-1, -1};
  private final List<VideoFeed.Shown> uploaded = new ArrayList<>();
  private final HapticCues haptics = new HapticCues();
  private long window;
  private XrSession session;
  private XrSpace viewSpace;
  /** The space the quads are placed in: VIEW (head-locked) or LOCAL (world-locked, ahead of the head at start). */
  private XrSpace anchorSpace;
  private final boolean worldLocked;
  /** World-locked: where the head was, and its yaw, when the first frame was shown (x, y, z, yaw). */
  private final float[] placement = new float[4];
  private boolean placed;
  private long format;
  private Chain panelChain;
  private Chain barChain;
  private Chain eyeChain;
  private Chain wristChain;
  private CameraFrame shownCamera;
  private HudStatus shownStatus;
  private HudStatus shownBarStatus;
  private boolean panelReleased;
  private boolean barReleased;
  private long videoP50Ns = -1;
  private long videoP99Ns = -1;
  private long latencyReadNs;

  public GlHeadsetView(RobotLink link, String robotId) {
    this(link, robotId, false);
  }

  /**
   * {@code worldLocked}: the video stays where it was put at the start of the session (LOCAL space, whose
   * origin is the head then), 1.5 m ahead, instead of following the head.
   */
  public GlHeadsetView(RobotLink link, String robotId, boolean worldLocked) {
    this.worldLocked = worldLocked;
    this.link = link;
    this.robotId = robotId;
    this.video = new VideoFeed(link.endpoint(), robotId);
  }

  /** The robot's video as this view receives it (latency, drops, refusals). */
  public VideoFeed video() {
    return video;
  }

  @Override
  public List<String> requiredExtensions() {
    return List.of(KHROpenGLEnable.XR_KHR_OPENGL_ENABLE_EXTENSION_NAME);
  }

  @Override
  public long graphicsBinding(XrInstance instance, long systemId, MemoryStack stack) {
    XrGraphicsRequirementsOpenGLKHR req = XrGraphicsRequirementsOpenGLKHR.calloc(stack).type$Default();
    check(KHROpenGLEnable.xrGetOpenGLGraphicsRequirementsKHR(instance, systemId, req), "xrGetOpenGLGraphicsRequirementsKHR");
    if (window == MemoryUtil.NULL) { // a session after a lost one keeps the GL context
      createWindow();
    }
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

  private void createWindow() {
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
  }

  /** Swapchains die with their session: destroyed here, or only forgotten when the instance already took them. */
  @Override
  public void sessionEnded(boolean handlesGone) {
    for (Chain c : new Chain[] {panelChain, barChain, eyeChain, wristChain}) {
      if (c != null) {
        if (handlesGone) {
          c.images.free();
        } else {
          c.close();
        }
      }
    }
    panelChain = barChain = eyeChain = wristChain = null;
    dropAnchor(handlesGone);
    placed = false;
    java.util.Arrays.fill(eyeShown, -1);
    java.util.Arrays.fill(wristShown, -1);
    shownCamera = null;
    shownStatus = null;
    shownBarStatus = null;
    panelReleased = false;
    barReleased = false;
    session = null;
  }

  @Override
  public void start(XrSession session, XrSpace viewSpace) {
    this.session = session;
    this.viewSpace = viewSpace;
    this.anchorSpace = viewSpace;
    if (worldLocked) {
      try (MemoryStack stack = MemoryStack.stackPush()) {
        XrReferenceSpaceCreateInfo info = XrReferenceSpaceCreateInfo.calloc(stack).type$Default()
            .referenceSpaceType(XR_REFERENCE_SPACE_TYPE_LOCAL);
        info.poseInReferenceSpace().orientation().w(1);
        PointerBuffer pp = stack.mallocPointer(1);
        check(xrCreateReferenceSpace(session, info, pp), "xrCreateReferenceSpace(LOCAL)");
        anchorSpace = new XrSpace(pp.get(0), session);
      }
    }
    try (MemoryStack stack = MemoryStack.stackPush()) {
      IntBuffer n = stack.mallocInt(1);
      check(xrEnumerateSwapchainFormats(session, n, null), "xrEnumerateSwapchainFormats");
      LongBuffer formats = stack.mallocLong(n.get(0));
      check(xrEnumerateSwapchainFormats(session, n, formats), "xrEnumerateSwapchainFormats");
      for (int i = 0; i < n.get(0); i++) {
        if (formats.get(i) == GL_SRGB8_ALPHA8) {
          format = GL_SRGB8_ALPHA8;
        } else if (formats.get(i) == GL_RGBA8 && format == 0) {
          format = GL_RGBA8;
        }
      }
    }
    if (format == 0) {
      throw new OpenXrException("the runtime offers no RGBA8 swapchain format for the headset view",
          XR_ERROR_SWAPCHAIN_FORMAT_UNSUPPORTED);
    }
    panelChain = new Chain(session, format, WIDTH, HEIGHT);
    barChain = new Chain(session, format, BAR_WIDTH, BAR_HEIGHT);
    quad(panelQuad, panelChain, 0, WIDTH, XR_EYE_VISIBILITY_BOTH);
    place(panelQuad, 0, 0, -QUAD_DISTANCE_M);
    panelQuad.size().set(QUAD_WIDTH_M, QUAD_WIDTH_M * HEIGHT / WIDTH);
    quad(barQuad, barChain, 0, BAR_WIDTH, XR_EYE_VISIBILITY_BOTH);
  }

  /** A head-locked quad showing columns {@code x}..{@code x+w} of {@code chain} to {@code eyes}. */
  private void quad(XrCompositionLayerQuad q, Chain chain, int x, int w, int eyes) {
    q.type$Default().layerFlags(0).space(anchorSpace).eyeVisibility(eyes);
    q.subImage().swapchain(chain.swapchain).imageArrayIndex(0);
    q.subImage().imageRect().offset().set(x, 0);
    q.subImage().imageRect().extent().set(w, chain.height);
    q.pose().orientation().set(0, 0, 0, 1);
  }

  /**
   * The stereo pair's quads for eyes of {@code w} x {@code h} pixels with a vertical field of view of
   * {@code fovY}: as wide and high, seen from the eye, as the robot's cameras see; the wrist insets at
   * the bottom corners ({@code ww} x {@code wh} each); the HUD bar just above.
   */
  private void layout(int w, int h, double fovY, int ww, int wh) {
    float height = (float) (2 * VIDEO_DISTANCE_M * Math.tan(fovY / 2));
    float width = height * w / h;
    for (int e = 0; e < 2; e++) {
      quad(eyeQuads[e], eyeChain, e * w, w, e == 0 ? XR_EYE_VISIBILITY_LEFT : XR_EYE_VISIBILITY_RIGHT);
      place(eyeQuads[e], 0, 0, -VIDEO_DISTANCE_M);
      eyeQuads[e].size().set(width, height);
    }
    if (wristChain != null) {
      float iw = width * INSET;
      float ih = iw * wh / ww;
      for (int e = 0; e < 2; e++) {
        quad(wristQuads[e], wristChain, e * ww, ww, XR_EYE_VISIBILITY_BOTH);
        place(wristQuads[e], (e == 0 ? -1 : 1) * (width - iw) / 2, -(height - ih) / 2,
            -VIDEO_DISTANCE_M);
        wristQuads[e].size().set(iw, ih);
      }
    }
    float barHeight = width * BAR_HEIGHT / BAR_WIDTH;
    place(barQuad, 0, (height + barHeight) / 2, -VIDEO_DISTANCE_M);
    barQuad.size().set(width, barHeight);
  }

  /** The status the HUD shows, from what the robot last published and the video's latency. */
  HudStatus status() {
    long now = System.nanoTime();
    if (now - latencyReadNs >= LATENCY_REFRESH_NS) { // sorting the samples is not for every frame
      latencyReadNs = now;
      VideoLatency.Figures f = video.latency().figures(VideoLatency.Stage.TOTAL);
      videoP50Ns = f.p50Ns();
      videoP99Ns = f.p99Ns();
    }
    return HudStatus.of(link, robotId, videoP50Ns, videoP99Ns);
  }

  @Override
  public PointerBuffer layers(long displayTime, MemoryStack stack) {
    if (worldLocked && !placed) {
      if (!placeAhead(displayTime, stack)) {
        return stack.mallocPointer(0); // the head is not located yet: nowhere to put the video
      }
      place(panelQuad, 0, 0, -QUAD_DISTANCE_M);
    }
    uploaded.clear();
    HudStatus status = status();
    VideoFeed.Shown left = video.take(eyeCameras[0]);
    if (left == null) {
      return stack.pointers(panel(status, stack));
    }
    left.close(); // only its size and field of view are needed here; eyes() takes it again to upload
    eyes(left.width(), left.height(), left.verticalFovRad(), stack);
    PointerBuffer p = stack.mallocPointer(5);
    p.put(eyeQuads[0].address()).put(eyeQuads[1].address());
    if (wristChain != null) {
      p.put(wristQuads[0].address()).put(wristQuads[1].address());
    }
    if (!barReleased || differs(status, shownBarStatus)) {
      barChain.acquire(stack);
      barChain.put(0, BAR_WIDTH, BAR_HEIGHT, HudTexture.toRgbaBottomUp(bar.renderBar(status), barTexture));
      barChain.release(stack);
      shownBarStatus = status;
      barReleased = true;
    }
    p.put(barQuad.address());
    return p.flip();
  }

  /** Before video: the panel with the head camera's small image and the HUD. */
  private long panel(HudStatus status, MemoryStack stack) {
    CameraFrame camera = link.headCamera();
    if (!panelReleased || camera != shownCamera || differs(status, shownStatus)) {
      HudTexture.toRgbaBottomUp(hud.render(camera, status), texture);
      panelChain.acquire(stack);
      panelChain.put(0, WIDTH, HEIGHT, texture);
      panelChain.release(stack);
      shownCamera = camera;
      shownStatus = status;
      panelReleased = true;
    }
    return panelQuad.address();
  }

  /** Uploads the newest stereo pair and wrist views where any changed (every image of a chain rotates). */
  private void eyes(int w, int h, double fovY, MemoryStack stack) {
    VideoFeed.Shown lw = video.take(wristCameras[0]);
    int ww = lw == null ? 0 : lw.width();
    int wh = lw == null ? 0 : lw.height();
    if (lw != null) {
      lw.close();
    }
    boolean relayout = false;
    if (eyeChain == null || eyeChain.width != 2 * w || eyeChain.height != h) {
      if (eyeChain != null) {
        eyeChain.close();
      }
      eyeChain = new Chain(session, format, 2 * w, h);
      eyeShown[0] = eyeShown[1] = -1;
      relayout = true;
    }
    if (ww > 0 && (wristChain == null || wristChain.width != 2 * ww || wristChain.height != wh)) {
      if (wristChain != null) {
        wristChain.close();
      }
      wristChain = new Chain(session, format, 2 * ww, wh);
      wristShown[0] = wristShown[1] = -1;
      relayout = true;
    }
    if (relayout) {
      layout(w, h, Double.isNaN(fovY) ? Math.toRadians(60) : fovY, Math.max(ww, 1), Math.max(wh, 1));
    }
    upload(eyeChain, eyeCameras, eyeShown, w, h, stack);
    if (wristChain != null) {
      upload(wristChain, wristCameras, wristShown, ww, wh, stack);
    }
  }

  /** Both halves of {@code chain} when either camera has a new frame of the chain's size. */
  private void upload(Chain chain, String[] cameras, long[] shown, int w, int h, MemoryStack stack) {
    VideoFeed.Shown a = video.take(cameras[0]);
    VideoFeed.Shown b = null;
    try {
      b = video.take(cameras[1]); // both held at once: each camera has its own buffers
      boolean fresh = a != null && a.sequence() != shown[0] || b != null && b.sequence() != shown[1];
      if (!fresh) {
        return;
      }
      chain.acquire(stack);
      for (int i = 0; i < 2; i++) {
        VideoFeed.Shown s = i == 0 ? a : b;
        if (s != null && s.width() == w && s.height() == h) {
          chain.put(i * w, w, h, s.rgba());
          if (s.sequence() != shown[i]) {
            uploaded.add(s);
            shown[i] = s.sequence();
          }
        }
      }
      chain.release(stack);
    } finally {
      if (a != null) {
        a.close();
      }
      if (b != null) {
        b.close();
      }
    }
  }

  /** Pulses for the robot's touches, grasps and refused motions ({@link HapticCues}). */
  @Override
  public List<HapticCues.Pulse> haptics() {
    return haptics.update(link.safety(), link.task());
  }

  @Override
  public void submitted(long monoNs, long wallNs) {
    for (VideoFeed.Shown s : uploaded) {
      video.submitted(s, monoNs, wallNs);
    }
    uploaded.clear();
  }

  /** Whether the HUD must be redrawn: anything but sub-millisecond latency jitter changed. */
  static boolean differs(HudStatus a, HudStatus b) {
    return b == null || a.linkUp() != b.linkUp() || a.recording() != b.recording() || a.deadman() != b.deadman()
        || a.recordingFailed() != b.recordingFailed()
        || !a.safetyMode().equals(b.safetyMode()) || Math.abs(a.latencyNs() - b.latencyNs()) >= 1_000_000L
        || !a.task().equals(b.task()) || Math.abs(a.videoP50Ns() - b.videoP50Ns()) >= 1_000_000L
        || Math.abs(a.videoP99Ns() - b.videoP99Ns()) >= 1_000_000L || !a.clamp().equals(b.clamp());
  }

  /** Head-locked: at (x, y, z) in VIEW. World-locked: there relative to the head's start position and yaw, in LOCAL. */
  private void place(XrCompositionLayerQuad q, float x, float y, float z) {
    if (!worldLocked) {
      q.pose().position$().set(x, y, z);
      q.pose().orientation().set(0, 0, 0, 1);
      return;
    }
    float yaw = placement[3];
    float c = (float) Math.cos(yaw);
    float s = (float) Math.sin(yaw);
    q.pose().position$().set(placement[0] + x * c + z * s, placement[1] + y, placement[2] - x * s + z * c);
    q.pose().orientation().set(0, (float) Math.sin(yaw / 2), 0, (float) Math.cos(yaw / 2));
  }

  /** Notes the head's position and yaw (level: the video stays upright) in the anchor space; false if not located. */
  private boolean placeAhead(long displayTime, MemoryStack stack) {
    XrSpaceLocation head = XrSpaceLocation.calloc(stack).type$Default();
    check(xrLocateSpace(viewSpace, anchorSpace, displayTime, head), "xrLocateSpace(view in LOCAL)");
    if (!XrControllerActions.valid(head.locationFlags())) {
      return false;
    }
    XrQuaternionf o = head.pose().orientation();
    // the head's forward (0, 0, -1) rotated: its horizontal direction gives the yaw about y
    float fx = -2 * (o.x() * o.z() + o.w() * o.y());
    float fz = -(1 - 2 * (o.x() * o.x() + o.y() * o.y()));
    placement[0] = head.pose().position$().x();
    placement[1] = head.pose().position$().y();
    placement[2] = head.pose().position$().z();
    placement[3] = (float) Math.atan2(-fx, -fz);
    placed = true;
    return true;
  }

  private void dropAnchor(boolean handlesGone) {
    if (anchorSpace != null && anchorSpace != viewSpace && !handlesGone) {
      xrDestroySpace(anchorSpace);
    }
    anchorSpace = null;
  }

  @Override
  public void close() {
    dropAnchor(false);
    video.close();
    for (Chain c : new Chain[] {panelChain, barChain, eyeChain, wristChain}) {
      if (c != null) {
        c.close();
      }
    }
    panelChain = barChain = eyeChain = wristChain = null;
    if (window != MemoryUtil.NULL) {
      glfwDestroyWindow(window);
      glfwTerminate();
      window = MemoryUtil.NULL;
    }
    for (XrCompositionLayerQuad q : new XrCompositionLayerQuad[] {panelQuad, barQuad, eyeQuads[0], eyeQuads[1],
        wristQuads[0], wristQuads[1]}) {
      q.free();
    }
    MemoryUtil.memFree(texture);
    MemoryUtil.memFree(barTexture);
  }
}

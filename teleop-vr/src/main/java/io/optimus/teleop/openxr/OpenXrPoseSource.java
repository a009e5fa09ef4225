package io.optimus.teleop.openxr;

import static io.optimus.teleop.openxr.XrCheck.check;
import static org.lwjgl.openxr.XR10.*;
import static org.lwjgl.system.MemoryStack.stackPush;

import io.optimus.common.InputException;
import io.optimus.common.Stamps;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Timestamp;
import io.optimus.common.FramePacer;
import io.optimus.teleop.controls.OperatorControls;
import io.optimus.teleop.source.PoseSource;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.lwjgl.PointerBuffer;
import org.lwjgl.openxr.EXTHandTracking;
import org.lwjgl.openxr.KHRConvertTimespecTime;
import org.lwjgl.openxr.MNDHeadless;
import org.lwjgl.openxr.XR;
import org.lwjgl.openxr.XrApplicationInfo;
import org.lwjgl.openxr.XrEventDataBuffer;
import org.lwjgl.openxr.XrEventDataSessionStateChanged;
import org.lwjgl.openxr.XrExtensionProperties;
import org.lwjgl.openxr.XrFrameBeginInfo;
import org.lwjgl.openxr.XrFrameEndInfo;
import org.lwjgl.openxr.XrFrameState;
import org.lwjgl.openxr.XrFrameWaitInfo;
import org.lwjgl.openxr.XrInstance;
import org.lwjgl.openxr.XrInstanceCreateInfo;
import org.lwjgl.openxr.XrInstanceProperties;
import org.lwjgl.openxr.XrReferenceSpaceCreateInfo;
import org.lwjgl.openxr.XrSession;
import org.lwjgl.openxr.XrSessionBeginInfo;
import org.lwjgl.openxr.XrSessionCreateInfo;
import org.lwjgl.openxr.XrSpace;
import org.lwjgl.openxr.XrSpaceLocation;
import org.lwjgl.openxr.XrSystemGetInfo;
import org.lwjgl.openxr.XrSystemHandTrackingPropertiesEXT;
import org.lwjgl.openxr.XrSystemProperties;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenXR operator client as a {@link PoseSource}: one frame per predicted display time, with the
 * head (VIEW located in STAGE, or LOCAL where the runtime has no STAGE), both controllers and, where
 * the runtime offers XR_EXT_hand_tracking, both 26-joint hands, converted to the operator frame.
 * {@link #next()} runs the session state machine and the frame loop (xrWaitFrame paces it). A headless
 * session (XR_MND_headless) has no frame loop: the specification lets it skip xrWaitFrame, xrBeginFrame
 * and xrEndFrame, and Monado's headless xrWaitFrame returns at once with no display time; so it paces
 * itself on System.nanoTime and locates at that instant, converted with XR_KHR_convert_timespec_time.
 * Frames carry the sampling instant as capture time and the predicted display time as display time.
 * <p>A lost session (LOSS_PENDING, or a call answering XR_ERROR_SESSION_LOST) is destroyed, a lost
 * instance (INSTANCE_LOSS_PENDING, XR_ERROR_INSTANCE_LOST: the runtime went away) too; with
 * {@link OpenXrOptions#recoverLostSession()} the next frame is a release (no poses, no squeeze: the
 * robot stops following), then no frames until a new session (and instance) runs: retried with
 * backoff ({@link #RETRY_FIRST_NS} doubling to {@link #RETRY_MAX_NS}); {@link #stop()} ends the wait.
 * No call ever reaches a handle that was destroyed or went with its session.
 * Single-threaded: create, use and close it on one thread, except {@link #stop()}.
 */
public final class OpenXrPoseSource implements PoseSource {
  private static final Logger log = LoggerFactory.getLogger(OpenXrPoseSource.class);
  private static final long IDLE_POLL_NS = 5_000_000L;
  /** After {@link #stop()}, how long the runtime gets to run the session down to EXITING. */
  private static final long EXIT_GRACE_NS = 2_000_000_000L;
  /** First wait before trying a new session after a loss; it doubles up to {@link #RETRY_MAX_NS}. */
  static final long RETRY_FIRST_NS = 100_000_000L;
  static final long RETRY_MAX_NS = 5_000_000_000L;
  /** How long the retry loop sleeps at most between looks at {@link #stop()}. */
  private static final long RETRY_POLL_NS = 20_000_000L;

  private final OpenXrOptions options;
  private SessionLifecycle lifecycle = new SessionLifecycle();
  private final XrEventDataBuffer event = XrEventDataBuffer.calloc();
  private final List<String> enabledExtensions = new ArrayList<>();
  private final List<SessionLifecycle.State> statesSeen = new ArrayList<>();
  private XrInstance instance;
  private long systemId;
  private String runtimeName = "";
  private String systemName = "";
  private boolean handTrackingSupported;
  private boolean timespecConversion;
  private XrSession session;
  private XrSpace baseSpace;
  private XrSpace viewSpace;
  private int baseSpaceType;
  private XrControllerActions controls;
  private XrHandTrackers handTrackers;
  /** The body-tracking joint set the system supports (null: none), and its tracker while a session runs. */
  private XrBodyJointMap bodySet;
  private XrBodyTracker bodyTracker;
  private boolean bodyFallbackLogged;
  private String bodySource; // the last body-tracking extension used, kept for the summary
  private boolean lost;
  // recovery after a loss: session == null while waiting
  private boolean releaseDue;
  private long nextAttemptNs;
  private long retryDelayNs;
  private int attempts;
  private long lostAtNs;
  private int sessionsLost;
  private int sessionsRegained;
  /** After a regained session: squeezes read as released until the operator lets go of both once. */
  private boolean squeezeLatched;
  private long frames;
  private boolean closed;
  private final FramePacer headlessPacer;
  private volatile long stopRequestedNs; // 0: running; else System.nanoTime() of stop()
  private boolean exitRequested;

  /** Starts the loader, instance, system, session, spaces and actions; throws {@link OpenXrUnavailableException} with advice when there is no runtime or headset. */
  public OpenXrPoseSource(OpenXrOptions options) {
    this.options = options;
    this.headlessPacer = options.headless() ? new FramePacer(options.headlessRateHz()) : null;
    try {
      if (options.runtimeJson() != null) {
        if (!Files.isRegularFile(options.runtimeJson())) {
          throw new InputException("OpenXR runtime manifest '" + options.runtimeJson() + "' does not exist");
        }
        XrEnvironment.set("XR_RUNTIME_JSON", options.runtimeJson().toAbsolutePath().toString());
      }
      loadLoader();
      createInstance();
      createSystem();
      createSession();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Loads LWJGL's bundled OpenXR loader once per process and keeps it: it reads XR_RUNTIME_JSON (and
   * the active_runtime.json files) afresh for every instance, and supports one instance at a time.
   */
  private static synchronized void loadLoader() {
    if (XR.getFunctionProvider() != null) {
      return;
    }
    try {
      XR.create();
    } catch (UnsatisfiedLinkError | IllegalStateException e) {
      throw new OpenXrUnavailableException("The OpenXR loader could not be loaded: " + e.getMessage(),
          XR_ERROR_RUNTIME_UNAVAILABLE);
    }
  }

  private void createInstance() {
    try (MemoryStack stack = stackPush()) {
      IntBuffer n = stack.mallocInt(1);
      int r = xrEnumerateInstanceExtensionProperties((CharSequence) null, n, null);
      if (r < 0) {
        throw new OpenXrUnavailableException("No OpenXR runtime could be loaded"
            + runtimeHint(), r);
      }
      XrExtensionProperties.Buffer props = XrExtensionProperties.calloc(n.get(0), stack);
      for (int i = 0; i < props.capacity(); i++) {
        props.get(i).type$Default();
      }
      check(xrEnumerateInstanceExtensionProperties((CharSequence) null, n, props), "xrEnumerateInstanceExtensionProperties");
      Set<String> available = new HashSet<>();
      for (int i = 0; i < n.get(0); i++) {
        available.add(props.get(i).extensionNameString());
      }
      List<String> wanted = new ArrayList<>();
      if (options.headless()) {
        if (!available.contains(MNDHeadless.XR_MND_HEADLESS_EXTENSION_NAME)) {
          throw new OpenXrUnavailableException("The OpenXR runtime has no " + MNDHeadless.XR_MND_HEADLESS_EXTENSION_NAME
              + " (headless sessions)", XR_ERROR_EXTENSION_NOT_PRESENT);
        }
        wanted.add(MNDHeadless.XR_MND_HEADLESS_EXTENSION_NAME);
        if (!available.contains(KHRConvertTimespecTime.XR_KHR_CONVERT_TIMESPEC_TIME_EXTENSION_NAME)) {
          // without a frame loop, converting our clock is the only way to name the time to locate at
          throw new OpenXrUnavailableException("The OpenXR runtime has no "
              + KHRConvertTimespecTime.XR_KHR_CONVERT_TIMESPEC_TIME_EXTENSION_NAME + " (needed by headless sessions)",
              XR_ERROR_EXTENSION_NOT_PRESENT);
        }
      } else {
        for (String ext : options.view().requiredExtensions()) {
          if (!available.contains(ext)) {
            throw new OpenXrUnavailableException("The OpenXR runtime has no " + ext + " for the headset view",
                XR_ERROR_EXTENSION_NOT_PRESENT);
          }
          wanted.add(ext);
        }
      }
      if (options.handTracking() && available.contains(EXTHandTracking.XR_EXT_HAND_TRACKING_EXTENSION_NAME)) {
        wanted.add(EXTHandTracking.XR_EXT_HAND_TRACKING_EXTENSION_NAME);
      }
      wanted.addAll(XrBodyTracker.extensionsToEnable(available));
      if (available.contains(KHRConvertTimespecTime.XR_KHR_CONVERT_TIMESPEC_TIME_EXTENSION_NAME)) {
        wanted.add(KHRConvertTimespecTime.XR_KHR_CONVERT_TIMESPEC_TIME_EXTENSION_NAME);
        timespecConversion = true;
      }
      PointerBuffer names = stack.mallocPointer(wanted.size());
      for (String w : wanted) {
        names.put(stack.UTF8(w));
      }
      names.flip();
      XrInstanceCreateInfo info = XrInstanceCreateInfo.calloc(stack).type$Default()
          .applicationInfo(XrApplicationInfo.calloc(stack).applicationName(stack.UTF8(options.applicationName()))
              .applicationVersion(1).engineName(stack.UTF8("optimus-teleop")).engineVersion(1)
              .apiVersion(XR_MAKE_VERSION(1, 0, 0)))
          .enabledExtensionNames(names);
      PointerBuffer pp = stack.mallocPointer(1);
      r = xrCreateInstance(info, pp);
      if (r == XR_ERROR_RUNTIME_UNAVAILABLE || r == XR_ERROR_RUNTIME_FAILURE || r == XR_ERROR_INSTANCE_LOST) {
        throw new OpenXrUnavailableException("The OpenXR runtime failed to start" + runtimeHint(), r);
      }
      check(r, "xrCreateInstance");
      instance = new XrInstance(pp.get(0), info);
      enabledExtensions.addAll(wanted);
      XrInstanceProperties ip = XrInstanceProperties.calloc(stack).type$Default();
      if (xrGetInstanceProperties(instance, ip) >= 0) {
        runtimeName = ip.runtimeNameString();
      }
      log.info("OpenXR runtime '{}' with {}", runtimeName, enabledExtensions);
    }
  }

  private static String runtimeHint() {
    String env = System.getenv("XR_RUNTIME_JSON");
    return env == null ? " (XR_RUNTIME_JSON is not set)" : " (XR_RUNTIME_JSON=" + env + ")";
  }

  private void createSystem() {
    try (MemoryStack stack = stackPush()) {
      LongBuffer id = stack.mallocLong(1);
      int r = xrGetSystem(instance, XrSystemGetInfo.calloc(stack).type$Default()
          .formFactor(XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY), id);
      if (r == XR_ERROR_FORM_FACTOR_UNAVAILABLE || r == XR_ERROR_FORM_FACTOR_UNSUPPORTED) {
        throw new OpenXrUnavailableException("OpenXR runtime '" + runtimeName + "' found no headset", r);
      }
      check(r, "xrGetSystem");
      systemId = id.get(0);
      XrSystemHandTrackingPropertiesEXT hand = XrSystemHandTrackingPropertiesEXT.calloc(stack).type$Default();
      XrSystemProperties props = XrSystemProperties.calloc(stack).type$Default();
      if (enabledExtensions.contains(EXTHandTracking.XR_EXT_HAND_TRACKING_EXTENSION_NAME)) {
        props.next(hand);
      }
      check(xrGetSystemProperties(instance, systemId, props), "xrGetSystemProperties");
      systemName = props.systemNameString();
      handTrackingSupported = enabledExtensions.contains(EXTHandTracking.XR_EXT_HAND_TRACKING_EXTENSION_NAME)
          && hand.supportsHandTracking();
    }
    String[] why = {""};
    try {
      bodySet = XrBodyTracker.supportedSet(instance, systemId, enabledExtensions, why);
    } catch (OpenXrException e) {
      if (e.result() == XR_ERROR_INSTANCE_LOST) {
        throw e;
      }
      // e.g. an API layer older than the extension refuses its property struct: go on without a body
      bodySet = null;
      why[0] = e.getMessage();
    }
    if (bodySet == null) {
      bodyFallback(why[0]);
    }
  }

  private void createSession() {
    try (MemoryStack stack = stackPush()) {
      XrSessionCreateInfo info = XrSessionCreateInfo.calloc(stack).type$Default().systemId(systemId);
      if (!options.headless()) {
        info.next(options.view().graphicsBinding(instance, systemId, stack));
      }
      PointerBuffer pp = stack.mallocPointer(1);
      check(xrCreateSession(instance, info, pp), "xrCreateSession");
      session = new XrSession(pp.get(0), instance);

      IntBuffer n = stack.mallocInt(1);
      check(xrEnumerateReferenceSpaces(session, n, null), "xrEnumerateReferenceSpaces");
      IntBuffer types = stack.mallocInt(n.get(0));
      check(xrEnumerateReferenceSpaces(session, n, types), "xrEnumerateReferenceSpaces");
      baseSpaceType = XR_REFERENCE_SPACE_TYPE_LOCAL;
      for (int i = 0; i < n.get(0); i++) {
        if (types.get(i) == XR_REFERENCE_SPACE_TYPE_STAGE) {
          baseSpaceType = XR_REFERENCE_SPACE_TYPE_STAGE;
        }
      }
      if (baseSpaceType != XR_REFERENCE_SPACE_TYPE_STAGE) {
        log.warn("the OpenXR runtime has no STAGE space: poses are relative to LOCAL (the head at session start)");
      }
      baseSpace = referenceSpace(stack, baseSpaceType);
      viewSpace = referenceSpace(stack, XR_REFERENCE_SPACE_TYPE_VIEW);
      controls = new XrControllerActions(instance, session);
      if (handTrackingSupported) {
        handTrackers = new XrHandTrackers(session);
      }
      if (bodySet != null) {
        try {
          bodyTracker = XrBodyTracker.create(session, bodySet);
          if (bodySource == null) { // once per client: a regained session says nothing new
            log.info("OpenXR body tracking: {} ({} joints)", bodySet.source, bodySet.count);
          }
          bodySource = bodySet.source;
        } catch (OpenXrException e) {
          bodyFallback(bodySet.source + " refused the tracker: " + e.getMessage());
          bodySet = null;
        }
      }
      if (!options.headless()) {
        options.view().start(session, viewSpace);
      }
    }
  }

  private XrSpace referenceSpace(MemoryStack stack, int type) {
    XrReferenceSpaceCreateInfo info = XrReferenceSpaceCreateInfo.calloc(stack).type$Default().referenceSpaceType(type);
    info.poseInReferenceSpace().orientation().w(1);
    PointerBuffer pp = stack.mallocPointer(1);
    check(xrCreateReferenceSpace(session, info, pp), "xrCreateReferenceSpace(" + type + ")");
    return new XrSpace(pp.get(0), session);
  }

  @Override
  public String name() {
    return "openxr";
  }

  public String runtimeName() {
    return runtimeName;
  }

  public String systemName() {
    return systemName;
  }

  public List<String> enabledExtensions() {
    return List.copyOf(enabledExtensions);
  }

  public boolean handTracking() {
    return handTrackers != null;
  }

  /** The body-tracking extension whose joints the frames carry (its joint set's name; the last one used), or empty. */
  public Optional<String> bodyTracking() {
    return Optional.ofNullable(bodySource);
  }

  /** Without body tracking the client streams what it did before: said once per client, not per session. */
  private void bodyFallback(String why) {
    if (!bodyFallbackLogged) {
      bodyFallbackLogged = true;
      log.info("OpenXR body tracking unavailable ({}): streaming head, controllers and hands only", why);
    }
  }

  /** "STAGE" or "LOCAL": the space poses are located in (before the z-up conversion). */
  public String baseSpace() {
    return baseSpaceType == XR_REFERENCE_SPACE_TYPE_STAGE ? "STAGE" : "LOCAL";
  }

  public List<String> profilesSuggested() {
    return controls == null ? List.of() : controls.profilesSuggested();
  }

  /** Every session state entered so far, in order. */
  public List<SessionLifecycle.State> statesSeen() {
    return List.copyOf(statesSeen);
  }

  public SessionLifecycle lifecycle() {
    return lifecycle;
  }

  /** True when the session was lost (headset or runtime gone) and no new one runs (yet), not a requested exit. */
  public boolean lost() {
    return lost;
  }

  /** Asks the runtime to end the session; {@link #next()} then runs it down to EXITING and returns empty. */
  public void requestExit() {
    if (session != null && lifecycle.running() && !exitRequested) {
      exitRequested = true;
      check(xrRequestExitSession(session), "xrRequestExitSession");
    }
  }

  /**
   * Thread-safe (a shutdown hook calls it): asks the loop to finish. The next {@link #next()} requests
   * the exit (xrRequestExitSession, when the session is running) and keeps running the session down to
   * EXITING, then returns empty; it gives up after 2 s, or at once when no session is running.
   */
  public void stop() {
    if (stopRequestedNs == 0) {
      stopRequestedNs = Math.max(1, System.nanoTime());
    }
  }

  /** Sessions (or instances) lost so far. */
  public int sessionsLost() {
    return sessionsLost;
  }

  /** New sessions running after a loss. */
  public int sessionsRegained() {
    return sessionsRegained;
  }

  /** True while a lost session is being retried (no session exists). */
  public boolean recovering() {
    return session == null && !closed && sessionsLost > 0;
  }

  @Override
  public Optional<OperatorFrame.Builder> next() throws InterruptedException {
    while (true) {
      if (session == null) {
        if (!options.recoverLostSession() || stopRequestedNs != 0) {
          return Optional.empty();
        }
        if (releaseDue) {
          releaseDue = false;
          return Optional.of(releaseFrame());
        }
        retryWhenDue();
        continue;
      }
      try {
        Optional<OperatorFrame.Builder> f = nextInSession();
        if (f != null) {
          return f;
        }
      } catch (OpenXrException e) {
        if (e.result() == XR_ERROR_SESSION_LOST) {
          onLoss(false, XrCheck.name(e.result()));
        } else if (e.result() == XR_ERROR_INSTANCE_LOST) {
          onLoss(true, XrCheck.name(e.result()));
        } else {
          throw e;
        }
        if (!options.recoverLostSession()) {
          return Optional.empty();
        }
      }
    }
  }

  /** The next frame of the running session; null when the session was lost (after tearing it down). */
  private Optional<OperatorFrame.Builder> nextInSession() throws InterruptedException {
    while (true) {
      pollEvents();
      if (session == null) {
        return null;
      }
      if (lifecycle.finished()) {
        return Optional.empty();
      }
      long stopAt = stopRequestedNs;
      if (stopAt != 0) {
        if (!lifecycle.running() || System.nanoTime() - stopAt > EXIT_GRACE_NS) {
          return Optional.empty();
        }
        requestExit();
      }
      if (!lifecycle.running()) {
        LockSupport.parkNanos(IDLE_POLL_NS); // waiting for READY: OpenXR only offers polling
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        continue;
      }
      return Optional.of(frame());
    }
  }

  private void pollEvents() {
    while (instance != null) {
      event.type$Default().next(MemoryUtil.NULL);
      int r = check(xrPollEvent(instance, event), "xrPollEvent");
      if (r == XR_EVENT_UNAVAILABLE) {
        return;
      }
      switch (event.type()) {
        case XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED -> {
          XrEventDataSessionStateChanged ev = XrEventDataSessionStateChanged.create(event.address());
          if (session != null && ev.session() == session.address()) { // not a session already gone
            onState(SessionLifecycle.stateOf(ev.state()));
          }
        }
        case XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED -> {
          if (controls != null) {
            controls.refreshProfiles();
          }
        }
        case XR_TYPE_EVENT_DATA_INSTANCE_LOSS_PENDING -> {
          statesSeen.add(SessionLifecycle.State.LOSS_PENDING);
          onLoss(true, "INSTANCE_LOSS_PENDING: the runtime is going away");
        }
        default -> log.debug("OpenXR event {}", event.type());
      }
    }
  }

  private void onState(SessionLifecycle.State s) {
    statesSeen.add(s);
    log.debug("OpenXR session state {}", s);
    switch (lifecycle.onStateChanged(s)) {
      case BEGIN_SESSION -> {
        try (MemoryStack stack = stackPush()) {
          // headless sessions have no view configuration; the field is ignored there
          check(xrBeginSession(session, XrSessionBeginInfo.calloc(stack).type$Default()
              .primaryViewConfigurationType(XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO)), "xrBeginSession");
        }
        lifecycle.began();
      }
      case END_SESSION -> {
        check(xrEndSession(session), "xrEndSession");
        lifecycle.ended();
      }
      case LOST -> onLoss(false, "LOSS_PENDING: the headset or runtime went away");
      case EXIT, NONE -> { }
    }
  }

  /**
   * The session (and with {@code instanceGone} the instance) is lost: destroy it (with an instance,
   * nothing else: its children went with it), and, when recovering, owe the stream one release frame.
   */
  private void onLoss(boolean instanceGone, String why) {
    lost = true;
    sessionsLost++;
    lifecycle.ended();
    dropSession(instanceGone);
    if (options.recoverLostSession() && stopRequestedNs == 0) {
      releaseDue = true;
      attempts = 0;
      lostAtNs = System.nanoTime();
      retryDelayNs = RETRY_FIRST_NS;
      nextAttemptNs = lostAtNs + retryDelayNs;
      log.warn("OpenXR {} lost ({}): deadman released, retrying", instanceGone ? "instance" : "session", why);
    } else {
      log.warn("OpenXR {} lost ({})", instanceGone ? "instance" : "session", why);
    }
  }

  /** Destroys the session with its spaces, trackers and actions, or, when the instance is gone, the instance alone. */
  private void dropSession(boolean instanceGone) {
    if (options.view() != null && !options.headless()) {
      options.view().sessionEnded(instanceGone);
    }
    if (instanceGone) {
      // every handle is gone with the instance: only destroying the instance itself is left to do
      handTrackers = null;
      if (bodyTracker != null) {
        bodyTracker.forget();
        bodyTracker = null;
      }
      viewSpace = null;
      baseSpace = null;
      controls = null;
      session = null;
      if (instance != null) {
        xrDestroyInstance(instance);
        instance = null;
      }
      enabledExtensions.clear();
      timespecConversion = false;
      return;
    }
    // a lost session's children are still valid handles (their calls answer XR_ERROR_SESSION_LOST):
    // destroy them first, as at a normal end, so that no layer or runtime keeps stale ones
    if (handTrackers != null) {
      handTrackers.close();
      handTrackers = null;
    }
    if (bodyTracker != null) {
      bodyTracker.close();
      bodyTracker = null;
    }
    if (controls != null) {
      controls.close();
      controls = null;
    }
    for (XrSpace space : new XrSpace[] {viewSpace, baseSpace}) {
      if (space != null) {
        xrDestroySpace(space);
      }
    }
    viewSpace = null;
    baseSpace = null;
    if (session != null) {
      xrDestroySession(session);
      session = null;
    }
  }

  /** One frame saying nothing is tracked or held: OperatorStream turns it into a released deadman. */
  private static OperatorFrame.Builder releaseFrame() {
    long now = System.nanoTime();
    Timestamp t = stamp(now, now);
    return OperatorFrame.newBuilder().setCaptureTime(t).setDisplayTime(t);
  }

  /** Sleeps until the next attempt is due (or a while, to notice stop()), then tries a new session. */
  private void retryWhenDue() throws InterruptedException {
    long wait = nextAttemptNs - System.nanoTime();
    if (wait > 0) {
      LockSupport.parkNanos(Math.min(wait, RETRY_POLL_NS));
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      return;
    }
    attempts++;
    try {
      if (instance == null) {
        createInstance();
      }
      createSystem();
      lifecycle = new SessionLifecycle();
      exitRequested = false;
      createSession();
      sessionsRegained++;
      lost = false;
      squeezeLatched = true; // a squeeze held through the loss is not a deliberate press
      log.info("OpenXR session regained after {} attempt(s), {} s without a session", attempts,
          String.format("%.1f", (System.nanoTime() - lostAtNs) / 1e9));
    } catch (OpenXrException e) {
      log.debug("OpenXR session attempt {} failed: {}", attempts, e.getMessage());
      boolean instanceGone = e.result() == XR_ERROR_INSTANCE_LOST || e.result() == XR_ERROR_RUNTIME_FAILURE;
      if (session != null || instanceGone) {
        dropSession(instanceGone);
      }
      retryDelayNs = Math.min(2 * retryDelayNs, RETRY_MAX_NS);
      nextAttemptNs = System.nanoTime() + retryDelayNs;
    }
  }

  private OperatorFrame.Builder frame() throws InterruptedException {
    if (headlessPacer != null) {
      return headlessFrame();
    }
    try (MemoryStack stack = stackPush()) {
      XrFrameState fs = XrFrameState.calloc(stack).type$Default();
      check(xrWaitFrame(session, XrFrameWaitInfo.calloc(stack).type$Default(), fs), "xrWaitFrame");
      check(xrBeginFrame(session, XrFrameBeginInfo.calloc(stack).type$Default()), "xrBeginFrame");
      long sampled = System.nanoTime();
      long t = fs.predictedDisplayTime();
      long display = timespecConversion ? toMonotonic(stack, t) : sampled + fs.predictedDisplayPeriod();
      OperatorFrame.Builder f = OperatorFrame.newBuilder().setCaptureTime(stamp(sampled, sampled))
          .setDisplayTime(stamp(display, sampled));
      locate(f, t);
      for (var pulse : options.view().haptics()) {
        controls.pulse(pulse.hand(), pulse.amplitude(), pulse.durationNs());
      }

      PointerBuffer layers = fs.shouldRender() ? options.view().layers(t, stack) : null;
      XrFrameEndInfo end = XrFrameEndInfo.calloc(stack).type$Default().displayTime(t)
          .environmentBlendMode(XR_ENVIRONMENT_BLEND_MODE_OPAQUE);
      if (layers != null && layers.remaining() > 0) {
        end.layers(layers);
      }
      check(xrEndFrame(session, end), "xrEndFrame");
      if (layers != null) {
        options.view().submitted(System.nanoTime(), Stamps.wallNanos());
      }
      frames++;
      return f;
    }
  }

  /** A headless frame: no frame loop; sampled now, on our own pace. */
  private OperatorFrame.Builder headlessFrame() throws InterruptedException {
    headlessPacer.await();
    try (MemoryStack stack = stackPush()) {
      long sampled = System.nanoTime();
      Timestamp now = stamp(sampled, sampled);
      OperatorFrame.Builder f = OperatorFrame.newBuilder().setCaptureTime(now).setDisplayTime(now);
      locate(f, toXrTime(stack, sampled));
      frames++;
      return f;
    }
  }

  /** Head, controllers and hands located at XrTime {@code t}, into {@code f}. */
  private void locate(OperatorFrame.Builder f, long t) {
    try (MemoryStack stack = stackPush()) {
      controls.sync(); // first: a runtime may start its frame of inputs and poses here
      XrSpaceLocation head = XrSpaceLocation.calloc(stack).type$Default();
      check(xrLocateSpace(viewSpace, baseSpace, t, head), "xrLocateSpace(view)");
      if (XrControllerActions.valid(head.locationFlags())) {
        f.setHead(XrControllerActions.convert(head.pose())).setHeadValid(true);
      }
      for (int h = 0; h < 2; h++) {
        HandInput.Builder hand = h == 0 ? f.getLeftBuilder() : f.getRightBuilder();
        controls.read(h, baseSpace, t, hand);
        if (handTrackers != null) {
          hand.setHand(handTrackers.locate(h, baseSpace, t));
        }
      }
      if (bodyTracker != null) {
        f.setBody(bodyTracker.locate(baseSpace, t));
      }
      if (squeezeLatched) {
        if (f.getLeft().getSqueeze() <= OperatorControls.DEADMAN_OFF && f.getRight().getSqueeze() <= OperatorControls.DEADMAN_OFF) {
          squeezeLatched = false;
        } else {
          f.getLeftBuilder().setSqueeze(0f);
          f.getRightBuilder().setSqueeze(0f);
        }
      }
    }
  }

  /** {@code mono} (System.nanoTime) with the wall clock of the same instant, read at {@code nowMono}. */
  private static Timestamp stamp(long mono, long nowMono) {
    return Timestamp.newBuilder().setMonotonicNs(mono).setWallNs(Stamps.wallNanos() + (mono - nowMono)).build();
  }

  /** An XrTime on CLOCK_MONOTONIC, the clock of System.nanoTime. */
  private long toMonotonic(MemoryStack stack, long xrTime) {
    java.nio.ByteBuffer ts = stack.calloc(16); // struct timespec { time_t tv_sec; long tv_nsec; }
    check(KHRConvertTimespecTime.xrConvertTimeToTimespecTimeKHR(instance, xrTime, MemoryUtil.memAddress(ts)),
        "xrConvertTimeToTimespecTimeKHR");
    return ts.getLong(0) * 1_000_000_000L + ts.getLong(8);
  }

  /** A System.nanoTime instant as an XrTime. */
  private long toXrTime(MemoryStack stack, long mono) {
    java.nio.ByteBuffer ts = stack.calloc(16);
    ts.putLong(0, Math.floorDiv(mono, 1_000_000_000L)).putLong(8, Math.floorMod(mono, 1_000_000_000L));
    LongBuffer t = stack.mallocLong(1);
    check(KHRConvertTimespecTime.xrConvertTimespecTimeToTimeKHR(instance, MemoryUtil.memAddress(ts), t),
        "xrConvertTimespecTimeToTimeKHR");
    return t.get(0);
  }

  public long frames() {
    return frames;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (handTrackers != null) {
      handTrackers.close();
      handTrackers = null;
    }
    if (bodyTracker != null) {
      bodyTracker.close();
      bodyTracker = null;
    }
    if (controls != null) {
      controls.close();
      controls = null;
    }
    if (options.view() != null && !options.headless()) {
      options.view().close();
    }
    if (viewSpace != null) {
      xrDestroySpace(viewSpace);
      viewSpace = null;
    }
    if (baseSpace != null) {
      xrDestroySpace(baseSpace);
      baseSpace = null;
    }
    if (session != null) {
      xrDestroySession(session);
      session = null;
    }
    if (instance != null) {
      xrDestroyInstance(instance);
      instance = null;
    }
    event.free();
  }
}

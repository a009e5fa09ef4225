package io.optimus.teleop.openxr;

import static io.optimus.teleop.openxr.XrCheck.check;
import static org.lwjgl.openxr.XR10.*;

import io.optimus.proto.v1.BodyJoint;
import io.optimus.proto.v1.BodySkeleton;
import io.optimus.proto.v1.Pose;
import io.optimus.teleop.frame.XrToOperator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.lwjgl.PointerBuffer;
import org.lwjgl.openxr.BDBodyTracking;
import org.lwjgl.openxr.FBBodyTracking;
import org.lwjgl.openxr.HTCBodyTracking;
import org.lwjgl.openxr.METABodyTrackingFullBody;
import org.lwjgl.openxr.XrBodyJointLocationBD;
import org.lwjgl.openxr.XrBodyJointLocationFB;
import org.lwjgl.openxr.XrBodyJointLocationHTC;
import org.lwjgl.openxr.XrBodyJointLocationsBD;
import org.lwjgl.openxr.XrBodyJointLocationsFB;
import org.lwjgl.openxr.XrBodyJointLocationsHTC;
import org.lwjgl.openxr.XrBodyJointsLocateInfoBD;
import org.lwjgl.openxr.XrBodyJointsLocateInfoFB;
import org.lwjgl.openxr.XrBodyJointsLocateInfoHTC;
import org.lwjgl.openxr.XrBodyTrackerBD;
import org.lwjgl.openxr.XrBodyTrackerCreateInfoBD;
import org.lwjgl.openxr.XrBodyTrackerCreateInfoFB;
import org.lwjgl.openxr.XrBodyTrackerCreateInfoHTC;
import org.lwjgl.openxr.XrBodyTrackerFB;
import org.lwjgl.openxr.XrBodyTrackerHTC;
import org.lwjgl.openxr.XrInstance;
import org.lwjgl.openxr.XrPosef;
import org.lwjgl.openxr.XrQuaternionf;
import org.lwjgl.openxr.XrSession;
import org.lwjgl.openxr.XrSpace;
import org.lwjgl.openxr.XrSystemBodyTrackingPropertiesBD;
import org.lwjgl.openxr.XrSystemBodyTrackingPropertiesFB;
import org.lwjgl.openxr.XrSystemBodyTrackingPropertiesHTC;
import org.lwjgl.openxr.XrSystemProperties;
import org.lwjgl.openxr.XrSystemPropertiesBodyTrackingFullBodyMETA;
import org.lwjgl.openxr.XrVector3f;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;

/**
 * The operator's body through whichever body-tracking extension the runtime offers (preferred:
 * XR_FB_body_tracking with XR_META_body_tracking_full_body, then XR_FB_body_tracking alone, then
 * XR_HTC_body_tracking, then XR_BD_body_tracking), located with the head and hands and mapped to the
 * 16 vendor-neutral joints ({@link XrBodyJointMap}) in the operator frame ({@link XrToOperator}).
 * Confidence: the extension's own (FB: 0-1; HTC: NONE/LOW/HIGH as 0/0.5/1; BD: 1), halved for a joint
 * whose position is valid but not tracked (inferred), 0 when its position is not valid. The native
 * buffers are allocated once; a frame reads them in place.
 */
abstract class XrBodyTracker implements AutoCloseable {
  static final String FB_EXT = FBBodyTracking.XR_FB_BODY_TRACKING_EXTENSION_NAME;
  static final String META_FULL_BODY_EXT = METABodyTrackingFullBody.XR_META_BODY_TRACKING_FULL_BODY_EXTENSION_NAME;
  static final String HTC_EXT = HTCBodyTracking.XR_HTC_BODY_TRACKING_EXTENSION_NAME;
  static final String BD_EXT = BDBodyTracking.XR_BD_BODY_TRACKING_EXTENSION_NAME;

  // the three extensions' joint location structs share one layout: { XrSpaceLocationFlags; XrPosef }
  private static final int FLAGS = XrBodyJointLocationFB.LOCATIONFLAGS;
  private static final int QX = XrBodyJointLocationFB.POSE + XrPosef.ORIENTATION + XrQuaternionf.X;
  private static final int QY = XrBodyJointLocationFB.POSE + XrPosef.ORIENTATION + XrQuaternionf.Y;
  private static final int QZ = XrBodyJointLocationFB.POSE + XrPosef.ORIENTATION + XrQuaternionf.Z;
  private static final int QW = XrBodyJointLocationFB.POSE + XrPosef.ORIENTATION + XrQuaternionf.W;
  private static final int PX = XrBodyJointLocationFB.POSE + XrPosef.POSITION + XrVector3f.X;
  private static final int PY = XrBodyJointLocationFB.POSE + XrPosef.POSITION + XrVector3f.Y;
  private static final int PZ = XrBodyJointLocationFB.POSE + XrPosef.POSITION + XrVector3f.Z;
  private static final BodyJoint ABSENT = BodyJoint.newBuilder()
      .setPose(Pose.newBuilder().setOrientation(XrToOperator.orientation(0, 0, 0, 1))).build();

  final XrBodyJointMap set;
  private final BodySkeleton inactive;

  private XrBodyTracker(XrBodyJointMap set) {
    this.set = set;
    this.inactive = BodySkeleton.newBuilder().setActive(false).setSource(set.source).build();
  }

  /** The body-tracking extensions to enable among those the runtime offers, best first; empty when none. */
  static List<String> extensionsToEnable(Set<String> offered) {
    List<String> wanted = new ArrayList<>();
    if (offered.contains(FB_EXT)) {
      wanted.add(FB_EXT);
      if (offered.contains(META_FULL_BODY_EXT)) {
        wanted.add(META_FULL_BODY_EXT);
      }
    } else if (offered.contains(HTC_EXT)) {
      wanted.add(HTC_EXT);
    } else if (offered.contains(BD_EXT)) {
      wanted.add(BD_EXT);
    }
    return wanted;
  }

  /**
   * The joint set the system supports among the enabled extensions, or null (with the reason in
   * {@code why[0]}) when none is enabled or the system reports no body tracking.
   */
  static XrBodyJointMap supportedSet(XrInstance instance, long systemId, List<String> enabled, String[] why) {
    try (MemoryStack stack = MemoryStack.stackPush()) {
      XrSystemProperties props = XrSystemProperties.calloc(stack).type$Default();
      if (enabled.contains(FB_EXT)) {
        XrSystemBodyTrackingPropertiesFB fb = XrSystemBodyTrackingPropertiesFB.calloc(stack).type$Default();
        XrSystemPropertiesBodyTrackingFullBodyMETA full = XrSystemPropertiesBodyTrackingFullBodyMETA.calloc(stack).type$Default();
        props.next(fb.address());
        if (enabled.contains(META_FULL_BODY_EXT)) {
          fb.next(full.address());
        }
        check(xrGetSystemProperties(instance, systemId, props), "xrGetSystemProperties(body tracking)");
        if (!fb.supportsBodyTracking()) {
          why[0] = "the system does not support " + FB_EXT;
          return null;
        }
        return enabled.contains(META_FULL_BODY_EXT) && full.supportsFullBodyTracking()
            ? XrBodyJointMap.META_FULL_BODY : XrBodyJointMap.FB;
      }
      if (enabled.contains(HTC_EXT)) {
        XrSystemBodyTrackingPropertiesHTC htc = XrSystemBodyTrackingPropertiesHTC.calloc(stack).type$Default();
        props.next(htc.address());
        check(xrGetSystemProperties(instance, systemId, props), "xrGetSystemProperties(body tracking)");
        why[0] = "the system does not support " + HTC_EXT;
        return htc.supportsBodyTracking() ? XrBodyJointMap.HTC : null;
      }
      if (enabled.contains(BD_EXT)) {
        XrSystemBodyTrackingPropertiesBD bd = XrSystemBodyTrackingPropertiesBD.calloc(stack).type$Default();
        props.next(bd.address());
        check(xrGetSystemProperties(instance, systemId, props), "xrGetSystemProperties(body tracking)");
        why[0] = "the system does not support " + BD_EXT;
        return bd.supportsBodyTracking() ? XrBodyJointMap.BD : null;
      }
      why[0] = "the runtime offers none of " + FB_EXT + ", " + HTC_EXT + ", " + BD_EXT;
      return null;
    }
  }

  /** A tracker of {@code set} on {@code session}; throws {@link OpenXrException} when the runtime refuses it. */
  static XrBodyTracker create(XrSession session, XrBodyJointMap set) {
    return switch (set) {
      case FB, META_FULL_BODY -> new Fb(session, set);
      case HTC -> new Htc(session);
      case BD -> new Bd(session);
    };
  }

  /** The body at {@code time} in {@code base}, in the operator frame. */
  abstract BodySkeleton locate(XrSpace base, long time);

  /** Frees the native buffers without touching the tracker (its instance is gone). */
  abstract void forget();

  /** Destroys the tracker and frees the native buffers. */
  @Override
  public abstract void close();

  BodySkeleton inactive() {
    return inactive;
  }

  /** The 16 joints from the extension's location array at {@code array} (element size {@code stride}). */
  BodySkeleton skeleton(long array, int stride, float level) {
    BodySkeleton.Builder b = BodySkeleton.newBuilder().setActive(true).setSource(set.source);
    for (int id = 0; id < XrBodyJointMap.JOINTS; id++) {
      int k = set.index(id);
      b.addJoints(k == XrBodyJointMap.NONE ? ABSENT : joint(array + (long) k * stride, level));
    }
    return b.build();
  }

  private static BodyJoint joint(long a, float level) {
    long flags = MemoryUtil.memGetLong(a + FLAGS);
    if ((flags & XR_SPACE_LOCATION_POSITION_VALID_BIT) == 0) {
      return ABSENT;
    }
    boolean oriented = (flags & XR_SPACE_LOCATION_ORIENTATION_VALID_BIT) != 0;
    float c = (flags & XR_SPACE_LOCATION_POSITION_TRACKED_BIT) != 0 ? level : 0.5f * level;
    Pose pose = oriented
        ? XrToOperator.pose(f(a + PX), f(a + PY), f(a + PZ), f(a + QX), f(a + QY), f(a + QZ), f(a + QW))
        : ABSENT.getPose().toBuilder().setPosition(XrToOperator.position(f(a + PX), f(a + PY), f(a + PZ))).build();
    return BodyJoint.newBuilder().setPose(pose).setConfidence(c).setOrientationValid(oriented).build();
  }

  private static double f(long address) {
    return MemoryUtil.memGetFloat(address);
  }

  private static float clamp01(float v) {
    return v >= 0 && v <= 1 ? v : v > 1 ? 1 : 0; // NaN -> 0
  }

  /** XR_FB_body_tracking, with XR_META_body_tracking_full_body's 84-joint set where supported. */
  private static final class Fb extends XrBodyTracker {
    private final XrBodyTrackerFB tracker;
    private final XrBodyJointLocationFB.Buffer locations;
    private final XrBodyJointLocationsFB result = XrBodyJointLocationsFB.calloc();
    private final XrBodyJointsLocateInfoFB info = XrBodyJointsLocateInfoFB.calloc();

    Fb(XrSession session, XrBodyJointMap set) {
      super(set);
      locations = XrBodyJointLocationFB.calloc(set.count);
      try (MemoryStack stack = MemoryStack.stackPush()) {
        PointerBuffer pp = stack.mallocPointer(1);
        int jointSet = set == XrBodyJointMap.META_FULL_BODY ? METABodyTrackingFullBody.XR_BODY_JOINT_SET_FULL_BODY_META
            : FBBodyTracking.XR_BODY_JOINT_SET_DEFAULT_FB;
        check(FBBodyTracking.xrCreateBodyTrackerFB(session, XrBodyTrackerCreateInfoFB.calloc(stack).type$Default()
            .bodyJointSet(jointSet), pp), "xrCreateBodyTrackerFB");
        tracker = new XrBodyTrackerFB(pp.get(0), session);
      } catch (RuntimeException e) {
        forget();
        throw e;
      }
      // LWJGL binds XrBodyJointLocationsFB as output-only: the input fields are written in place
      result.type$Default();
      MemoryUtil.memPutInt(result.address() + XrBodyJointLocationsFB.JOINTCOUNT, set.count);
      MemoryUtil.memPutAddress(result.address() + XrBodyJointLocationsFB.JOINTLOCATIONS, locations.address());
      info.type$Default();
    }

    @Override
    BodySkeleton locate(XrSpace base, long time) {
      info.baseSpace(base).time(time);
      MemoryUtil.memPutInt(result.address() + XrBodyJointLocationsFB.ISACTIVE, 0);
      check(FBBodyTracking.xrLocateBodyJointsFB(tracker, info, result), "xrLocateBodyJointsFB");
      return result.isActive() ? skeleton(locations.address(), XrBodyJointLocationFB.SIZEOF, clamp01(result.confidence()))
          : inactive();
    }

    @Override
    void forget() {
      locations.free();
      result.free();
      info.free();
    }

    @Override
    public void close() {
      FBBodyTracking.xrDestroyBodyTrackerFB(tracker);
      forget();
    }
  }

  /** XR_HTC_body_tracking: 26 joints, one confidence level for the body. */
  private static final class Htc extends XrBodyTracker {
    private final XrBodyTrackerHTC tracker;
    private final XrBodyJointLocationHTC.Buffer locations = XrBodyJointLocationHTC.calloc(XrBodyJointMap.HTC.count);
    private final XrBodyJointLocationsHTC result = XrBodyJointLocationsHTC.calloc();
    private final XrBodyJointsLocateInfoHTC info = XrBodyJointsLocateInfoHTC.calloc();

    Htc(XrSession session) {
      super(XrBodyJointMap.HTC);
      try (MemoryStack stack = MemoryStack.stackPush()) {
        PointerBuffer pp = stack.mallocPointer(1);
        check(HTCBodyTracking.xrCreateBodyTrackerHTC(session, XrBodyTrackerCreateInfoHTC.calloc(stack).type$Default()
            .bodyJointSet(HTCBodyTracking.XR_BODY_JOINT_SET_FULL_HTC), pp), "xrCreateBodyTrackerHTC");
        tracker = new XrBodyTrackerHTC(pp.get(0), session);
      } catch (RuntimeException e) {
        forget();
        throw e;
      }
      result.type$Default().jointLocations(locations);
      info.type$Default();
    }

    @Override
    BodySkeleton locate(XrSpace base, long time) {
      info.baseSpace(base).time(time);
      result.confidenceLevel(HTCBodyTracking.XR_BODY_JOINT_CONFIDENCE_NONE_HTC).combinedLocationFlags(0);
      check(HTCBodyTracking.xrLocateBodyJointsHTC(tracker, info, result), "xrLocateBodyJointsHTC");
      float level = switch (result.confidenceLevel()) {
        case HTCBodyTracking.XR_BODY_JOINT_CONFIDENCE_HIGH_HTC -> 1f;
        case HTCBodyTracking.XR_BODY_JOINT_CONFIDENCE_LOW_HTC -> 0.5f;
        default -> 0f;
      };
      return level > 0 ? skeleton(locations.address(), XrBodyJointLocationHTC.SIZEOF, level) : inactive();
    }

    @Override
    void forget() {
      locations.free();
      result.free();
      info.free();
    }

    @Override
    public void close() {
      HTCBodyTracking.xrDestroyBodyTrackerHTC(tracker);
      forget();
    }
  }

  /** XR_BD_body_tracking: the 24-joint full-body set; no body-level confidence (1 where a joint is tracked). */
  private static final class Bd extends XrBodyTracker {
    private final XrBodyTrackerBD tracker;
    private final XrBodyJointLocationBD.Buffer locations = XrBodyJointLocationBD.calloc(XrBodyJointMap.BD.count);
    private final XrBodyJointLocationsBD result = XrBodyJointLocationsBD.calloc();
    private final XrBodyJointsLocateInfoBD info = XrBodyJointsLocateInfoBD.calloc();

    Bd(XrSession session) {
      super(XrBodyJointMap.BD);
      try (MemoryStack stack = MemoryStack.stackPush()) {
        PointerBuffer pp = stack.mallocPointer(1);
        check(BDBodyTracking.xrCreateBodyTrackerBD(session, XrBodyTrackerCreateInfoBD.calloc(stack).type$Default()
            .jointSet(BDBodyTracking.XR_BODY_JOINT_SET_FULL_BODY_JOINTS_BD), pp), "xrCreateBodyTrackerBD");
        tracker = new XrBodyTrackerBD(pp.get(0), session);
      } catch (RuntimeException e) {
        forget();
        throw e;
      }
      result.type$Default().jointLocations(locations);
      info.type$Default();
    }

    @Override
    BodySkeleton locate(XrSpace base, long time) {
      info.baseSpace(base).time(time);
      check(BDBodyTracking.xrLocateBodyJointsBD(tracker, info, result), "xrLocateBodyJointsBD");
      long a = locations.address();
      for (int j = 0; j < set.count; j++) {
        if ((MemoryUtil.memGetLong(a + (long) j * XrBodyJointLocationBD.SIZEOF + FLAGS) & XR_SPACE_LOCATION_POSITION_VALID_BIT) != 0) {
          return skeleton(a, XrBodyJointLocationBD.SIZEOF, 1f);
        }
      }
      return inactive();
    }

    @Override
    void forget() {
      locations.free();
      result.free();
      info.free();
    }

    @Override
    public void close() {
      BDBodyTracking.xrDestroyBodyTrackerBD(tracker);
      forget();
    }
  }
}

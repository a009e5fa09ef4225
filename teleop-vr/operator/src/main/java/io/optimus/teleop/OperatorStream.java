package io.optimus.teleop;

import io.optimus.common.InputException;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.HandJoint;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.teleop.controls.EventRepeater;
import io.optimus.teleop.controls.OperatorControls;
import io.optimus.teleop.source.PoseSource;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a {@link PoseSource} into the operator stream: maps controls to commands and events, stamps
 * schema version, ids and a strictly increasing sequence, and keeps non-finite values from ever
 * reaching the robot: a NaN pose is cleared and marked invalid (the robot then holds that target), a
 * NaN input reads as released; such frames are counted and logged.
 */
public final class OperatorStream implements AutoCloseable {
  public static final int SCHEMA_VERSION = 1;
  /** Frames carrying a body skeleton (field 15) are schema 2; the rest stay 1, readable by older bridges. */
  public static final int SCHEMA_VERSION_BODY = 2;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OperatorStream.class);

  private final PoseSource source;
  private final String operatorId;
  private final String sessionId = UUID.randomUUID().toString();
  private final OperatorControls controls;
  private long sequence;
  private long sanitized;

  public OperatorStream(PoseSource source, String operatorId) {
    this.source = source;
    this.operatorId = operatorId;
    // ids differ between sessions without coordination: wall-clock microseconds as the first id
    this.controls = new OperatorControls(new EventRepeater(System.currentTimeMillis() * 1000));
  }

  public String sessionId() {
    return sessionId;
  }

  public PoseSource source() {
    return source;
  }

  public OperatorControls controls() {
    return controls;
  }

  /** The next complete frame, or empty when the source has finished. */
  public Optional<OperatorFrame> next() throws InterruptedException {
    Optional<OperatorFrame.Builder> next = source.next();
    if (next.isEmpty()) {
      return Optional.empty();
    }
    OperatorFrame.Builder f = next.get();
    if (sanitize(f)) {
      sanitized++;
      if (Long.bitCount(sanitized) == 1) { // 1, 2, 4, 8, ...: a broken tracker must not flood the log
        log.warn("{}: non-finite values in frame {} were invalidated ({} frames so far)", source.name(), sequence + 1, sanitized);
      }
    }
    f.setSchemaVersion(f.hasBody() ? SCHEMA_VERSION_BODY : SCHEMA_VERSION).setOperatorId(operatorId).setSessionId(sessionId)
        .setSource(source.name()).setSequence(++sequence);
    controls.apply(f);
    OperatorFrame frame = f.build();
    checkFinite(frame);
    return Optional.of(frame);
  }

  /** Frames whose non-finite values were invalidated so far. */
  public long sanitizedFrames() {
    return sanitized;
  }

  /** Invalidates non-finite poses and zeroes non-finite inputs; true when anything was wrong. */
  static boolean sanitize(OperatorFrame.Builder f) {
    boolean bad = false;
    if (!finite(f.getHead())) {
      f.clearHead().setHeadValid(false);
      bad = true;
    }
    for (HandInput.Builder h : new HandInput.Builder[] {f.getLeftBuilder(), f.getRightBuilder()}) {
      if (!finite(h.getGripPose())) {
        h.clearGripPose().setGripValid(false).setTracked(false);
        bad = true;
      }
      if (!finite(h.getAimPose())) {
        h.clearAimPose().setAimValid(false);
        bad = true;
      }
      if (!Float.isFinite(h.getTrigger()) || !Float.isFinite(h.getSqueeze())
          || !Double.isFinite(h.getThumbstick().getX()) || !Double.isFinite(h.getThumbstick().getY())) {
        h.setTrigger(Float.isFinite(h.getTrigger()) ? h.getTrigger() : 0f)
            .setSqueeze(Float.isFinite(h.getSqueeze()) ? h.getSqueeze() : 0f).clearThumbstick();
        bad = true;
      }
      for (HandJoint j : h.getHand().getJointsList()) {
        if (!finite(j.getPose())) {
          h.clearHand();
          bad = true;
          break;
        }
      }
    }
    for (var j : f.getBody().getJointsList()) {
      if (!finite(j.getPose()) || !Float.isFinite(j.getConfidence())) {
        f.clearBody();
        bad = true;
        break;
      }
    }
    return bad;
  }

  private static boolean finite(Pose p) {
    return Double.isFinite(p.getPosition().getX()) && Double.isFinite(p.getPosition().getY())
        && Double.isFinite(p.getPosition().getZ()) && Double.isFinite(p.getOrientation().getW())
        && Double.isFinite(p.getOrientation().getX()) && Double.isFinite(p.getOrientation().getY())
        && Double.isFinite(p.getOrientation().getZ());
  }

  /** Throws an {@link InputException} naming the source and the field when any value is NaN or infinite. */
  public static void checkFinite(OperatorFrame f) {
    String where = "operator frame " + f.getSequence() + " from '" + f.getSource() + "'";
    checkPose(f.getHead(), where + " head");
    checkHand(f.getLeft(), where + " left");
    checkHand(f.getRight(), where + " right");
    for (int i = 0; i < f.getBody().getJointsCount(); i++) {
      checkPose(f.getBody().getJoints(i).getPose(), where + " body joint " + i);
    }
  }

  private static void checkHand(HandInput h, String where) {
    checkPose(h.getGripPose(), where + " grip pose");
    checkPose(h.getAimPose(), where + " aim pose");
    if (!Float.isFinite(h.getTrigger()) || !Float.isFinite(h.getSqueeze())
        || !Double.isFinite(h.getThumbstick().getX()) || !Double.isFinite(h.getThumbstick().getY())) {
      throw new InputException(where + " has a non-finite trigger, squeeze or thumbstick value");
    }
    for (int i = 0; i < h.getHand().getJointsCount(); i++) {
      HandJoint j = h.getHand().getJoints(i);
      checkPose(j.getPose(), where + " hand joint " + i);
    }
  }

  private static void checkPose(Pose p, String where) {
    double[] v = {p.getPosition().getX(), p.getPosition().getY(), p.getPosition().getZ(),
        p.getOrientation().getW(), p.getOrientation().getX(), p.getOrientation().getY(), p.getOrientation().getZ()};
    for (double d : v) {
      if (!Double.isFinite(d)) {
        throw new InputException(where + " is not finite: " + p.toString().replace('\n', ' '));
      }
    }
  }

  @Override
  public void close() throws Exception {
    source.close();
  }
}

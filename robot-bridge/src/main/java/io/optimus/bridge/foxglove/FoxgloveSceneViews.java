package io.optimus.bridge.foxglove;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.optimus.motion.foxglove.RobotFrames;
import io.optimus.motion.foxglove.RobotShapes;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import io.optimus.motion.model.UrdfLoader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.motion.record.EpisodeViews;
import io.optimus.motion.record.FoxgloveImages;
import io.optimus.motion.record.FoxgloveScene;
import io.optimus.proto.foxglove.CameraCalibration;
import io.optimus.proto.foxglove.FrameTransform;
import io.optimus.proto.foxglove.FrameTransforms;
import io.optimus.proto.foxglove.PoseInFrame;
import io.optimus.proto.foxglove.PosesInFrame;
import io.optimus.proto.foxglove.Quaternion;
import io.optimus.proto.foxglove.SceneUpdate;
import io.optimus.proto.foxglove.Vector3;
import io.optimus.proto.v1.BodyJoint;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.CameraInfo;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.HandJoint;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.StageLatency;
import io.optimus.proto.v1.TaskState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An episode as a Foxglove 3D scene, derived on the recorder's writer thread (the control loop pays
 * nothing): from each joint state, at most {@link #RATE_HZ}, the link transforms ({@link EpisodeTopics#TF}:
 * world -> base -> every link, plus camera frames the model lacks and the operator's tracking space)
 * and the stage latencies; the robot's geometry and the table at the start and again every second (a
 * viewer that seeks still finds them), and its display URDF ({@link EpisodeTopics#ROBOT_DESCRIPTION}, for
 * Foxglove's URDF layer) at the start and every 10 s; the task's objects from each task state (same rate bound); a
 * calibration beside every camera frame (and, for a camera neither the model nor the header places,
 * its frame from the frame's own world pose); the operator's head, grip poses, tracked hand joints and
 * body joints (those with a confidence).
 * The robot model comes from the header's URDF (so any episode with a robot description gets its scene).
 * Input the scene cannot show (a state that does not fit the model, NaN) is skipped and logged once.
 */
public final class FoxgloveSceneViews implements EpisodeViews {
  private static final Logger LOG = LoggerFactory.getLogger(FoxgloveSceneViews.class);
  /** Transforms, objects, latencies and operator poses: smooth in a viewer at a fifth of a 250 Hz loop's size. */
  public static final double RATE_HZ = 50;
  private static final long PERIOD_NS = (long) (1e9 / RATE_HZ);
  /** Slack under the period so a 250 Hz loop's jitter does not turn every fifth state into every sixth. */
  private static final long SLACK_NS = 2_000_000;
  private static final long RESEND_NS = 1_000_000_000L;
  private static final Map<String, RobotModel> MODELS = new ConcurrentHashMap<>();

  /** Where the task's table stands (world frame, m), drawn as a scene entity. */
  public record Table(double minX, double maxX, double minY, double maxY, double top) {
    /** The table of a task world; null for none. */
    public static Table of(io.optimus.bridge.world.TaskWorld w) {
      return w == null ? null : new Table(w.tableMinX, w.tableMaxX, w.tableMinY, w.tableMaxY, w.tableTop);
    }
  }

  private final RobotFrames frames; // null: no model, no robot transforms or geometry
  private final SceneUpdate robotShapes;
  /** The display URDF for Foxglove's URDF layer ({@link EpisodeTopics#ROBOT_DESCRIPTION}), null without a model. */
  private final io.optimus.proto.v1.UrdfText displayUrdf;
  private static final long URDF_RESEND_NS = 10_000_000_000L; // ~100 KB: a seek still finds one, without 100 KB/s
  private long lastUrdf = Long.MIN_VALUE;
  private final Table table;
  private final Map<String, CameraInfo> cameras = new HashMap<>();
  private final Map<String, String> calibrationTopics = new HashMap<>();
  private final List<CameraInfo> extraCameraFrames = new ArrayList<>();
  /** Camera names whose frame is in the tree (a model link, or hung from one by its camera info). */
  private final Set<String> placedCameras = new HashSet<>();
  private final Set<String> warned = new HashSet<>();
  private long lastTf = Long.MIN_VALUE;
  private long lastObjects = Long.MIN_VALUE;
  private long lastOperator = Long.MIN_VALUE;
  private long lastResend = Long.MIN_VALUE;

  FoxgloveSceneViews(RobotModel model, List<CameraInfo> cameraInfos, Table table) {
    this(model, cameraInfos, table, model == null ? "" : model.displayUrdf());
  }

  private FoxgloveSceneViews(RobotModel model, List<CameraInfo> cameraInfos, Table table, String displayUrdf) {
    this.displayUrdf = displayUrdf.isEmpty() ? null : io.optimus.proto.v1.UrdfText.newBuilder().setData(displayUrdf).build();
    this.frames = model == null ? null : new RobotFrames(model);
    this.robotShapes = model == null ? null : RobotShapes.scene(model, Timestamp.getDefaultInstance());
    this.table = table;
    for (CameraInfo c : cameraInfos) {
      cameras.put(c.getName(), c);
      boolean inModel = model != null && model.linkIndex(EpisodeTopics.cameraFrame(c.getName())) >= 0;
      if (!inModel && model != null && model.linkIndex(c.getParentLink()) >= 0) {
        extraCameraFrames.add(c);
        placedCameras.add(c.getName());
      } else if (inModel) {
        placedCameras.add(c.getName());
      }
    }
  }

  /** Views for each episode a recorder starts; {@code table} (may return null) is asked at each start. */
  public static EpisodeViews.Factory factory(Supplier<Table> table) {
    return header -> forEpisode(header, table == null ? null : table.get());
  }

  /** The views of one episode: its robot from the header's URDF (or the built-in model of its name). */
  public static FoxgloveSceneViews forEpisode(EpisodeHeader header, Table table) {
    RobotModel model = model(header);
    String display = header.getRobot().getDisplayUrdf(); // the recording robot's own (older headers: from the model)
    return new FoxgloveSceneViews(model, header.getRobot().getCamerasList(), table,
        !display.isEmpty() ? display : model == null ? "" : model.displayUrdf());
  }

  private static RobotModel model(EpisodeHeader header) {
    var robot = header.getRobot();
    String urdf = robot.getUrdf();
    if (urdf.isEmpty()) {
      return Robots.BUILT_IN.contains(robot.getModelName()) ? Robots.load(robot.getModelName()) : null;
    }
    String key = robot.getModelHash().isEmpty() ? Integer.toHexString(urdf.hashCode()) + ":" + urdf.length()
        : robot.getModelHash();
    if (MODELS.size() > 16) {
      MODELS.clear(); // a handful of bodies per process; never unbounded
    }
    return MODELS.computeIfAbsent(key, k -> UrdfLoader.parse(urdf, "the episode header's URDF (" + robot.getModelName() + ")"));
  }

  @Override
  public void start(long logTime, Out out) throws IOException {
    resend(logTime, logTime, out);
  }

  @Override
  public void after(String topic, Message message, long logTime, long publishTime, Out out) throws IOException {
    if (message instanceof JointState s && topic.equals(EpisodeTopics.STATE)) {
      if (due(lastTf, publishTime)) {
        lastTf = publishTime;
        state(s, logTime, publishTime, out);
      }
    } else if (message instanceof TaskState t && topic.equals(EpisodeTopics.TASK)) {
      if (due(lastObjects, publishTime)) {
        lastObjects = publishTime;
        out.write(EpisodeTopics.SCENE_OBJECTS, FoxgloveScene.objects(t, FoxgloveImages.timestamp(publishTime)), logTime,
            publishTime);
      }
    } else if (message instanceof OperatorFrame f && topic.equals(EpisodeTopics.OPERATOR)) {
      if (due(lastOperator, publishTime)) {
        lastOperator = publishTime;
        operator(f, logTime, publishTime, out);
      }
    } else if (message instanceof CameraFrame f && EpisodeTopics.isCamera(topic)) {
      calibration(topic, f, logTime, publishTime, out);
    }
    if (lastResend != Long.MIN_VALUE && logTime - lastResend >= RESEND_NS) {
      resend(logTime, publishTime, out);
    }
  }

  /** Rate bound on the messages' own time (a stepped simulation runs faster than the wall clock); a clock stepping back restarts it. */
  private static boolean due(long last, long now) {
    return last == Long.MIN_VALUE || now - last >= PERIOD_NS - SLACK_NS || now < last;
  }

  /** The static scene again: Foxglove keeps the latest entity per id, and a seek lands after the first. */
  private void resend(long logTime, long publishTime, Out out) throws IOException {
    lastResend = logTime;
    if (displayUrdf != null && (lastUrdf == Long.MIN_VALUE || logTime - lastUrdf >= URDF_RESEND_NS)) {
      lastUrdf = logTime;
      out.write(EpisodeTopics.ROBOT_DESCRIPTION, displayUrdf, logTime, publishTime);
    }
    Timestamp stamp = FoxgloveImages.timestamp(publishTime);
    if (robotShapes != null) {
      SceneUpdate.Builder b = robotShapes.toBuilder();
      b.getEntitiesBuilderList().forEach(e -> e.setTimestamp(stamp));
      out.write(EpisodeTopics.SCENE_ROBOT, b.build(), logTime, publishTime);
    }
    if (table != null) {
      out.write(EpisodeTopics.SCENE_WORLD, FoxgloveScene.table(table.minX(), table.maxX(), table.minY(), table.maxY(),
          table.top(), stamp), logTime, publishTime);
    }
  }

  private void state(JointState s, long logTime, long publishTime, Out out) throws IOException {
    StageLatency latency = FoxgloveScene.latency(s);
    if (latency != null) {
      out.write(EpisodeTopics.LATENCY, latency, logTime, publishTime);
    }
    Timestamp stamp = FoxgloveImages.timestamp(publishTime);
    FrameTransforms tf = frames == null ? FrameTransforms.getDefaultInstance() : frames.transforms(s, stamp);
    if (tf == null) { // the viewer keeps the last good tree
      warnOnce("state", "state #" + s.getSequence() + " does not fit the model (" + s.getPositionCount() + " of "
          + frames.model().dof() + " positions, or a non-finite value): no transforms for such states");
      return;
    }
    FrameTransforms.Builder b = tf.toBuilder();
    b.addTransforms(transform(stamp, EpisodeTopics.WORLD_FRAME, EpisodeTopics.OPERATOR_FRAME, null));
    for (CameraInfo c : extraCameraFrames) {
      io.optimus.proto.foxglove.Pose p = FoxgloveScene.pose(c.getPoseInParent());
      if (p != null) {
        b.addTransforms(transform(stamp, c.getParentLink(), EpisodeTopics.cameraFrame(c.getName()), p));
      }
    }
    out.write(EpisodeTopics.TF, b.build(), logTime, publishTime);
  }

  private void operator(OperatorFrame f, long logTime, long publishTime, Out out) throws IOException {
    Timestamp stamp = FoxgloveImages.timestamp(publishTime);
    String frame = EpisodeTopics.OPERATOR_FRAME;
    if (f.getHeadValid()) {
      write(out, EpisodeTopics.OPERATOR_HEAD, FoxgloveScene.poseInFrame(frame, f.getHead(), stamp), logTime, publishTime);
    }
    if (f.getLeft().getGripValid()) {
      write(out, EpisodeTopics.OPERATOR_LEFT_HAND, FoxgloveScene.poseInFrame(frame, f.getLeft().getGripPose(), stamp),
          logTime, publishTime);
    }
    if (f.getRight().getGripValid()) {
      write(out, EpisodeTopics.OPERATOR_RIGHT_HAND, FoxgloveScene.poseInFrame(frame, f.getRight().getGripPose(), stamp),
          logTime, publishTime);
    }
    if (f.getLeft().getHand().getActive() || f.getRight().getHand().getActive()) {
      PosesInFrame.Builder joints = PosesInFrame.newBuilder().setTimestamp(stamp).setFrameId(frame);
      for (HandInput h : new HandInput[] {f.getLeft(), f.getRight()}) {
        for (HandJoint j : h.getHand().getJointsList()) {
          io.optimus.proto.foxglove.Pose p = j.getPositionValid() ? FoxgloveScene.pose(j.getPose()) : null;
          if (p != null) {
            joints.addPoses(p);
          }
        }
      }
      out.write(EpisodeTopics.OPERATOR_HAND_JOINTS, joints.build(), logTime, publishTime);
    }
    if (f.getBody().getActive()) {
      PosesInFrame.Builder joints = PosesInFrame.newBuilder().setTimestamp(stamp).setFrameId(frame);
      for (BodyJoint j : f.getBody().getJointsList()) {
        io.optimus.proto.foxglove.Pose p = j.getConfidence() > 0 ? FoxgloveScene.pose(j.getPose()) : null;
        if (p != null) {
          joints.addPoses(p);
        }
      }
      out.write(EpisodeTopics.OPERATOR_BODY_JOINTS, joints.build(), logTime, publishTime);
    }
  }

  private void calibration(String cameraTopic, CameraFrame f, long logTime, long publishTime, Out out)
      throws IOException {
    if (!placedCameras.contains(f.getCameraName()) && f.hasCameraPose()) {
      // A camera neither the model nor the header places: its frame from the frame's own world pose.
      io.optimus.proto.foxglove.Pose p = FoxgloveScene.pose(f.getCameraPose());
      if (p != null) {
        out.write(EpisodeTopics.TF, FrameTransforms.newBuilder().addTransforms(transform(
            FoxgloveImages.timestamp(publishTime), EpisodeTopics.WORLD_FRAME, EpisodeTopics.cameraFrame(f.getCameraName()),
            p)).build(), logTime, publishTime);
      }
    }
    CameraInfo info = cameras.get(f.getCameraName());
    var intrinsics = f.hasIntrinsics() ? f.getIntrinsics() : info == null ? null : info.getIntrinsics();
    if (intrinsics == null) {
      return;
    }
    CameraCalibration c = FoxgloveScene.calibration(EpisodeTopics.cameraFrame(f.getCameraName()), f.getWidth(),
        f.getHeight(), intrinsics, FoxgloveImages.timestamp(publishTime));
    if (c == null) {
      warnOnce(cameraTopic, cameraTopic + ": no usable intrinsics (focal length " + intrinsics.getFx() + "): no calibration");
      return;
    }
    String topic = calibrationTopics.computeIfAbsent(cameraTopic, t -> t + EpisodeTopics.CALIBRATION_SUFFIX);
    out.write(topic, c, logTime, publishTime);
  }

  private static void write(Out out, String topic, PoseInFrame p, long logTime, long publishTime) throws IOException {
    if (p != null) {
      out.write(topic, p, logTime, publishTime);
    }
  }

  private static FrameTransform transform(Timestamp stamp, String parent, String child, io.optimus.proto.foxglove.Pose p) {
    FrameTransform.Builder t = FrameTransform.newBuilder().setTimestamp(stamp).setParentFrameId(parent)
        .setChildFrameId(child);
    if (p == null) {
      return t.setTranslation(Vector3.getDefaultInstance()).setRotation(Quaternion.newBuilder().setW(1)).build();
    }
    return t.setTranslation(p.getPosition()).setRotation(p.getOrientation()).build();
  }

  private void warnOnce(String key, String what) {
    if (warned.add(key)) {
      LOG.warn("foxglove scene: {}", what);
    }
  }
}

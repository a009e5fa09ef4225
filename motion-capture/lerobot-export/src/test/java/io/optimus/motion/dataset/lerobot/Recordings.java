package io.optimus.motion.dataset.lerobot;

import com.google.protobuf.ByteString;
import io.optimus.motion.record.EpisodeWriter;
import io.optimus.motion.record.SyntheticRecording;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.ImageEncoding;
import io.optimus.proto.v1.RobotDescription;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/** Small real episodes written by the project's EpisodeWriter: 250 Hz state plus cameras at 30 Hz. */
final class Recordings {
  static final int STATE_HZ = 250;
  static final int CAMERA_HZ = 30;
  /** The first camera frame comes this long after the first state (the export starts there). */
  static final long CAMERA_DELAY_NS = 7_000_000;

  /** A camera; a noisy one sends random pixels (incompressible: big video files fast). */
  record Cam(String name, int width, int height, boolean noisy) {
    Cam(String name, int width, int height) {
      this(name, width, height, false);
    }
  }

  private Recordings() {}

  static RobotDescription robot(String model, int joints) {
    return SyntheticRecording.robot(joints, 0, 0, STATE_HZ, CAMERA_HZ).toBuilder().setModelName(model).build();
  }

  /** Records {@code seconds} of synthetic teleoperation; publish times are exact multiples of each period. */
  static Path record(Path file, RobotDescription robot, String task, double seconds, EpisodeOutcome outcome,
      long wall0, Cam... cams) throws InterruptedException {
    return record(file, robot, task, seconds, outcome, wall0, frame -> List.of(cams));
  }

  /** As above with the cameras of each frame number chosen by {@code camerasOf} (e.g. a size change). */
  static Path record(Path file, RobotDescription robot, String task, double seconds, EpisodeOutcome outcome,
      long wall0, LongFunction<List<Cam>> camerasOf) throws InterruptedException {
    EpisodeHeader h = SyntheticRecording.header(file.getFileName().toString(), robot).toBuilder().setTask(task).build();
    int joints = robot.getJointsCount();
    try (EpisodeWriter w = EpisodeWriter.start(file, h)) {
      long states = Math.round(seconds * STATE_HZ);
      long frame = 0;
      for (long i = 0; i < states; i++) {
        long seq = i;
        long t = i * (1_000_000_000L / STATE_HZ);
        offer(() -> w.writeState(SyntheticRecording.state(joints, seq, SyntheticRecording.stamp(t, wall0 + t))));
        long ft = CAMERA_DELAY_NS + frame * 1_000_000_000L / CAMERA_HZ;
        if (ft <= t) {
          long f = frame++;
          for (Cam c : camerasOf.apply(f)) {
            offer(() -> w.writeCamera(frame(c, f, wall0 + ft)));
          }
        }
      }
      w.finish(outcome, "");
    }
    return file;
  }

  /** A smooth picture that changes every frame (gradients and a moving block), as RGB8. */
  static CameraFrame frame(Cam c, long seq, long wallNs) {
    byte[] px = new byte[c.width() * c.height() * 3];
    if (c.noisy()) {
      new java.util.Random(seq).nextBytes(px);
      return rgb8(c, seq, wallNs, px);
    }
    // the block sits on even pixels so that yuv420p's 2x2 chroma samples do not straddle its edges
    int bx = (int) (seq * 4 % Math.max(2, c.width() - 12)) & ~1;
    int by = (c.height() / 3) & ~1;
    for (int y = 0; y < c.height(); y++) {
      for (int x = 0; x < c.width(); x++) {
        int i = (y * c.width() + x) * 3;
        boolean block = x >= bx && x < bx + 12 && y >= by && y < by + 12;
        px[i] = (byte) (block ? 240 : x * 200 / c.width() + 20);
        px[i + 1] = (byte) (block ? 30 : y * 200 / c.height() + 20);
        px[i + 2] = (byte) (block ? 60 : 60 + (seq * 5 % 120));
      }
    }
    return rgb8(c, seq, wallNs, px);
  }

  private static CameraFrame rgb8(Cam c, long seq, long wallNs, byte[] px) {
    return CameraFrame.newBuilder().setSchemaVersion(1).setRobotId("sim-1").setCameraName(c.name()).setSequence(seq)
        .setStamp(SyntheticRecording.stamp(wallNs, wallNs)).setEncoding(ImageEncoding.IMAGE_ENCODING_RGB8)
        .setWidth(c.width()).setHeight(c.height()).setStep(c.width() * 3).setData(ByteString.copyFrom(px)).build();
  }

  /** The test writes faster than real time: wait for queue room rather than drop. */
  private static void offer(BooleanSupplier write) throws InterruptedException {
    while (!write.getAsBoolean()) {
      Thread.sleep(1);
    }
  }
}

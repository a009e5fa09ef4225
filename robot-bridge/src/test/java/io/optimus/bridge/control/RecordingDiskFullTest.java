package io.optimus.bridge.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.testing.Await;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.proto.v1.BridgeStatus;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.StartRecordingRequest;
import io.optimus.proto.v1.StopRecordingRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge records into a real, small tmpfs until it is full: the robot keeps running, the
 * retained status (what the operator's HUD shows) drops "recording" and says why, and an unsolicited
 * control reply tells clients at once.
 */
class RecordingDiskFullTest {
  @TempDir Path dir;

  @BeforeAll
  static void up() {
    BridgeOverMqttTest.up();
  }

  private static boolean mount(Path mnt, int kib) throws Exception {
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + kib + "k", "tmpfs", mnt.toString())
        .redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  private static void umount(Path mnt) throws Exception {
    Process p = new ProcessBuilder("umount", "-l", mnt.toString()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * Sends a control request until it is answered: on a loaded machine the client's in-flight window
   * can overflow and drop a reply (MqttEndpoint logs "Too many publishes in progress").
   */
  private static ControlReply request(BridgeOverMqttTest.Watcher w, String robot, ControlRequest.Builder r) {
    for (int attempt = 0; ; attempt++) {
      ControlRequest req = r.setRequestId(r.getRequestId().replaceAll("#.*", "") + "#" + attempt).build();
      w.mqtt.publishAndWait(Topics.control(robot), req, 1, false);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < end) {
        ControlReply reply = w.replies.get(req.getRequestId());
        if (reply != null) {
          return reply;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
      }
      assertTrue(attempt < 5, "no reply to " + req.getRequestId());
    }
  }

  @Test
  void aFullDiskEndsTheRecordingAndTheRetainedStatusAndAReplySayWhy() throws Exception {
    Path mnt = Files.createDirectories(dir.resolve("small"));
    assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux") && mount(mnt, 512),
        "cannot mount a tmpfs here (needs root on Linux)");
    String robot = "dfull";
    try (BridgeOverMqttTest.Watcher w = new BridgeOverMqttTest.Watcher(robot);
        RobotBridge bridge = RobotBridge.builder(BridgeOverMqttTest.RIG,
                BridgeConfig.defaults(robot).withRecordDir(mnt).withRate(100)) // fewer publishes: calmer under load
            .mqtt(MqttSettings.of(BridgeOverMqttTest.broker.url(), "unused"))
            .retargeter(BridgeOverMqttTest.TRIGGER_TO_ELBOW)
            .start()) {
      AtomicReference<BridgeStatus> status = new AtomicReference<>();
      List<BridgeStatus> statuses = new CopyOnWriteArrayList<>();
      w.mqtt.subscribe(Topics.status(robot), 1, BridgeStatus.parser(), (t, s) -> {
        status.set(s);
        statuses.add(s);
      });
      ControlReply start = request(w, robot, ControlRequest.newBuilder().setRequestId("start")
          .setStartRecording(StartRecordingRequest.newBuilder().setTask("pick-place").setOperatorId("tester")));
      assertTrue(start.getOk(), start.getMessage());
      Await.until(() -> status.get() != null && status.get().getRecording(), 20_000, "status says recording");

      // 250 Hz states and the 10 Hz head camera fill 512 KiB within seconds.
      Await.until(() -> !status.get().getRecording() && !status.get().getRecordingError().isEmpty(), 60_000,
          () -> "status after the disk filled: " + status.get());
      String error = status.get().getRecordingError();
      assertTrue(error.contains("No space left on device") && error.contains(start.getEpisodePath()), error);
      Await.until(() -> w.replies.containsKey(""), 20_000, "an unsolicited control reply");
      ControlReply notice = w.replies.get("");
      assertFalse(notice.getOk());
      assertTrue(notice.getMessage().contains("No space left on device"), notice.getMessage());
      assertEquals(start.getEpisodePath(), notice.getEpisodePath());
      assertTrue(status.get().getOnline());

      // The robot is unaffected: states keep coming after the failure.
      JointState before = w.state.get();
      Await.until(() -> w.state.get() != null && w.state.get().getSequence() > before.getSequence() + 50, 20_000,
          "the control loop keeps publishing");
      // The session is over: nothing to stop, and the retained status says so to a late subscriber too.
      ControlReply stop = request(w, robot, ControlRequest.newBuilder().setRequestId("stop")
          .setStopRecording(StopRecordingRequest.getDefaultInstance()));
      assertFalse(stop.getOk());
      assertTrue(stop.getMessage().contains("not recording"), stop.getMessage());
      AtomicReference<BridgeStatus> late = new AtomicReference<>();
      try (MqttEndpoint lateClient = MqttEndpoint.connect(MqttSettings.of(BridgeOverMqttTest.broker.url(), "late-df"))) {
        lateClient.subscribe(Topics.status(robot), 1, BridgeStatus.parser(), (t, s) -> late.set(s));
        Await.until(() -> late.get() != null, 20_000, "the retained status");
        assertFalse(late.get().getRecording());
        assertEquals(error, late.get().getRecordingError());
      }
      // What reached the disk is kept and readable.
      Path file = Path.of(start.getEpisodePath());
      assertTrue(Files.size(file) > 0);
      if (error.contains("file is finished")) {
        try (EpisodeReader r = EpisodeReader.open(file)) {
          assertEquals(robot, r.header().getRobotId());
        }
      }
      // A new recording clears the error.
      Files.delete(file);
      ControlReply again = request(w, robot, ControlRequest.newBuilder().setRequestId("again")
          .setStartRecording(StartRecordingRequest.getDefaultInstance()));
      assertTrue(again.getOk(), again.getMessage());
      Await.until(() -> status.get().getRecording() && status.get().getRecordingError().isEmpty(), 20_000,
          () -> "status after a new start: " + status.get());
    } finally {
      umount(mnt);
    }
  }
}

package io.optimus.bridge.bench;

import io.optimus.bridge.BridgeLimits;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.JointCommand;
import io.optimus.proto.v1.OperatorEvent;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.OperatorStatus;
import io.optimus.proto.v1.ResetTaskRequest;
import io.optimus.proto.v1.SetActionSourceRequest;
import io.optimus.proto.v1.StartRecordingRequest;
import io.optimus.proto.v1.StopRecordingRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Other clients flooding every topic a bridge subscribes to, each from its own thread and connection:
 * operator frames asking for 200 recordings each, oversized payloads (over the topic limits, and 10
 * MB ones over the Maximum Packet Size), garbage, wrong-length commands, slow control requests
 * (recording start/stop, loading a replay, task reset) and operator status. For the e-stop test and
 * {@code bench estop}.
 */
public final class BridgeFlood implements AutoCloseable {
  /** Control requests sent at most (each gets a reply, so they are counted). */
  public static final int CONTROL_REQUESTS = 300;
  private static final byte[] GARBAGE = {(byte) 0xff, 0x13, 0x37, 0x00, (byte) 0x80, 0x7f};
  private static final byte[] HUGE = new byte[10 * 1024 * 1024];
  private static final byte[] OVER_LIMIT = filled(BridgeLimits.OPERATOR_FRAME_BYTES + 1); // over every topic limit

  private final String url;
  private final String robot;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<MqttEndpoint> clients = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Set<String> controlSent = ConcurrentHashMap.newKeySet();
  private final AtomicLong messages = new AtomicLong();
  private volatile MqttEndpoint controlClient;

  /** Starts flooding the topics of {@code robot} through the broker at {@code url}. */
  public BridgeFlood(String url, String robot) {
    this.url = url;
    this.robot = robot;
    start("op", this::operator);
    start("cmd", this::command);
    start("ctl", this::control);
    start("status", this::status);
  }

  private void start(String name, Consumer<MqttEndpoint> body) {
    MqttEndpoint c = MqttEndpoint.connect(MqttSettings.of(url, "flood-" + name + "-" + robot));
    clients.add(c);
    if (name.equals("ctl")) {
      controlClient = c;
    }
    threads.add(Thread.ofPlatform().name("flood-" + name).daemon().start(() -> body.accept(c)));
  }

  /**
   * A few hundred messages a second per topic: heavy for the bridge (each frame asks for 200
   * recordings, each control request for file or source work), yet one the broker in this JVM can
   * carry on a loaded 2-core machine.
   */
  private boolean pace(int i) {
    messages.incrementAndGet();
    java.util.concurrent.locks.LockSupport.parkNanos(2_000_000L);
    return !stop.get();
  }

  private void operator(MqttEndpoint c) {
    String t = Topics.operator(robot);
    long seq = 0;
    long eventId = 1_000_000;
    for (int i = 1; pace(i); i++) {
      switch (i % 4) {
        case 0 -> c.publish(t, OVER_LIMIT, 0, false, 1);
        case 1 -> c.publish(t, GARBAGE, 0, false, 1);
        default -> {
          if (i % 1000 == 2) { // 10 MB: the broker drops it for the bridge (Maximum Packet Size)
            c.publish(t, HUGE, 0, false, 1);
            continue;
          }
          OperatorFrame.Builder f = OperatorFrame.newBuilder().setSchemaVersion(1).setOperatorId("flooder")
              .setSessionId("flood").setSequence(++seq);
          for (int k = 0; k < 200; k++) { // 200 record-starts in one frame
            f.addEvents(OperatorEvent.newBuilder().setEventId(++eventId)
                .setType(OperatorEventType.OPERATOR_EVENT_RECORD_START));
          }
          c.publishOperatorFrame(robot, f.build());
        }
      }
    }
  }

  private void command(MqttEndpoint c) {
    String t = Topics.command(robot);
    JointCommand.Builder wrong = JointCommand.newBuilder();
    for (int k = 0; k < 12; k++) {
      wrong.addPosition(0);
    }
    for (int i = 1; pace(i); i++) {
      switch (i % 3) {
        case 0 -> c.publish(t, OVER_LIMIT, 0, false, 0);
        case 1 -> c.publish(t, GARBAGE, 0, false, 0);
        default -> c.publish(t, wrong.setSequence(i).build().toByteArray(), 0, false, 0);
      }
    }
  }

  private void control(MqttEndpoint c) {
    String t = Topics.control(robot);
    int sent = 0;
    for (int i = 1; pace(i); i++) {
      int kind = i % 6;
      if (kind == 0) {
        c.publish(t, OVER_LIMIT, 1, false, 0);
        continue;
      }
      if (kind == 1) {
        c.publish(t, GARBAGE, 1, false, 0);
        continue;
      }
      if (sent == CONTROL_REQUESTS) {
        continue;
      }
      ControlRequest.Builder r = ControlRequest.newBuilder().setSchemaVersion(1).setRequestId("flood-" + i);
      switch (kind) {
        case 2 -> r.setStartRecording(StartRecordingRequest.newBuilder().setTask("flood"));
        case 3 -> r.setStopRecording(StopRecordingRequest.getDefaultInstance());
        case 4 -> r.setSetActionSource(SetActionSourceRequest.newBuilder().setSource("replay:/nonexistent/x.mcap"));
        default -> r.setResetTask(ResetTaskRequest.newBuilder().setSeed(i));
      }
      if (c.publish(t, r.build(), 1, false)) {
        controlSent.add(r.getRequestId());
        sent++;
      }
    }
  }

  private void status(MqttEndpoint c) {
    String t = Topics.operatorStatus("someone");
    byte[] online = OperatorStatus.newBuilder().setOperatorId("someone").setOnline(true).setRobotId("elsewhere")
        .build().toByteArray();
    for (int i = 1; pace(i); i++) {
      switch (i % 3) {
        case 0 -> c.publish(t, OVER_LIMIT, 1, false, 0);
        case 1 -> c.publish(t, GARBAGE, 1, false, 0);
        default -> c.publish(t, online, 1, false, 0);
      }
    }
  }

  /** Messages published so far. */
  public long messages() {
    return messages.get();
  }

  /** Ids of the control requests handed to the broker; each must be answered. */
  public Set<String> controlSent() {
    return Set.copyOf(controlSent);
  }

  /** Publishes that failed on the flooding clients. */
  public long failures() {
    return clients.stream().mapToLong(MqttEndpoint::publishFailureCount).sum();
  }

  private static byte[] filled(int n) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) 0xff); // garbage if anyone parsed it
    return b;
  }

  @Override
  public void close() {
    stop.set(true);
    for (Thread t : threads) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // control requests still queued in the client would be lost on close: let them go out (replies are awaited)
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (controlClient != null && controlClient.waitingReliable() > 0 && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
    }
    for (MqttEndpoint c : clients) {
      c.close();
    }
  }
}

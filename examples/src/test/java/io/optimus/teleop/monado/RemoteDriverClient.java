package io.optimus.teleop.monado;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The debugger side of Monado's remote driver (src/xrt/drivers/remote/r_interface.h): TCP, one
 * {@code struct r_remote_data} per message in native (little-endian x86-64) layout, header "mndrmt3".
 * On connect the hub sends its reset and latest state (two messages); then it takes every message we send as the
 * latest state of the head and the two Index controllers (hand joints are simulated from the curls).
 */
final class RemoteDriverClient implements AutoCloseable {
  /** sizeof(struct r_remote_data): header 8 + head 128 + two controllers of 120. */
  static final int SIZE = 376;
  static final int HEAD = 8;
  static final int LEFT = 136;
  static final int RIGHT = 256;
  static final String MAGIC = "mndrmt3";

  private final Socket socket;
  private final OutputStream out;
  private final ByteBuffer msg = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);

  private RemoteDriverClient(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
  }

  /** Connects (retrying while Monado starts) and checks the hub's two greeting messages. */
  static RemoteDriverClient connect(int port, long timeoutMs) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        s.setSoTimeout((int) timeoutMs);
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] greeting = new byte[2 * SIZE];
        in.readFully(greeting);
        // the hub's reset state (r_hub.c, r_create_devices; its header field is left 0): checks our layout
        ByteBuffer reset = ByteBuffer.wrap(greeting, 0, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        float headY = reset.getFloat(HEAD + 96 + 16 + 4);
        float leftX = reset.getFloat(LEFT + 16);
        float leftW = reset.getFloat(LEFT + 12);
        float rightX = reset.getFloat(RIGHT + 16);
        if (headY != 1.6f || leftX != -0.2f || leftW != 1f || rightX != 0.2f || reset.get(RIGHT + 105) != 1) {
          throw new IOException("Monado's remote hub sent an unexpected reset state (head y " + headY + ", left x "
              + leftX + ", left w " + leftW + ", right x " + rightX + "): wire format mismatch");
        }
        return new RemoteDriverClient(s);
      } catch (ConnectException e) {
        s.close();
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  /** One state: head at (0, 1.6, 0) y-up; each controller at the given y-up pose (qx, qy, qz, qw) with finger curls. */
  void send(float[] leftPose, float[] leftCurls, float[] rightPose, float[] rightCurls) throws IOException {
    msg.clear();
    msg.put(MAGIC.getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
    // head: views[2] (fov, pose, pad) unused (per_view_data_valid false), then center pose
    putPose(HEAD + 96, new float[] {0, 1.6f, 0, 0, 0, 0, 1});
    controller(LEFT, leftPose, leftCurls);
    controller(RIGHT, rightPose, rightCurls);
    out.write(msg.array());
    out.flush();
  }

  /** r_remote_controller_data: pose 28, velocities 24, hand_curl[5] 20, inputs 32, bools 16. */
  private void controller(int at, float[] pose, float[] curls) {
    putPose(at, pose);
    for (int i = 0; i < 5; i++) {
      msg.putFloat(at + 52 + 4 * i, curls[i]);
    }
    msg.put(at + 104, (byte) 1); // hand_tracking_active
    msg.put(at + 105, (byte) 1); // active
  }

  /** xrt_pose: orientation (x, y, z, w) then position; {@code p} is (px, py, pz, qx, qy, qz, qw). */
  private void putPose(int at, float[] p) {
    msg.putFloat(at, p[3]).putFloat(at + 4, p[4]).putFloat(at + 8, p[5]).putFloat(at + 12, p[6]);
    msg.putFloat(at + 16, p[0]).putFloat(at + 20, p[1]).putFloat(at + 24, p[2]);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

package io.optimus.perception.scene;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test data for the robot heads where the simulator cannot be reached (this module may not depend on
 * robot-bridge; policy-training's SimRobotViews is the real source): a tabletop seen from above, one
 * or two coloured boxes, and a grey "hand" bar entering from the bottom edge, with exact labels.
 */
public final class TabletopViews implements RobotViewSource {
  @Override
  public List<RobotView> views(int count, int size, long seed) {
    List<RobotView> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(view(size, new SplittableRandom(seed * 7919 + i)));
    }
    return out;
  }

  static RobotView view(int size, SplittableRandom rnd) {
    byte[] rgb = new byte[3 * size * size];
    byte[] seg = new byte[size * size];
    float[] depth = new float[size * size];
    int tr = 120 + rnd.nextInt(60);
    int tg = 90 + rnd.nextInt(40);
    int tb = 50 + rnd.nextInt(40);
    for (int v = 0; v < size; v++) {
      for (int u = 0; u < size; u++) {
        int i = v * size + u;
        put(rgb, i, tr, tg, tb);
        depth[i] = 0.9f - 0.3f * v / size; // the table tilts towards the camera at the bottom
      }
    }
    List<RobotView.Centre> centres = new ArrayList<>();
    int objects = 1 + rnd.nextInt(2);
    for (int k = 0; k < objects; k++) {
      int side = size / 8 + rnd.nextInt(size / 6);
      int u0 = rnd.nextInt(size - side);
      int v0 = rnd.nextInt(size / 2);
      int r = k == 0 ? 210 : 40;
      int g = k == 0 ? 40 : 60;
      int b = k == 0 ? 30 : 200;
      for (int v = v0; v < v0 + side; v++) {
        for (int u = u0; u < u0 + side; u++) {
          int i = v * size + u;
          put(rgb, i, r, g, b);
          seg[i] = RobotView.OBJECT;
          depth[i] = 0.55f;
        }
      }
      centres.add(new RobotView.Centre(u0 + side / 2.0, v0 + side / 2.0, Math.sqrt(side * side / Math.PI)));
    }
    if (rnd.nextBoolean()) {
      int width = size / 6;
      int u0 = rnd.nextInt(size - width);
      for (int v = size / 2; v < size; v++) {
        for (int u = u0; u < u0 + width; u++) {
          int i = v * size + u;
          put(rgb, i, 95, 100, 112);
          seg[i] = RobotView.HAND;
          depth[i] = 0.35f;
        }
      }
    }
    return new RobotView("tabletop", size, size, rgb, seg, depth, centres);
  }

  private static void put(byte[] rgb, int i, int r, int g, int b) {
    rgb[3 * i] = (byte) r;
    rgb[3 * i + 1] = (byte) g;
    rgb[3 * i + 2] = (byte) b;
  }
}

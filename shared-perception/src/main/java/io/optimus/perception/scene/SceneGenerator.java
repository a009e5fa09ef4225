package io.optimus.perception.scene;

import io.optimus.common.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Procedural driving scenes, ray-cast in software with exact labels for every head.
 *
 * <p>A world is a flat ground plane (z up, x forward, y left) with a curved multi-lane road (lateral
 * centreline y = a1 x + a2 x^2 + a3 x^3), solid edge lines and dashed dividers, axis-aligned box
 * vehicles of several sizes with shadows, sky above the horizon, global lighting (brightness, tint,
 * haze) and sensor noise. The camera is a pinhole (optical frame x right, y down, z forward) with a
 * random height, pitch, roll, yaw, field of view and lateral position in its lane.
 *
 * <p>Scene {@code i} of a generator with seed {@code s} is a pure function of (s, i, image size):
 * the same on every machine and run. Colours are 2x2 supersampled; labels come from the ray through
 * each pixel centre, so they are exact for the rendered geometry.
 */
public final class SceneGenerator {
  /** Ground farther than this (metres, z depth) has no depth label. */
  public static final double MAX_DEPTH = 80.0;
  /** A vehicle is labelled when its clipped box is at least this many pixels wide and high ... */
  public static final double MIN_BOX_PIXELS = 3.0;
  /** ... and it is the nearest surface over at least this share of its box. */
  public static final double MIN_VISIBLE_FRACTION = 0.3;

  private static final int SKY = -2;
  private static final int GROUND = -1;

  private final int width;
  private final int height;
  private final long seed;

  public SceneGenerator(int width, int height, long seed) {
    if (width < 16 || height < 16 || width > 2048 || height > 2048) {
      throw new InputException("scene image size " + width + "x" + height + ": each side must be in 16..2048");
    }
    this.width = width;
    this.height = height;
    this.seed = seed;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Scene {@code index} seen by the front camera. */
  public DrivingScene scene(long index) {
    SplittableRandom rnd = new SplittableRandom(mix(seed, index));
    World world = World.random(rnd);
    Camera camera = Camera.random(rnd, world, 0.0, width, height);
    return render(world, camera, rnd.nextLong());
  }

  /**
   * Scene {@code index} seen by a rig of cameras that share one pose and differ by yaw (radians,
   * positive to the left): e.g. {@code rig(i, 0, 0.6, -0.6)} for front, front-left, front-right.
   */
  public List<DrivingScene> rig(long index, double... yawOffsets) {
    SplittableRandom rnd = new SplittableRandom(mix(seed, index));
    World world = World.random(rnd);
    Camera front = Camera.random(rnd, world, 0.0, width, height);
    long noiseSeed = rnd.nextLong();
    List<DrivingScene> views = new ArrayList<>(yawOffsets.length);
    for (int k = 0; k < yawOffsets.length; k++) {
      views.add(render(world, front.yawed(yawOffsets[k]), noiseSeed + k));
    }
    return views;
  }

  private static long mix(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private DrivingScene render(World world, Camera cam, long noiseSeed) {
    int n = width * height;
    byte[] rgb = new byte[3 * n];
    byte[] seg = new byte[n];
    float[] depth = new float[n];
    int[] owner = new int[n];
    int[] visible = new int[world.vehicles.size()];
    SplittableRandom noise = new SplittableRandom(noiseSeed);
    double[] dir = new double[3];
    double[] colour = new double[3];
    double[] sum = new double[3];
    Hit hit = new Hit();
    for (int v = 0; v < height; v++) {
      for (int u = 0; u < width; u++) {
        int i = v * width + u;
        cam.ray(u + 0.5, v + 0.5, dir);
        world.trace(cam.position, dir, hit);
        owner[i] = hit.what;
        if (hit.what >= 0) {
          visible[hit.what]++;
        }
        seg[i] = world.segClass(hit);
        depth[i] = hit.what == SKY || hit.t > MAX_DEPTH ? 0f : (float) hit.t;
        sum[0] = sum[1] = sum[2] = 0;
        for (int s = 0; s < 4; s++) {
          cam.ray(u + 0.25 + 0.5 * (s & 1), v + 0.25 + 0.5 * (s >> 1), dir);
          world.trace(cam.position, dir, hit);
          world.shade(hit, dir, colour);
          sum[0] += colour[0];
          sum[1] += colour[1];
          sum[2] += colour[2];
        }
        for (int c = 0; c < 3; c++) {
          double value = sum[c] / 4 + world.sensorNoise * noise.nextGaussian();
          rgb[3 * i + c] = (byte) Math.round(255 * Math.max(0, Math.min(1, value)));
        }
      }
    }
    List<VehicleBox> boxes = new ArrayList<>();
    for (int k = 0; k < world.vehicles.size(); k++) {
      VehicleBox box = label(world.vehicles.get(k), cam, visible[k]);
      if (box != null) {
        boxes.add(box);
      }
    }
    return new DrivingScene(width, height, rgb, seg, depth, List.copyOf(boxes));
  }

  private VehicleBox label(Vehicle car, Camera cam, int visiblePixels) {
    double minU = Double.POSITIVE_INFINITY;
    double maxU = Double.NEGATIVE_INFINITY;
    double minV = Double.POSITIVE_INFINITY;
    double maxV = Double.NEGATIVE_INFINITY;
    double[] uv = new double[2];
    for (int c = 0; c < 8; c++) {
      double x = (c & 1) == 0 ? car.x0 : car.x1;
      double y = (c & 2) == 0 ? car.y0 : car.y1;
      double z = (c & 4) == 0 ? 0 : car.height;
      if (!cam.project(x, y, z, uv)) {
        return null;
      }
      minU = Math.min(minU, uv[0]);
      maxU = Math.max(maxU, uv[0]);
      minV = Math.min(minV, uv[1]);
      maxV = Math.max(maxV, uv[1]);
    }
    minU = Math.max(0, minU);
    minV = Math.max(0, minV);
    maxU = Math.min(width, maxU);
    maxV = Math.min(height, maxV);
    double w = maxU - minU;
    double h = maxV - minV;
    if (w < MIN_BOX_PIXELS || h < MIN_BOX_PIXELS) {
      return null;
    }
    double fraction = visiblePixels / (w * h);
    if (fraction < MIN_VISIBLE_FRACTION) {
      return null;
    }
    return new VehicleBox((minU + maxU) / 2, (minV + maxV) / 2, w, h, car.x0 - cam.position[0], car.kind,
        Math.min(1.0, fraction));
  }

  /** Result of tracing one ray: what it hit (SKY, GROUND or a vehicle index), where and which face. */
  private static final class Hit {
    int what;
    double t;
    double x;
    double y;
    double z;
    int face;
  }

  /** A pinhole camera; {@link #ray} returns world directions whose optical-frame z component is 1. */
  private static final class Camera {
    final double[] position;
    final double yaw;
    final double pitch;
    final double roll;
    final double f;
    final double cx;
    final double cy;
    final double[] r = new double[9]; // base (x fwd, y left, z up) -> world

    Camera(double[] position, double yaw, double pitch, double roll, double f, double cx, double cy) {
      this.position = position;
      this.yaw = yaw;
      this.pitch = pitch;
      this.roll = roll;
      this.f = f;
      this.cx = cx;
      this.cy = cy;
      double cyw = Math.cos(yaw), syw = Math.sin(yaw);
      double cp = Math.cos(pitch), sp = Math.sin(pitch);
      double cr = Math.cos(roll), sr = Math.sin(roll);
      // R = Rz(yaw) * Ry(pitch) * Rx(roll); positive pitch looks down.
      r[0] = cyw * cp;
      r[1] = cyw * sp * sr - syw * cr;
      r[2] = cyw * sp * cr + syw * sr;
      r[3] = syw * cp;
      r[4] = syw * sp * sr + cyw * cr;
      r[5] = syw * sp * cr - cyw * sr;
      r[6] = -sp;
      r[7] = cp * sr;
      r[8] = cp * cr;
    }

    static Camera random(SplittableRandom rnd, World world, double yawOffset, int width, int height) {
      double fovX = Math.toRadians(uniform(rnd, 65, 85));
      double f = (width / 2.0) / Math.tan(fovX / 2);
      double lateral = world.laneCentre(world.egoLane) + uniform(rnd, -0.4, 0.4);
      double[] position = {0, lateral, uniform(rnd, 1.2, 1.8)};
      double yaw = Math.toRadians(uniform(rnd, -4, 4)) + yawOffset;
      double pitch = Math.toRadians(uniform(rnd, -1, 5));
      double roll = Math.toRadians(uniform(rnd, -3, 3));
      return new Camera(position, yaw, pitch, roll, f, width / 2.0, height / 2.0);
    }

    Camera yawed(double offset) {
      return new Camera(position, yaw + offset, pitch, roll, f, cx, cy);
    }

    void ray(double u, double v, double[] out) {
      double xc = (u - cx) / f;
      double yc = (v - cy) / f;
      // optical (x right, y down, z forward) -> base (x fwd, y left, z up): (1, -xc, -yc)
      double bx = 1;
      double by = -xc;
      double bz = -yc;
      out[0] = r[0] * bx + r[1] * by + r[2] * bz;
      out[1] = r[3] * bx + r[4] * by + r[5] * bz;
      out[2] = r[6] * bx + r[7] * by + r[8] * bz;
    }

    /** Projects a world point to pixel coordinates; false when it is behind the camera. */
    boolean project(double x, double y, double z, double[] uv) {
      double dx = x - position[0];
      double dy = y - position[1];
      double dz = z - position[2];
      double bx = r[0] * dx + r[3] * dy + r[6] * dz;
      double by = r[1] * dx + r[4] * dy + r[7] * dz;
      double bz = r[2] * dx + r[5] * dy + r[8] * dz;
      if (bx < 0.1) {
        return false;
      }
      uv[0] = cx + f * (-by / bx);
      uv[1] = cy + f * (-bz / bx);
      return true;
    }
  }

  /** An axis-aligned box vehicle: rear face at x0 (towards the camera). */
  private record Vehicle(VehicleKind kind, double x0, double x1, double y0, double y1, double height, double[] colour) {}

  private static final class World {
    double a1, a2, a3;
    int lanes;
    int egoLane;
    double laneWidth;
    double markingHalfWidth;
    double dashLength, dashPeriod, dashPhase;
    boolean yellowCentre;
    final List<Vehicle> vehicles = new ArrayList<>();
    double brightness;
    final double[] tint = new double[3];
    final double[] skyTop = new double[3];
    final double[] skyHorizon = new double[3];
    final double[] grass = new double[3];
    double asphalt;
    double haze;
    double sensorNoise;
    long textureSeed;

    static World random(SplittableRandom rnd) {
      World w = new World();
      double curvature = uniform(rnd, -1, 1) / uniform(rnd, 60, 400);
      w.a1 = uniform(rnd, -0.05, 0.05);
      w.a2 = curvature / 2;
      w.a3 = uniform(rnd, -1, 1) * 2e-5;
      w.lanes = rnd.nextInt(2, 4);
      w.egoLane = rnd.nextInt(w.lanes);
      w.laneWidth = uniform(rnd, 3.0, 3.8);
      w.markingHalfWidth = uniform(rnd, 0.09, 0.14);
      w.dashLength = uniform(rnd, 2.5, 4.5);
      w.dashPeriod = w.dashLength + uniform(rnd, 3.0, 7.0);
      w.dashPhase = uniform(rnd, 0, w.dashPeriod);
      w.yellowCentre = rnd.nextInt(4) == 0;
      w.brightness = uniform(rnd, 0.55, 1.2);
      for (int c = 0; c < 3; c++) {
        w.tint[c] = uniform(rnd, 0.9, 1.1);
      }
      double blue = uniform(rnd, 0.6, 1.0);
      set(w.skyTop, 0.35 * blue, 0.55 * blue, 0.95 * blue);
      double pale = uniform(rnd, 0.75, 0.95);
      set(w.skyHorizon, pale, pale, Math.min(1, pale + 0.05));
      set(w.grass, uniform(rnd, 0.25, 0.45), uniform(rnd, 0.35, 0.55), uniform(rnd, 0.12, 0.25));
      w.asphalt = uniform(rnd, 0.22, 0.42);
      w.haze = uniform(rnd, 90, 350);
      w.sensorNoise = uniform(rnd, 0.004, 0.02);
      w.textureSeed = rnd.nextLong();
      int count = rnd.nextInt(0, 6);
      for (int attempt = 0; attempt < 20 && w.vehicles.size() < count; attempt++) {
        VehicleKind kind = pickKind(rnd);
        double scale = uniform(rnd, 0.9, 1.1);
        double width = kind.width * scale;
        double length = kind.length * uniform(rnd, 0.9, 1.1);
        double height = kind.height * uniform(rnd, 0.9, 1.1);
        int lane = rnd.nextInt(w.lanes);
        double x0 = uniform(rnd, 7, 60);
        double yc = w.centreline(x0) + w.laneCentre(lane) + uniform(rnd, -0.3, 0.3);
        Vehicle v = new Vehicle(kind, x0, x0 + length, yc - width / 2, yc + width / 2, height, paint(rnd));
        if (w.vehicles.stream().noneMatch(o -> overlaps(o, v))) {
          w.vehicles.add(v);
        }
      }
      return w;
    }

    private static boolean overlaps(Vehicle a, Vehicle b) {
      return a.x0 - 3 < b.x1 && b.x0 - 3 < a.x1 && a.y0 - 0.3 < b.y1 && b.y0 - 0.3 < a.y1;
    }

    private static VehicleKind pickKind(SplittableRandom rnd) {
      double p = rnd.nextDouble();
      return p < 0.6 ? VehicleKind.CAR : p < 0.85 ? VehicleKind.VAN : VehicleKind.TRUCK;
    }

    private static double[] paint(SplittableRandom rnd) {
      double[][] palette = {
          {0.92, 0.92, 0.92}, {0.6, 0.62, 0.65}, {0.08, 0.08, 0.1}, {0.75, 0.1, 0.1},
          {0.12, 0.25, 0.7}, {0.1, 0.4, 0.2}, {0.9, 0.75, 0.1}, {0.45, 0.3, 0.2}};
      double[] base = palette[rnd.nextInt(palette.length)];
      return new double[] {clamp(base[0] + uniform(rnd, -0.06, 0.06)), clamp(base[1] + uniform(rnd, -0.06, 0.06)),
          clamp(base[2] + uniform(rnd, -0.06, 0.06))};
    }

    double centreline(double x) {
      return ((a3 * x + a2) * x + a1) * x;
    }

    double roadHalfWidth() {
      return lanes * laneWidth / 2;
    }

    double laneCentre(int lane) {
      return -roadHalfWidth() + (lane + 0.5) * laneWidth;
    }

    void trace(double[] o, double[] d, Hit hit) {
      hit.what = SKY;
      hit.t = Double.POSITIVE_INFINITY;
      if (d[2] < -1e-9) {
        hit.what = GROUND;
        hit.t = -o[2] / d[2];
        hit.face = 2;
      }
      for (int k = 0; k < vehicles.size(); k++) {
        Vehicle v = vehicles.get(k);
        double tMin = 0;
        double tMax = hit.t;
        int face = -1;
        double[] lo = {v.x0, v.y0, 0};
        double[] hi = {v.x1, v.y1, v.height};
        boolean miss = false;
        for (int a = 0; a < 3 && !miss; a++) {
          if (Math.abs(d[a]) < 1e-12) {
            miss = o[a] < lo[a] || o[a] > hi[a];
            continue;
          }
          double t0 = (lo[a] - o[a]) / d[a];
          double t1 = (hi[a] - o[a]) / d[a];
          if (t0 > t1) {
            double tmp = t0;
            t0 = t1;
            t1 = tmp;
          }
          if (t0 > tMin) {
            tMin = t0;
            face = a;
          }
          tMax = Math.min(tMax, t1);
          miss = tMin > tMax;
        }
        if (!miss && face >= 0 && tMin < hit.t) {
          hit.what = k;
          hit.t = tMin;
          hit.face = face;
        }
      }
      if (hit.what != SKY) {
        hit.x = o[0] + hit.t * d[0];
        hit.y = o[1] + hit.t * d[1];
        hit.z = o[2] + hit.t * d[2];
      }
    }

    /** Which road feature a ground point lies on: 0 none, 1 road, 2 white marking, 3 yellow. */
    int surface(double x, double y) {
      double off = y - centreline(x);
      double half = roadHalfWidth();
      for (int k = 0; k <= lanes; k++) {
        double boundary = -half + k * laneWidth;
        if (Math.abs(off - boundary) < markingHalfWidth) {
          boolean edge = k == 0 || k == lanes;
          boolean centre = 2 * k == lanes;
          if (edge || (centre && yellowCentre)) {
            return centre && yellowCentre ? 3 : 2;
          }
          double phase = ((x + dashPhase) % dashPeriod + dashPeriod) % dashPeriod;
          return phase < dashLength ? 2 : 1;
        }
      }
      return Math.abs(off) < half ? 1 : 0;
    }

    byte segClass(Hit hit) {
      if (hit.what != GROUND) {
        return SegClass.BACKGROUND;
      }
      int s = surface(hit.x, hit.y);
      return s == 0 ? SegClass.BACKGROUND : s == 1 ? SegClass.ROAD : SegClass.LANE;
    }

    void shade(Hit hit, double[] d, double[] out) {
      double norm = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
      if (hit.what == SKY) {
        double elevation = Math.max(0, d[2] / norm);
        double s = Math.min(1, elevation * 4);
        for (int c = 0; c < 3; c++) {
          out[c] = (skyHorizon[c] * (1 - s) + skyTop[c] * s) * Math.min(1.15, brightness * 1.1);
        }
        return;
      }
      if (hit.what == GROUND) {
        int s = surface(hit.x, hit.y);
        double grain = valueNoise(hit.x * 3, hit.y * 3) * 0.08 + valueNoise(hit.x * 0.3, hit.y * 0.3) * 0.08;
        if (s == 0) {
          double off = Math.abs(hit.y - centreline(hit.x)) - roadHalfWidth();
          if (off < 0.6) {
            set(out, 0.5 + grain, 0.47 + grain, 0.42 + grain); // gravel shoulder
          } else {
            set(out, grass[0] + grain, grass[1] + grain * 1.5, grass[2] + grain);
          }
        } else if (s == 1) {
          double a = asphalt + grain * 0.6;
          set(out, a, a, a * 1.03);
        } else if (s == 2) {
          set(out, 0.9 + grain * 0.3, 0.9 + grain * 0.3, 0.88);
        } else {
          set(out, 0.9, 0.75, 0.15);
        }
        if (inShadow(hit.x, hit.y)) {
          for (int c = 0; c < 3; c++) {
            out[c] *= 0.45;
          }
        }
      } else {
        Vehicle v = vehicles.get(hit.what);
        double[] base = v.colour;
        double faceLight = hit.face == 0 ? 0.85 : hit.face == 1 ? 0.65 : 1.1;
        double rel = hit.z / v.height;
        set(out, base[0] * faceLight, base[1] * faceLight, base[2] * faceLight);
        if (rel < 0.18) {
          set(out, 0.05, 0.05, 0.05); // tyres and underbody
        } else if (hit.face != 2 && rel > 0.55 && rel < 0.88 && v.kind != VehicleKind.TRUCK) {
          set(out, 0.1, 0.12, 0.16); // glass
        } else if (hit.face == 0 && rel > 0.35 && rel < 0.48) {
          double mid = (v.y0 + v.y1) / 2;
          if (Math.abs(hit.y - mid) > (v.y1 - v.y0) / 2 - 0.35) {
            set(out, 0.8, 0.05, 0.05); // tail lights
          }
        }
      }
      double fog = 1 - Math.exp(-hit.t * norm / haze);
      for (int c = 0; c < 3; c++) {
        double lit = out[c] * brightness * tint[c];
        out[c] = lit * (1 - fog) + skyHorizon[c] * brightness * fog;
      }
    }

    private boolean inShadow(double x, double y) {
      for (Vehicle v : vehicles) {
        if (x > v.x0 - 0.3 && x < v.x1 + 0.3 && y > v.y0 - 0.25 && y < v.y1 + 0.25) {
          return true;
        }
      }
      return false;
    }

    /** Smooth value noise in [-1, 1] on a unit lattice, from the world's texture seed. */
    private double valueNoise(double x, double y) {
      double fx = Math.floor(x);
      double fy = Math.floor(y);
      double tx = x - fx;
      double ty = y - fy;
      long ix = (long) fx;
      long iy = (long) fy;
      double sx = tx * tx * (3 - 2 * tx);
      double sy = ty * ty * (3 - 2 * ty);
      double n00 = lattice(ix, iy);
      double n10 = lattice(ix + 1, iy);
      double n01 = lattice(ix, iy + 1);
      double n11 = lattice(ix + 1, iy + 1);
      return (n00 * (1 - sx) + n10 * sx) * (1 - sy) + (n01 * (1 - sx) + n11 * sx) * sy;
    }

    private double lattice(long x, long y) {
      long h = mix(textureSeed ^ (x * 0x9E3779B97F4A7C15L), y);
      return ((h >>> 11) * 0x1.0p-53) * 2 - 1;
    }
  }

  private static double uniform(SplittableRandom rnd, double lo, double hi) {
    return lo + (hi - lo) * rnd.nextDouble();
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }

  private static void set(double[] out, double r, double g, double b) {
    out[0] = r;
    out[1] = g;
    out[2] = b;
  }
}

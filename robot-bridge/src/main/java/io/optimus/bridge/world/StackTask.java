package io.optimus.bridge.world;

import java.util.SplittableRandom;

/**
 * {@code stack}: a 4 cm green cube (60 g) and a 5.5 cm blue base cube (150 g) on the same side of
 * the midline, at least 9 cm apart, within the reach of that side's hand. Success: the cube rests
 * on the base (its centre within half the base's edge of the base's axis, at rest, both upright),
 * the base still on the table, both hands open, for {@link #HOLD_S}. The target area reported is the
 * base's top face (no area is drawn on the table).
 */
final class StackTask extends Task {
  static final double HOLD_S = 0.5;
  static final double CUBE_EDGE = 0.04;
  static final double BASE_EDGE = 0.055;
  static final double MIN_SEPARATION = 0.09;
  private WorldObject cube;
  private WorldObject base;

  @Override
  public String name() {
    return "stack";
  }

  @Override
  WorldObject[] createObjects() {
    cube = WorldObject.cube("cube", CUBE_EDGE, new float[] {0.15f, 0.7f, 0.2f}, 0.06, 0.8);
    base = WorldObject.cube("base", BASE_EDGE, new float[] {0.15f, 0.3f, 0.85f}, 0.15, 0.8);
    return new WorldObject[] {cube, base};
  }

  @Override
  void layout(SplittableRandom rnd, TaskWorld w) {
    double side = rnd.nextBoolean() ? 1 : -1;
    double cx;
    double cy;
    double bx;
    double by;
    do { // rejection keeps the two apart (deterministic per seed)
      cx = 0.29 + rnd.nextDouble() * 0.13;
      cy = side * (0.06 + rnd.nextDouble() * 0.16);
      bx = 0.29 + rnd.nextDouble() * 0.13;
      by = side * (0.06 + rnd.nextDouble() * 0.16);
    } while (Math.hypot(cx - bx, cy - by) < MIN_SEPARATION);
    onTable(w, cube, cx, cy);
    onTable(w, base, bx, by);
    randomYaw(rnd, cube);
    randomYaw(rnd, base);
    track(w);
  }

  @Override
  void track(TaskWorld w) {
    w.setTarget(base.position[0], base.position[1], 0, 0);
    w.setTargetHeight(base.position[2] + base.size[2] / 2);
  }

  @Override
  boolean goalMet(TaskWorld w) {
    double dx = cube.position[0] - base.position[0];
    double dy = cube.position[1] - base.position[1];
    boolean centred = Math.hypot(dx, dy) <= base.size[0] / 2;
    double onTop = base.position[2] + base.size[2] / 2 + cube.size[2] / 2;
    return !cube.held() && !base.held() && centred && Math.abs(cube.position[2] - onTop) <= TaskWorld.HEIGHT_TOLERANCE
        && w.restsOnTable(base) && w.atRest(cube) && w.atRest(base) && TaskWorld.upright(cube) && TaskWorld.upright(base)
        && w.handsOpen();
  }

  @Override
  double holdSeconds() {
    return HOLD_S;
  }
}

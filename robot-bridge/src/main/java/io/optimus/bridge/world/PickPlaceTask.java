package io.optimus.bridge.world;

import java.util.SplittableRandom;

/**
 * {@code pick-place}: a 5 cm cube (100 g) at a random spot on one side of the midline, a 14 cm
 * target area on the other; success when the cube rests, released and upright, inside the area.
 */
final class PickPlaceTask extends Task {
  private WorldObject cube;

  @Override
  public String name() {
    return "pick-place";
  }

  @Override
  WorldObject[] createObjects() {
    cube = WorldObject.cube("cube", 0.05, new float[] {0.85f, 0.15f, 0.1f}, 0.10, 0.8);
    return new WorldObject[] {cube};
  }

  @Override
  void layout(SplittableRandom rnd, TaskWorld w) {
    // the draw order is the one of the single-task world: old seeds keep their layouts
    double side = rnd.nextBoolean() ? 1 : -1;
    double x = 0.30 + rnd.nextDouble() * 0.12;
    double y = side * (0.05 + rnd.nextDouble() * 0.15);
    onTable(w, cube, x, y);
    randomYaw(rnd, cube);
    double tx = 0.30 + rnd.nextDouble() * 0.12;
    double ty = -side * (0.08 + rnd.nextDouble() * 0.12);
    w.setTarget(tx, ty, 0.14, 0.14);
  }

  @Override
  boolean goalMet(TaskWorld w) {
    return !cube.held() && w.atRest(cube) && w.restsOnTable(cube) && TaskWorld.upright(cube) && w.insideTarget(cube);
  }
}

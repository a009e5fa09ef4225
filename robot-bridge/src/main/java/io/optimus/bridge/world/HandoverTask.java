package io.optimus.bridge.world;

import java.util.SplittableRandom;

/**
 * {@code handover} (the bimanual task of the ALOHA papers): a 4.5 cm yellow cube (80 g) far out on
 * one side (|y| 0.25-0.30 m, x 0.28-0.36 m: beyond the reach of the other hand across the body, and
 * not so far forward that its own hand cannot get down to it), a 12 cm target area as far out on the
 * other side. One hand picks it, both hold it in the middle, the other places it. Success: the
 * cube rests released and upright inside the area, both hands open, and each hand held the cube at
 * some time in the episode ({@link TaskWorld#handsThatHeld}), for {@link #HOLD_S}.
 */
final class HandoverTask extends Task {
  static final double HOLD_S = 0.3;
  static final double EDGE = 0.045;
  static final double MIN_Y = 0.25;
  static final double SPAN_Y = 0.05;
  static final double MIN_X = 0.28;
  static final double SPAN_X = 0.08;
  private WorldObject cube;

  @Override
  public String name() {
    return "handover";
  }

  @Override
  WorldObject[] createObjects() {
    cube = WorldObject.cube("cube", EDGE, new float[] {0.9f, 0.75f, 0.1f}, 0.08, 0.8);
    return new WorldObject[] {cube};
  }

  @Override
  void layout(SplittableRandom rnd, TaskWorld w) {
    double side = rnd.nextBoolean() ? 1 : -1;
    onTable(w, cube, MIN_X + rnd.nextDouble() * SPAN_X, side * (MIN_Y + rnd.nextDouble() * SPAN_Y));
    randomYaw(rnd, cube);
    w.setTarget(MIN_X + rnd.nextDouble() * SPAN_X, -side * (MIN_Y + rnd.nextDouble() * SPAN_Y), 0.12, 0.12);
  }

  @Override
  boolean goalMet(TaskWorld w) {
    return !cube.held() && w.atRest(cube) && w.restsOnTable(cube) && TaskWorld.upright(cube) && w.insideTarget(cube)
        && w.handsOpen() && w.handsThatHeld(cube) == 3;
  }

  @Override
  double holdSeconds() {
    return HOLD_S;
  }
}

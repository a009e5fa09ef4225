package io.optimus.bridge.physics.bullet;

import io.optimus.bridge.world.TaskWorld;
import io.optimus.motion.geometry.Rotations;
import io.optimus.motion.retarget.HandSide;
import java.util.Locale;

/**
 * One seeded physics episode rich in contact: the pick-and-place layout of a seed picked by the scripted
 * {@link TablePick} (the cube is dragged, hooked, lifted and held: finger-cube, cube-table and hand-palm
 * contacts, warm-started solver). {@link #main} prints its outcome, for a check in another JVM.
 */
final class SeededPick {
  /** The trajectory's fingerprint, the joints and the cube pose (position, then w x y z) at the end. */
  record Outcome(long trajectory, double[] joints, double[] cube, double rise) {
    String line() {
      StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "trajectory %016x cube", trajectory));
      for (double v : cube) {
        s.append(' ').append(Double.doubleToLongBits(v));
      }
      return s.toString();
    }
  }

  private SeededPick() {
  }

  static Outcome run(long seed) {
    TaskWorld layout = new TaskWorld("r", "pick-place", seed, TablePick.TABLE_TOP);
    double[] c = layout.cube().position;
    TablePick pick = new TablePick(c[1] >= 0 ? HandSide.LEFT : HandSide.RIGHT);
    try {
      TablePick.Result r = pick.pick(c[0], c[1], Rotations.quatYaw(layout.cube().orientation), TablePickTest.GRASP, 0, 0);
      double[] q = new double[TablePick.OPTIMUS.dof()];
      pick.world().readJoints(q, null, null);
      double[] p = new double[3];
      double[] o = new double[4];
      pick.world().objectPose(0, p, o);
      return new Outcome(pick.trajectory(), q, new double[] {p[0], p[1], p[2], o[0], o[1], o[2], o[3]}, r.finalRise());
    } finally {
      pick.close();
    }
  }

  /** Prints {@link Outcome#line()} of the seed given as the argument. */
  public static void main(String[] args) {
    System.out.println(run(Long.parseLong(args[0])).line());
  }
}

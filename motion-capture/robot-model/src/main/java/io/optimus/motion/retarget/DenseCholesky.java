package io.optimus.motion.retarget;

/**
 * In-place Cholesky factorisation and solve of small dense symmetric positive-definite systems
 * (row-major, leading dimension {@code lda}). For the 30-60 unknowns of a whole-body IK step this
 * beats general-purpose libraries by avoiding allocation and bounds-heavy abstractions.
 */
final class DenseCholesky {
  private DenseCholesky() {}

  /**
   * Factors the leading n x n block of {@code a} into its lower Cholesky factor (in the lower triangle).
   * Returns false if the matrix is not numerically positive definite.
   */
  static boolean factor(double[] a, int n, int lda) {
    for (int j = 0; j < n; j++) {
      int rj = j * lda;
      double d = a[rj + j];
      for (int k = 0; k < j; k++) {
        d -= a[rj + k] * a[rj + k];
      }
      if (!(d > 1e-14)) {
        return false;
      }
      d = Math.sqrt(d);
      a[rj + j] = d;
      double inv = 1 / d;
      for (int i = j + 1; i < n; i++) {
        int ri = i * lda;
        double s = a[ri + j];
        for (int k = 0; k < j; k++) {
          s -= a[ri + k] * a[rj + k];
        }
        a[ri + j] = s * inv;
      }
    }
    return true;
  }

  /** Solves L L^T x = b in place in {@code b}, with L from {@link #factor}. */
  static void solve(double[] l, int n, int lda, double[] b) {
    for (int i = 0; i < n; i++) {
      int ri = i * lda;
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= l[ri + k] * b[k];
      }
      b[i] = s / l[ri + i];
    }
    for (int i = n - 1; i >= 0; i--) {
      double s = b[i];
      for (int k = i + 1; k < n; k++) {
        s -= l[k * lda + i] * b[k];
      }
      b[i] = s / l[i * lda + i];
    }
  }
}

package org.glassbox.plugins.efp;

/**
 * The inner loops of variable elimination, written as plain strided loops over contiguous rows so
 * that the JIT vectorises them. Tensors are row-major with side m: a matrix entry (i, j) is at
 * {@code i*m + j}, a rank-3 entry (i, j, k) at {@code (i*m + j)*m + k}.
 */
final class Kernels {
  private Kernels() {}

  /** out[o + x] += s for x in [from, to). */
  static void add(double[] out, int o, double s, int from, int to) {
    for (int x = from; x < to; x++) {
      out[o + x] += s;
    }
  }

  /** out[o + x] += s · p[po + x]. */
  static void add(double[] out, int o, double s, double[] p, int po, int from, int to) {
    for (int x = from; x < to; x++) {
      out[o + x] += s * p[po + x];
    }
  }

  /** out[o + x] += s · p[po + x] · q[qo + x]. */
  static void add(double[] out, int o, double s, double[] p, int po, double[] q, int qo, int from, int to) {
    for (int x = from; x < to; x++) {
      out[o + x] += s * p[po + x] * q[qo + x];
    }
  }

  /** out[o + x] += s · p[po + x] · q[qo + x] · r[ro + x]. */
  static void add(
      double[] out, int o, double s, double[] p, int po, double[] q, int qo, double[] r, int ro, int from, int to) {
    for (int x = from; x < to; x++) {
      out[o + x] += s * p[po + x] * q[qo + x] * r[ro + x];
    }
  }

  /**
   * out[o + x] += s0·p[p0 + x] + s1·p[p1 + x] + s2·p[p2 + x] + s3·p[p3 + x]: four rank-1 updates
   * per load and store of out, which is what bounds the single-row loop.
   */
  static void add4(
      double[] out, int o, double s0, double s1, double s2, double s3, double[] p, int p0, int p1, int p2, int p3, int from, int to) {
    for (int x = from; x < to; x++) {
      out[o + x] += s0 * p[p0 + x] + s1 * p[p1 + x] + s2 * p[p2 + x] + s3 * p[p3 + x];
    }
  }

  /**
   * Two rows at once: out[o1 + x] += Σ_i a_i p[p_i + x] and out[o2 + x] += Σ_i b_i p[p_i + x],
   * so each load of p serves two rank-1 updates (the O(M⁴) step is bound by loads).
   */
  static void add4x2(double[] out, int o1, int o2, double a0, double a1, double a2, double a3, double b0, double b1, double b2,
      double b3, double[] p, int p0, int p1, int p2, int p3, int from, int to) {
    for (int x = from; x < to; x++) {
      double q0 = p[p0 + x];
      double q1 = p[p1 + x];
      double q2 = p[p2 + x];
      double q3 = p[p3 + x];
      out[o1 + x] += a0 * q0 + a1 * q1 + a2 * q2 + a3 * q3;
      out[o2 + x] += b0 * q0 + b1 * q1 + b2 * q2 + b3 * q3;
    }
  }

  /**
   * out[o + x] += s · Π rows[k][offsets[k] + x] for the rows that are present (null rows are
   * skipped), choosing the loop with the fewest loads.
   */
  static void addProduct(double[] out, int o, double s, double[][] rows, int[] offsets, int count, int from, int to) {
    switch (count) {
      case 0:
        add(out, o, s, from, to);
        break;
      case 1:
        add(out, o, s, rows[0], offsets[0], from, to);
        break;
      case 2:
        add(out, o, s, rows[0], offsets[0], rows[1], offsets[1], from, to);
        break;
      default:
        add(out, o, s, rows[0], offsets[0], rows[1], offsets[1], rows[2], offsets[2], from, to);
        break;
    }
  }

  /** Copies the upper triangle (j ≥ i) of an m×m matrix onto its lower triangle. */
  static void mirrorUpper(double[] t, int m) {
    for (int i = 1; i < m; i++) {
      for (int j = 0; j < i; j++) {
        t[i * m + j] = t[j * m + i];
      }
    }
  }

  /** Fills a fully symmetric rank-3 tensor from its entries with i ≤ j ≤ k. */
  static void mirrorSorted(double[] t, int m) {
    for (int i = 0; i < m; i++) {
      for (int j = i; j < m; j++) {
        for (int k = j; k < m; k++) {
          double v = t[(i * m + j) * m + k];
          t[(i * m + k) * m + j] = v;
          t[(j * m + i) * m + k] = v;
          t[(j * m + k) * m + i] = v;
          t[(k * m + i) * m + j] = v;
          t[(k * m + j) * m + i] = v;
        }
      }
    }
  }
}

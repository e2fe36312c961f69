package org.glassbox.plugins.efp;

import java.util.Arrays;

/**
 * One instruction of a compiled {@link ContractionPlan}, reading and writing the numbered tensor
 * slots of a {@link Workspace}. Jets have m particles; tensors of rank r hold m^r entries.
 */
interface PlanOp {
  void run(double[][] slots, double[] scalars, int m);

  /** Elementwise product of tensors of one rank, each read with an axis permutation. */
  final class Multiply implements PlanOp {
    private final int out;
    private final int rank;
    private final int[] in;
    private final Permutation[] perm;

    /** perm[k] null means input k is already in output order; else its axis i is output axis perm[k](i). */
    Multiply(int out, int rank, int[] in, Permutation[] perm) {
      this.out = out;
      this.rank = rank;
      this.in = in.clone();
      this.perm = perm.clone();
    }

    @Override
    public void run(double[][] slots, double[] scalars, int m) {
      int size = rank == 1 ? m : rank == 2 ? m * m : m * m * m;
      double[] o = slots[out];
      int k0 = 0;
      if (perm[0] == null) {
        System.arraycopy(slots[in[0]], 0, o, 0, size);
        k0 = 1;
      } else {
        Arrays.fill(o, 0, size, 1.0);
      }
      for (int k = k0; k < in.length; k++) {
        double[] x = slots[in[k]];
        Permutation p = perm[k];
        if (p == null) {
          for (int i = 0; i < size; i++) {
            o[i] *= x[i];
          }
        } else if (rank == 2) {
          // The only non-identity permutation of two axes: a transpose.
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
              o[i * m + j] *= x[j * m + i];
            }
          }
        } else {
          int[] idx = new int[3];
          int[] stride = {m * m, m, 1};
          int[] s = new int[3];
          for (int ax = 0; ax < 3; ax++) {
            // Stored axis ax holds output axis p(ax): its stride applies to that output index.
            s[p.apply(ax)] = stride[ax];
          }
          for (idx[0] = 0; idx[0] < m; idx[0]++) {
            for (idx[1] = 0; idx[1] < m; idx[1]++) {
              int base = (idx[0] * m + idx[1]) * m;
              int src = idx[0] * s[0] + idx[1] * s[1];
              for (int c = 0; c < m; c++) {
                o[base + c] *= x[src + c * s[2]];
              }
            }
          }
        }
      }
    }
  }

  /** A finished connected graph: Σ_v a_v. */
  final class Sum implements PlanOp {
    private final int scalar;
    private final int weight;

    Sum(int scalar, int weight) {
      this.scalar = scalar;
      this.weight = weight;
    }

    @Override
    public void run(double[][] slots, double[] scalars, int m) {
      double[] a = slots[weight];
      double s = 0;
      for (int v = 0; v < m; v++) {
        s += a[v];
      }
      scalars[scalar] = s;
    }
  }

  /**
   * Sums out vertex v: {@code out[o] = Σ_v a_v Π_g G_g[v, o restricted to g]}, where each group g
   * is a non-empty set of output axes (bit mask) and G_g is stored as [v, axes of g in order].
   * Symmetric outputs (known from the piece's automorphisms) compute one triangle and mirror it.
   */
  final class Contract implements PlanOp {
    private final int rank;
    private final int out;
    private final int weight;
    private final int[] group;
    private final boolean symmetric;

    /** group[mask] is the slot of G_mask or -1; symmetric means every axis permutation is a symmetry. */
    Contract(int rank, int out, int weight, int[] group, boolean symmetric) {
      this.rank = rank;
      this.out = out;
      this.weight = weight;
      this.group = group.clone();
      this.symmetric = symmetric;
    }

    private double[] g(double[][] slots, int mask) {
      return group[mask] < 0 ? null : slots[group[mask]];
    }

    @Override
    public void run(double[][] slots, double[] scalars, int m) {
      double[] a = slots[weight];
      double[] o = slots[out];
      if (rank == 1) {
        rank1(a, g(slots, 1), o, m);
      } else if (rank == 2) {
        rank2(a, g(slots, 1), g(slots, 2), g(slots, 3), o, m);
      } else {
        rank3(a, slots, o, m);
      }
    }

    /** out[u] = Σ_v a_v g[v][u], four rows of g per pass over out. */
    private static void rank1(double[] a, double[] g, double[] o, int m) {
      Arrays.fill(o, 0, m, 0.0);
      int v = 0;
      for (; v + 3 < m; v += 4) {
        int r = v * m;
        Kernels.add4(o, 0, a[v], a[v + 1], a[v + 2], a[v + 3], g, r, r + m, r + 2 * m, r + 3 * m, 0, m);
      }
      for (; v < m; v++) {
        Kernels.add(o, 0, a[v], g, v * m, 0, m);
      }
    }

    /**
     * out[u][w] = Σ_v a_v ga[v][u] gb[v][w] gab[v][u][w]. Each output row is finished before the
     * next (u outside v) and, in the common case without gab, takes four v at a time, so the row
     * is loaded and stored once per four rank-1 updates.
     */
    private void rank2(double[] a, double[] ga, double[] gb, double[] gab, double[] o, int m) {
      double[][] rows = new double[2][];
      int[] offs = new int[2];
      for (int u = 0; u < m; u++) {
        int ou = u * m;
        int from = symmetric ? u : 0;
        Arrays.fill(o, ou + from, ou + m, 0.0);
        int v = 0;
        if (gab == null && gb != null) {
          for (; v + 3 < m; v += 4) {
            int r = v * m;
            double s0 = a[v];
            double s1 = a[v + 1];
            double s2 = a[v + 2];
            double s3 = a[v + 3];
            if (ga != null) {
              s0 *= ga[r + u];
              s1 *= ga[r + m + u];
              s2 *= ga[r + 2 * m + u];
              s3 *= ga[r + 3 * m + u];
            }
            Kernels.add4(o, ou, s0, s1, s2, s3, gb, r, r + m, r + 2 * m, r + 3 * m, from, m);
          }
        }
        for (; v < m; v++) {
          int row = v * m;
          double s = ga == null ? a[v] : a[v] * ga[row + u];
          if (s == 0) {
            continue;
          }
          int n = 0;
          if (gb != null) {
            rows[n] = gb;
            offs[n++] = row;
          }
          if (gab != null) {
            rows[n] = gab;
            offs[n++] = (row + u) * m;
          }
          Kernels.addProduct(o, ou, s, rows, offs, n, from, m);
        }
      }
      if (symmetric) {
        Kernels.mirrorUpper(o, m);
      }
    }

    /**
     * The rank-3 analogue of {@link #rank2}: each output row (u, w, ·) is accumulated over v.
     * When only g2 depends on the last axis (the O(M⁴) step of K4-like graphs) rows (u, w) and
     * (u, w + 1) are built together, four v at a time. With full symmetry only u ≤ w ≤ x is
     * computed (entries with x &lt; w that a row pair touches are overwritten by the mirror).
     */
    private void rank3(double[] a, double[][] slots, double[] o, int m) {
      double[] g0 = g(slots, 1);
      double[] g1 = g(slots, 2);
      double[] g2 = g(slots, 4);
      double[] g01 = g(slots, 3);
      double[] g02 = g(slots, 5);
      double[] g12 = g(slots, 6);
      boolean oneRow = g2 != null && g02 == null && g12 == null;
      double[] s = new double[m];
      double[] t = new double[m];
      double[][] rows = new double[3][];
      int[] offs = new int[3];
      for (int u = 0; u < m; u++) {
        int w = symmetric ? u : 0;
        if (oneRow) {
          for (; w + 1 < m; w += 2) {
            int o1 = (u * m + w) * m;
            int o2 = o1 + m;
            int from = symmetric ? w : 0;
            Arrays.fill(o, o1 + from, o1 + m, 0.0);
            Arrays.fill(o, o2 + from, o2 + m, 0.0);
            scales(a, g0, g1, g01, u, w, m, s);
            scales(a, g0, g1, g01, u, w + 1, m, t);
            int v = 0;
            for (; v + 3 < m; v += 4) {
              int r = v * m;
              Kernels.add4x2(o, o1, o2, s[v], s[v + 1], s[v + 2], s[v + 3], t[v], t[v + 1], t[v + 2], t[v + 3], g2, r, r + m,
                  r + 2 * m, r + 3 * m, from, m);
            }
            for (; v < m; v++) {
              Kernels.add(o, o1, s[v], g2, v * m, from, m);
              Kernels.add(o, o2, t[v], g2, v * m, from, m);
            }
          }
        }
        for (; w < m; w++) {
          int ouw = (u * m + w) * m;
          int from = symmetric ? w : 0;
          Arrays.fill(o, ouw + from, ouw + m, 0.0);
          scales(a, g0, g1, g01, u, w, m, s);
          for (int v = 0; v < m; v++) {
            if (s[v] == 0) {
              continue;
            }
            int row = v * m;
            int n = 0;
            if (g2 != null) {
              rows[n] = g2;
              offs[n++] = row;
            }
            if (g02 != null) {
              rows[n] = g02;
              offs[n++] = (row + u) * m;
            }
            if (g12 != null) {
              rows[n] = g12;
              offs[n++] = (row + w) * m;
            }
            Kernels.addProduct(o, ouw, s[v], rows, offs, n, from, m);
          }
        }
      }
      if (symmetric) {
        Kernels.mirrorSorted(o, m);
      }
    }

    /** s[v] = a_v g0[v][u] g1[v][w] g01[v][u][w]: the factors that do not involve the last axis. */
    private static void scales(double[] a, double[] g0, double[] g1, double[] g01, int u, int w, int m, double[] s) {
      for (int v = 0; v < m; v++) {
        int row = v * m;
        double x = a[v];
        if (g0 != null) {
          x *= g0[row + u];
        }
        if (g1 != null) {
          x *= g1[row + w];
        }
        if (g01 != null) {
          x *= g01[(row + u) * m + w];
        }
        s[v] = x;
      }
    }
  }
}

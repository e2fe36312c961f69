package org.glassbox.plugins.efp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The kernels' general paths (axis permutations, every factor group present, no symmetry), which
 * the graphs up to d = 7 reach only partly, against plain nested loops.
 */
class PlanOpTest {
  private static double[] random(SplittableRandom r, int size) {
    double[] x = new double[size];
    for (int i = 0; i < size; i++) {
      x[i] = r.nextDouble() + 0.1;
    }
    return x;
  }

  @Test
  void multiplyReadsPermutedRankThreeInputs() {
    int m = 4;
    SplittableRandom r = new SplittableRandom(41);
    double[] in = random(r, m * m * m);
    double[] other = random(r, m * m * m);
    for (Permutation p : Permutation.all(3)) {
      double[][] slots = {new double[m * m * m], in, other};
      new PlanOp.Multiply(0, 3, new int[] {1, 2}, new Permutation[] {p.isIdentity() ? null : p, null}).run(slots, null, m);
      int[] x = new int[3];
      for (x[0] = 0; x[0] < m; x[0]++) {
        for (x[1] = 0; x[1] < m; x[1]++) {
          for (x[2] = 0; x[2] < m; x[2]++) {
            // Stored axis i of the input holds output axis p(i).
            int stored = (x[p.apply(0)] * m + x[p.apply(1)]) * m + x[p.apply(2)];
            int flat = (x[0] * m + x[1]) * m + x[2];
            assertEquals(in[stored] * other[flat], slots[0][flat], 1e-15, p.toString());
          }
        }
      }
    }
  }

  @Test
  void transposedMatrixInputs() {
    int m = 5;
    SplittableRandom r = new SplittableRandom(42);
    double[] in = random(r, m * m);
    double[][] slots = {new double[m * m], in};
    new PlanOp.Multiply(0, 2, new int[] {1}, new Permutation[] {new Permutation(1, 0)}).run(slots, null, m);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        assertEquals(in[j * m + i], slots[0][i * m + j], 0);
      }
    }
  }

  /** out[u][w][x] = Σ_v a_v g0(v,u) g1(v,w) g2(v,x) g01(v,u,w) g02(v,u,x) g12(v,w,x). */
  @Test
  void rankThreeWithEveryGroup() {
    for (int m : new int[] {5, 7}) {
      for (boolean only2 : new boolean[] {false, true}) {
        SplittableRandom r = new SplittableRandom(43 + m);
        double[][] slots = new double[8][];
        slots[0] = random(r, m);
        int[] group = {-1, 1, 2, 3, 4, 5, 6, -1};
        for (int g = 1; g <= 6; g++) {
          slots[g] = random(r, Integer.bitCount(g) == 1 ? m * m : m * m * m);
        }
        if (only2) {
          group = new int[] {-1, 1, 2, 3, 4, -1, -1, -1};
        }
        slots[7] = new double[m * m * m];
        new PlanOp.Contract(3, 7, 0, group, false).run(slots, null, m);
        for (int u = 0; u < m; u++) {
          for (int w = 0; w < m; w++) {
            for (int x = 0; x < m; x++) {
              double sum = 0;
              for (int v = 0; v < m; v++) {
                double t = slots[0][v] * slots[1][v * m + u] * slots[2][v * m + w] * slots[4][v * m + x]
                    * slots[3][(v * m + u) * m + w];
                if (!only2) {
                  t *= slots[5][(v * m + u) * m + x] * slots[6][(v * m + w) * m + x];
                }
                sum += t;
              }
              assertEquals(sum, slots[7][(u * m + w) * m + x], 1e-12 * sum);
            }
          }
        }
      }
    }
  }

  /** out[u][w] = Σ_v a_v ga(v,u) gb(v,w) gab(v,u,w), and the unrolled path without gab. */
  @Test
  void rankTwoWithAndWithoutThePairGroup() {
    int m = 7;
    SplittableRandom r = new SplittableRandom(44);
    for (boolean withPair : new boolean[] {false, true}) {
      double[][] slots = {random(r, m), random(r, m * m), random(r, m * m), random(r, m * m * m), new double[m * m]};
      new PlanOp.Contract(2, 4, 0, new int[] {-1, 1, 2, withPair ? 3 : -1}, false).run(slots, null, m);
      for (int u = 0; u < m; u++) {
        for (int w = 0; w < m; w++) {
          double sum = 0;
          for (int v = 0; v < m; v++) {
            sum += slots[0][v] * slots[1][v * m + u] * slots[2][v * m + w] * (withPair ? slots[3][(v * m + u) * m + w] : 1);
          }
          assertEquals(sum, slots[4][u * m + w], 1e-12 * sum);
        }
      }
    }
  }
}

package org.glassbox.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** The AUC from value tables cut across partitions against the brute force over every pair. */
class ScoreTiesTest {

  /** Σ over signal × background pairs of w_s w_b [s > b] + ½ [s == b], over Σw_s Σw_b. */
  private static double bruteForce(float[] v, int[] l, double[] w) {
    double pairs = 0;
    double s = 0;
    double b = 0;
    for (int i = 0; i < v.length; i++) {
      if (l[i] == 1) s += w[i];
      else b += w[i];
      if (l[i] != 1) continue;
      for (int j = 0; j < v.length; j++) {
        if (l[j] == 1) continue;
        pairs += w[i] * w[j] * (v[i] > v[j] ? 1 : v[i] == v[j] ? 0.5 : 0);
      }
    }
    return pairs / (s * b);
  }

  @Test
  void exactOverPartitionsWithTiesSignedZerosAndNegativeWeights() {
    Random r = new Random(7);
    int n = 3000;
    float[] v = new float[n];
    int[] l = new int[n];
    double[] w = new double[n];
    for (int e = 0; e < n; e++) {
      l[e] = r.nextInt(2);
      v[e] = Math.round((r.nextGaussian() + l[e]) * 4) / 4f; // coarse values: many ties
      if (v[e] == 0 && r.nextBoolean()) v[e] = -0.0f;
      w[e] = r.nextDouble() < 0.1 ? -0.5 : 0.5 + r.nextDouble();
    }
    double want = bruteForce(v, l, w);
    // Cut the events into 5 source partitions, tabulate each, then sort the entries by value into 4 ranges.
    List<Tuple2<Float, double[]>> all = new ArrayList<>();
    for (int p = 0; p < 5; p++) {
      int from = p * n / 5;
      int to = (p + 1) * n / 5;
      float[] pv = java.util.Arrays.copyOfRange(v, from, to);
      ScoreTies t = ScoreTies.of(pv, java.util.Arrays.copyOfRange(l, from, to), java.util.Arrays.copyOfRange(w, from, to));
      for (int i = 1; i < t.value().length; i++) assertTrue(t.value()[i - 1] < t.value()[i], "distinct, ascending");
      t.pairs().forEachRemaining(all::add);
    }
    java.util.Collections.shuffle(all, r);
    all.sort(Comparator.comparing(Tuple2::_1));
    float[] bounds = {-1f, 0f, 1.25f};
    List<double[]> sums = new ArrayList<>();
    for (int p = 0; p <= bounds.length; p++) {
      List<Tuple2<Float, double[]>> part = new ArrayList<>();
      for (Tuple2<Float, double[]> t : all) {
        float x = t._1();
        boolean above = p == 0 || x > bounds[p - 1];
        boolean below = p == bounds.length || x <= bounds[p];
        if (above && below) part.add(t);
      }
      sums.add(ScoreTies.partitionSums(p, part.iterator()));
    }
    java.util.Collections.reverse(sums); // the driver orders them by partition index
    assertEquals(want, ScoreTies.auc(sums), 1e-12);
  }

  @Test
  void oneClassOnlyHasNoAuc() {
    ScoreTies t = ScoreTies.of(new float[] {1, 2, 3}, new int[] {1, 1, 1}, null);
    assertTrue(Double.isNaN(ScoreTies.auc(List.of(ScoreTies.partitionSums(0, t.pairs())))));
  }
}

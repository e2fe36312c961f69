package org.glassbox.plugins.ado;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The radix-sort ranks against a comparison sort, on values that stress the bit tricks. */
class ScoresTest {
  @Test
  void ranksFollowTheOrderOfTheValues() {
    SplittableRandom r = new SplittableRandom(1);
    double[] special = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE,
        -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1, -1, 1e-310};
    double[] v = new double[5000];
    for (int i = 0; i < v.length; i++) {
      int kind = r.nextInt(4);
      v[i] = kind == 0 ? special[r.nextInt(special.length)]
          : kind == 1 ? Math.round(r.nextGaussian() * 3) / 2.0
          : kind == 2 ? r.nextGaussian() * Math.pow(10, r.nextInt(-300, 300))
          : -r.nextDouble();
    }
    Scores s = Scores.of("v", v);
    // Reference: sort, drop duplicates (-0.0 == 0.0 by ==), rank = count of smaller distinct values.
    double[] sorted = Arrays.stream(v).map(x -> x + 0.0).sorted().distinct().toArray();
    assertEquals(sorted.length, s.distinctCount());
    for (int i = 0; i < v.length; i++) {
      int expected = Arrays.binarySearch(sorted, v[i] + 0.0);
      assertEquals(expected, s.ranks()[i], "event " + i + " value " + v[i]);
      assertEquals(sorted[expected], s.valueOfRank(s.ranks()[i]), 0);
    }
  }

  @Test
  void negativeZeroAndZeroShareARank() {
    Scores s = Scores.of("z", new double[] {-0.0, 0.0, -1, 1});
    assertEquals(3, s.distinctCount());
    assertEquals(s.ranks()[0], s.ranks()[1]);
    assertEquals(0, s.ranks()[2]);
    assertEquals(2, s.ranks()[3]);
  }
}

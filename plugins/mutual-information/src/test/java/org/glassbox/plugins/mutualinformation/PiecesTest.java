package org.glassbox.plugins.mutualinformation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pieces a run over events held in pieces combines: the baseline's permutation evaluated event by
 * event, and the binning scan carried across value ranges, some of them skipped whole.
 */
class PiecesTest {
  @ParameterizedTest(name = "n = {0}")
  @ValueSource(longs = {0, 1, 2, 3, 5, 16, 17, 1000, 4097})
  void thePermutationIsABijectionWithItsInverse(long n) {
    Permutation p = new Permutation(n, 42);
    boolean[] hit = new boolean[(int) n];
    for (long e = 0; e < n; e++) {
      long f = p.apply(e);
      assertTrue(f >= 0 && f < n);
      assertTrue(!hit[(int) f], "π(" + e + ") = " + f + " twice");
      hit[(int) f] = true;
      assertEquals(e, p.inverse(f));
    }
    if (n > 0) assertArrayEquals(MutualInformationMethod.permutation((int) n, 42), table(p, (int) n));
  }

  @Test
  void thePermutationDependsOnTheSeedAndLooksRandom() {
    int n = 100_000;
    int[] a = MutualInformationMethod.permutation(n, 1);
    assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(MutualInformationMethod.permutation(n, 2)));
    assertArrayEquals(a, MutualInformationMethod.permutation(n, 1));
    // A uniform permutation: about one fixed point, and π(e) uncorrelated with e (|r| ~ 1/sqrt(n) = 0.003).
    int fixed = 0;
    double sx = 0;
    double sy = 0;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int e = 0; e < n; e++) {
      if (a[e] == e) fixed++;
      sx += e;
      sy += a[e];
      sxy += (double) e * a[e];
      sxx += (double) e * e;
      syy += (double) a[e] * a[e];
    }
    assertTrue(fixed < 10, fixed + " fixed points");
    double r = (sxy - sx * sy / n) / Math.sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
    assertTrue(Math.abs(r) < 0.015, "correlation " + r);
    // Neighbours go far apart: the gaps |π(e+1) - π(e)| average n/3 for a uniform permutation.
    double gap = 0;
    for (int e = 0; e + 1 < n; e++) gap += Math.abs(a[e + 1] - a[e]);
    assertEquals(n / 3.0, gap / (n - 1), 0.01 * n);
  }

  private static int[] table(Permutation p, int n) {
    int[] t = new int[n];
    for (int e = 0; e < n; e++) t[e] = (int) p.apply(e);
    return t;
  }

  /** Group weights, integers with heavy groups, scanned whole and in pieces of random sizes. */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6})
  void theScanCarriedAcrossPiecesGivesTheSameBins(int seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int m = 2000;
    double[] w = new double[m];
    double total = 0;
    for (int d = 0; d < m; d++) {
      w[d] = r.nextInt(10) == 0 ? 0 : r.nextInt(50) == 0 ? 200 + r.nextInt(400) : 1 + r.nextInt(3);
      total += w[d];
    }
    int bins = 2 + r.nextInt(40);
    EqualPopulationScan whole = new EqualPopulationScan(total, bins);
    int[] want = new int[m];
    for (int d = 0; d < m; d++) want[d] = whole.next(w[d]);

    EqualPopulationScan pieces = new EqualPopulationScan(total, bins);
    int[] got = new int[m];
    int skipped = 0;
    List<int[]> ranges = new ArrayList<>();
    for (int from = 0; from < m; ) {
      int to = Math.min(m, from + 1 + r.nextInt(60));
      ranges.add(new int[] {from, to});
      from = to;
    }
    for (int[] range : ranges) {
      double sum = 0;
      for (int d = range[0]; d < range[1]; d++) sum += w[d];
      if (pieces.staysInBin(sum, w[range[1] - 1])) {
        for (int d = range[0]; d < range[1]; d++) got[d] = pieces.bin();
        pieces.join(sum);
        skipped++;
      } else {
        EqualPopulationScan copy = pieces.copy();
        for (int d = range[0]; d < range[1]; d++) got[d] = copy.next(w[d]);
        pieces = copy;
      }
    }
    assertArrayEquals(want, got);
    assertTrue(skipped > ranges.size() / 3, skipped + " of " + ranges.size() + " pieces skipped");
    assertEquals(whole.bin(), pieces.bin());
    assertEquals(whole.filled(), pieces.filled());
  }
}

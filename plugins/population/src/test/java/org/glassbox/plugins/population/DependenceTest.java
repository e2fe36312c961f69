package org.glassbox.plugins.population;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The histogram dependence measures of METHODS.md §4.2 against closed forms. */
class DependenceTest {
  static final int B = 4;

  /** Every cell (a, b) of a B x B grid exactly {@code per} times: independent, uniform marginals. */
  static int[][] grid(int per) {
    int n = B * B * per;
    int[] a = new int[n];
    int[] b = new int[n];
    int at = 0;
    for (int i = 0; i < B; i++) for (int j = 0; j < B; j++) for (int k = 0; k < per; k++) {
      a[at] = i;
      b[at++] = j;
    }
    return new int[][] {a, b};
  }

  @Test
  void mutualInformationIsOneForCopiesAndZeroForAnExactProduct() {
    int[][] g = grid(3);
    assertEquals(0.0, Dependence.mutualInformation(g[0], B, g[1], B), 1e-12);
    assertEquals(1.0, Dependence.mutualInformation(g[0], B, g[0], B), 1e-12);
    // A one-to-one relabelling is still a copy.
    int[] relabelled = Arrays.stream(g[0]).map(v -> B - 1 - v).toArray();
    assertEquals(1.0, Dependence.mutualInformation(g[0], B, relabelled, B), 1e-12);
    // Y = X mod 2 with X uniform on 4 values: I = H(Y) = log 2, H(X) = log 4: I/sqrt(H(X)H(Y)) = 1/sqrt(2).
    int[] half = Arrays.stream(g[0]).map(v -> v % 2).toArray();
    assertEquals(1 / Math.sqrt(2), Dependence.mutualInformation(g[0], B, half, 2), 1e-12);
    // A constant has no entropy: 0 by convention.
    assertEquals(0.0, Dependence.mutualInformation(g[0], B, new int[g[0].length], 1), 0.0);
  }

  @Test
  void totalCorrelationNormalisedByItsMaximum() {
    // X, Y independent uniform on 4 values, W = X: TC = H(X) + H(Y) + H(X) - H(X, Y) = H(X) = log 4;
    // the maximum H(X) + H(Y) + H(W) - max H = 2 log 4: 1/2.
    int[][] g = grid(2);
    assertEquals(0.5, Dependence.totalCorrelation(g[0], B, g[1], B, g[0], B), 1e-12);
    assertEquals(1.0, Dependence.totalCorrelation(g[0], B, g[0], B, g[0], B), 1e-12);
    // Three independent variables: every cell of a 4 x 4 x 4 grid once.
    int n = B * B * B;
    int[] a = new int[n];
    int[] b = new int[n];
    int[] c = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i / 16;
      b[i] = i / 4 % 4;
      c[i] = i % 4;
    }
    assertEquals(0.0, Dependence.totalCorrelation(a, B, b, B, c, B), 1e-12);
  }

  @Test
  void klOfTheMarginalFromTheStartingDistribution() {
    int[][] g = grid(1);
    double[] q = {0.25, 0.25, 0.25, 0.25};
    assertEquals(0.0, Dependence.kl(g[0], q), 1e-12);
    // All points in bin 2: KL = log(1/q_2).
    int[] one = new int[10];
    Arrays.fill(one, 2);
    assertEquals(Math.log(4), Dependence.kl(one, q), 1e-12);
    assertEquals(Math.log(10), Dependence.kl(one, new double[] {0.3, 0.3, 0.1, 0.3}), 1e-12);
  }

  @Test
  void binningEqualWidthOverTheBoxDiscreteValuesAndDataQuantiles() {
    Binning uniform = Binning.of(-1, 1, 4, new double[] {0.3, -0.2, 0.9, 0.1, 0.5, -0.7}, null, false);
    assertArrayEquals(new double[] {-0.5, 0, 0.5}, uniform.edges(), 1e-12);
    assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, uniform.q(), 1e-12);
    assertEquals(0, uniform.bin(-1));
    assertEquals(1, uniform.bin(-0.5));
    assertEquals(3, uniform.bin(1));
    // A discrete input (values -1, 1 as seed 000's b-tags): one bin per value, edge halfway.
    double[] tags = {-1, 1, 1, -1, 1, 1, 1, 1};
    Binning discrete = Binning.of(-1, 1, 20, tags, null, false);
    assertArrayEquals(new double[] {0}, discrete.edges(), 0);
    assertArrayEquals(new double[] {0.5, 0.5}, discrete.q(), 1e-12);
    // ... and from the data, its frequencies: 2 of 8 and 6 of 8.
    assertArrayEquals(new double[] {0.25, 0.75}, Binning.of(-1, 1, 20, tags, null, true).q(), 1e-12);
    // Data quantile bins: 1000 values, 4 bins: each holds a quarter of the data.
    SplittableRandom r = new SplittableRandom(1);
    double[] column = new double[1000];
    for (int i = 0; i < column.length; i++) column[i] = Math.pow(r.nextDouble(), 3);
    Binning quantiles = Binning.of(0, 1, 4, column, null, true);
    assertEquals(3, quantiles.edges().length);
    for (double q : quantiles.q()) assertEquals(0.25, q, 0.002);
    assertTrue(quantiles.edges()[0] < 0.05, "skewed data: narrow first bin");
  }
}

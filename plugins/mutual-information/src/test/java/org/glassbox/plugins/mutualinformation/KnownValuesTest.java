package org.glassbox.plugins.mutualinformation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.api.similarity.Similarity;
import org.junit.jupiter.api.Test;

/** Values known in closed form: 1 for one-to-one relations, ln 10 / ln 20 for Y = X², the bias for unrelated functions. */
class KnownValuesTest {

  static double[] uniform(SplittableRandom r, int n, double lo, double hi) {
    double[] x = new double[n];
    for (int e = 0; e < n; e++) x[e] = lo + (hi - lo) * r.nextDouble();
    return x;
  }

  static double[] randomWeights(SplittableRandom r, int n) {
    double[] w = new double[n];
    for (int e = 0; e < n; e++) w[e] = 0.2 + 1.6 * r.nextDouble();
    return w;
  }

  /** The expected normalised estimate for independent functions with bx and by bins (see conventions). */
  static double bias(int bx, int by, double nEff) {
    return (bx - 1) * (by - 1) / (2 * nEff) / Math.sqrt(Math.log(bx) * Math.log(by));
  }

  /** Its standard deviation: 2 N I is chi-square with (bx-1)(by-1) degrees of freedom. */
  static double biasSd(int bx, int by, double nEff) {
    return Math.sqrt(2.0 * (bx - 1) * (by - 1)) / (2 * nEff) / Math.sqrt(Math.log(bx) * Math.log(by));
  }

  @Test
  void aFunctionWithItselfAndWithStrictlyIncreasingTransformsOfItIsOne() {
    SplittableRandom r = new SplittableRandom(1);
    int n = 10_007;
    double[] x = new double[n];
    for (int e = 0; e < n; e++) x[e] = r.nextGaussian();
    Map<String, double[]> f = new LinkedHashMap<>();
    f.put("x", x);
    f.put("copy", x.clone());
    f.put("exp", map(x, Math::exp));
    f.put("cube", map(x, v -> v * v * v + v));
    f.put("affine", map(x, v -> 3 * v - 7));
    for (double[] w : new double[][] {Run.ones(n), randomWeights(r, n)}) {
      Similarity s = Run.compare(f, w, Map.of(), 3);
      for (int i = 0; i < f.size(); i++) {
        for (int j = 0; j < f.size(); j++) assertEquals(1.0, s.matrix()[i][j], 1e-12, s.names().get(i) + " " + s.names().get(j));
      }
      assertEquals(Math.log(20), s.perFunction().get("x").get("entropy"), 1e-3);
      assertEquals(20.0, s.perFunction().get("x").get("bins"));
    }
  }

  @Test
  void aStrictlyDecreasingTransformIsOneWhenTheBinsSplitEvenly() {
    // Unit weights and N a multiple of the bins: the split is the same read from either end.
    SplittableRandom r = new SplittableRandom(2);
    double[] x = uniform(r, 20_000, 0, 1);
    Similarity s = Run.compare(Map.of("x", x, "minus", map(x, v -> -v), "inverse", map(x, v -> 1 / (v + 1))),
        Run.ones(x.length), Map.of(), 3);
    for (double[] row : s.matrix()) {
      for (double v : row) assertEquals(1.0, v, 1e-12);
    }
  }

  @Test
  void aManyToOneFunctionScoresLessThanOne() {
    // X uniform on [-1, 1], Y = X²: 20 X-bins of width 0.1 each cover 2 Y-bins (|X| bins of width
    // 0.05) and each Y-bin covers 2 X-bins (±): 40 cells of 1/40, I = ln 20 + ln 20 - ln 40 = ln 10
    // and eq. 1 gives ln 10 / ln 20 = 0.7686. On a symmetric grid the edges fall exactly there (each
    // value of Y is a tie of two events, which the binning keeps together).
    int m = 20_000;
    double[] grid = new double[2 * m];
    for (int k = 0; k < m; k++) {
      grid[2 * k] = (k + 0.5) / m;
      grid[2 * k + 1] = -(k + 0.5) / m;
    }
    Similarity exact = Run.compare(Map.of("x", grid, "x2", map(grid, v -> v * v)), Run.ones(2 * m), Map.of(), 3);
    assertEquals(Math.log(10) / Math.log(20), Run.entry(exact, "x", "x2"), 1e-12);
    // A random sample (METHODS.md §2: "Y = X² gives about 0.76 with 20 quantile bins"): sample quantiles
    // of X and X² do not line up exactly, and the slivers between them cost about 0.01.
    SplittableRandom r = new SplittableRandom(3);
    double[] x = uniform(r, 200_000, -1, 1);
    Similarity s = Run.compare(Map.of("x", x, "x2", map(x, v -> v * v)), Run.ones(x.length), Map.of(), 3);
    assertEquals(0.76, Run.entry(s, "x", "x2"), 0.015);
  }

  @Test
  void unrelatedFunctionsScoreTheFiniteSampleBias() {
    // 8 independent uniforms at N = 20,000 and 20 bins: E ≈ 19² / (2 N ln 20) = 0.0030, sd 0.00022.
    SplittableRandom r = new SplittableRandom(4);
    int n = 20_000;
    Map<String, double[]> f = new LinkedHashMap<>();
    for (int i = 0; i < 8; i++) f.put("u" + i, uniform(r, n, 0, 1));
    Similarity s = Run.compare(f, Run.ones(n), Map.of(), 5);
    double expect = bias(20, 20, n);
    double sd = biasSd(20, 20, n);
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < 8; i++) {
      for (int j = i + 1; j < 8; j++) {
        double v = s.matrix()[i][j];
        assertTrue(Math.abs(v - expect) < 5 * sd, v + " vs " + expect);
        sum += v;
        pairs++;
      }
    }
    assertEquals(expect, sum / pairs, 2 * sd);
  }

  @Test
  void weightedUnrelatedFunctionsScoreTheBiasAtTheEffectiveNumberOfEvents() {
    SplittableRandom r = new SplittableRandom(6);
    int n = 20_000;
    double[] w = new double[n];
    for (int e = 0; e < n; e++) w[e] = r.nextDouble() < 0.5 ? 1 : 4; // N_eff = 0.735 N
    double sw = 0;
    double sw2 = 0;
    for (double v : w) {
      sw += v;
      sw2 += v * v;
    }
    double nEff = sw * sw / sw2;
    Map<String, double[]> f = new LinkedHashMap<>();
    for (int i = 0; i < 8; i++) f.put("u" + i, uniform(r, n, 0, 1));
    Similarity s = Run.compare(f, w, Map.of(), 5);
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < 8; i++) {
      for (int j = i + 1; j < 8; j++) {
        sum += s.matrix()[i][j];
        pairs++;
      }
    }
    // 0.0041 at N_eff, against 0.0030 had the weights been ignored in the bias.
    assertEquals(bias(20, 20, nEff), sum / pairs, 0.1 * bias(20, 20, nEff));
  }

  @Test
  void thePermutationBaselineOfARelatedPairIsTheBias() {
    SplittableRandom r = new SplittableRandom(7);
    int n = 20_000;
    double[] x = uniform(r, n, 0, 1);
    double[] y = new double[n];
    for (int e = 0; e < n; e++) y[e] = x[e] + 0.3 * r.nextGaussian();
    Map<String, double[]> f = Map.of("x", x, "y", y);
    Similarity nmi = Run.compare(f, Run.ones(n), Map.of(), 8);
    Similarity base = Run.compare(f, Run.ones(n), Map.of("matrix", "baseline"), 8);
    Similarity excess = Run.compare(f, Run.ones(n), Map.of("matrix", "excess"), 8);
    assertTrue(Run.entry(nmi, "x", "y") > 0.05, "related: " + Run.entry(nmi, "x", "y"));
    assertEquals(bias(20, 20, n), Run.entry(base, "x", "y"), 5 * biasSd(20, 20, n));
    assertEquals(bias(20, 20, n), Run.entry(base, "x", "x"), 5 * biasSd(20, 20, n));
    assertEquals(Run.entry(nmi, "x", "y") - Run.entry(base, "x", "y"), Run.entry(excess, "x", "y"), 1e-15);
    assertEquals(Run.entry(base, "x", "y"), Run.entry(base, "y", "x"));
    assertEquals(Math.max(Run.entry(base, "x", "y"), Run.entry(base, "x", "x")),
        nmi.perFunction().get("x").get("permutation_baseline_max"));
    // Another seed, another shuffle.
    Similarity other = Run.compare(f, Run.ones(n), Map.of("matrix", "baseline"), 9);
    assertTrue(Run.entry(other, "x", "y") != Run.entry(base, "x", "y"));
    assertEquals(Run.entry(base, "x", "y"), Run.entry(Run.compare(f, Run.ones(n), Map.of("matrix", "baseline"), 8), "x", "y"));
  }

  @Test
  void aDiscreteFunctionGetsOneBinPerValue() {
    // sign(x·y) against x, y and x·y on the product-sign square: x alone carries no information
    // about the sign (the bias of 1 × 19 degrees of freedom), x·y determines it.
    SplittableRandom r = new SplittableRandom(10);
    int n = 40_000;
    double[] x = uniform(r, n, -1, 1);
    double[] y = uniform(r, n, -1, 1);
    double[] xy = new double[n];
    double[] sign = new double[n];
    for (int e = 0; e < n; e++) {
      xy[e] = x[e] * y[e];
      sign[e] = xy[e] > 0 ? 1 : 0;
    }
    Map<String, double[]> f = new LinkedHashMap<>();
    f.put("x", x);
    f.put("xy", xy);
    f.put("sign", sign);
    Similarity s = Run.compare(f, Run.ones(n), Map.of(), 11);
    assertEquals(2.0, s.perFunction().get("sign").get("bins"));
    double p = 0;
    for (double v : sign) p += v;
    p /= n;
    assertEquals(-p * Math.log(p) - (1 - p) * Math.log(1 - p), s.perFunction().get("sign").get("entropy"), 1e-12);
    assertEquals(bias(20, 2, n), Run.entry(s, "x", "sign"), 5 * biasSd(20, 2, n));
    // With 20 equal bins of x·y the bin edge nearest 0 falls within a few events of it: the sign is
    // (almost) a function of the bin, so I ≈ H(sign) = ln 2 and eq. 1 gives sqrt(ln 2 / ln 20) = 0.481
    // (less the sliver between the sample median of x·y and 0).
    assertEquals(Math.sqrt(Math.log(2) / Math.log(20)), Run.entry(s, "xy", "sign"), 0.015);
  }

  @Test
  void aConstantFunctionIsNaN() {
    double[] x = uniform(new SplittableRandom(12), 1_000, 0, 1);
    Similarity s = Run.compare(Map.of("x", x, "c", new double[1_000]), Run.ones(1_000), Map.of(), 1);
    assertTrue(Double.isNaN(Run.entry(s, "x", "c")));
    assertTrue(Double.isNaN(Run.entry(s, "c", "c")));
    assertEquals(1.0, Run.entry(s, "x", "x"));
    assertEquals(0.0, s.perFunction().get("c").get("entropy"));
    assertEquals(1.0, s.perFunction().get("c").get("bins"));
  }

  static double[] map(double[] x, java.util.function.DoubleUnaryOperator f) {
    double[] y = new double[x.length];
    for (int e = 0; e < x.length; e++) y[e] = f.applyAsDouble(x[e]);
    return y;
  }
}

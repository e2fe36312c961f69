package org.glassbox.plugins.mutualinformation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.api.similarity.Similarity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fast path (bin once, integer-indexed histograms, parallel pairs) against {@link BruteForce}. */
class BruteForceTest {
  static final int N = 3_000;

  /** Related and unrelated functions, ties, a discrete one, a spike, a constant-free mix. */
  static Map<String, double[]> functions(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] a = new double[N];
    double[] b = new double[N];
    double[] c = new double[N];
    double[] d = new double[N];
    double[] relu = new double[N];
    double[] rounded = new double[N];
    for (int e = 0; e < N; e++) {
      a[e] = r.nextGaussian();
      b[e] = a[e] + 0.7 * r.nextGaussian();
      c[e] = r.nextDouble();
      d[e] = r.nextInt(4) + (a[e] > 1 ? 1 : 0); // discrete, 5 values, related to a
      relu[e] = Math.max(0, b[e] - 0.2); // about 45 % zeros
      rounded[e] = Math.round(4 * c[e] * b[e]) / 4.0; // many ties, more distinct values than 5 bins
    }
    for (int e = 0; e < N; e += 7) {
      if (relu[e] == 0) relu[e] = -0.0; // -0.0 and 0.0 are one value
    }
    Map<String, double[]> f = new LinkedHashMap<>();
    f.put("a", a);
    f.put("b", b);
    f.put("c", c);
    f.put("d", d);
    f.put("relu", relu);
    f.put("rounded", rounded);
    return f;
  }

  static double[] weights(long seed, boolean weighted) {
    if (!weighted) return Run.ones(N);
    SplittableRandom r = new SplittableRandom(seed);
    double[] w = new double[N];
    for (int e = 0; e < N; e++) w[e] = e % 50 == 0 ? 0 : 0.1 + 3 * r.nextDouble();
    w[17] = 40; // one event heavier than a bin's share at 20 bins
    return w;
  }

  @ParameterizedTest(name = "bins {0}, weighted {1}")
  @CsvSource({"5, false", "5, true", "20, false", "20, true", "64, true"})
  void matrixEntropiesAndBaselinesMatchTheDefinition(int bins, boolean weighted) {
    Map<String, double[]> f = functions(11);
    double[] w = weights(12, weighted);
    long seed = 99;
    Similarity s = Run.compare(f, w, Map.of("bins", bins), seed);
    Similarity base = Run.compare(f, w, Map.of("bins", bins, "matrix", "baseline"), seed);
    assertEquals(MutualInformationMethod.MEASURE, s.measure());
    List<String> names = List.copyOf(f.keySet());
    assertEquals(names, s.names());
    double[] ref = weighted ? w : null;
    int[][] binsOf = new int[names.size()][];
    for (int i = 0; i < names.size(); i++) binsOf[i] = BruteForce.bins(f.get(names.get(i)), ref, bins);
    int[] perm = MutualInformationMethod.permutation(N, seed);
    for (int i = 0; i < names.size(); i++) {
      double h = BruteForce.entropy(binsOf[i], ref);
      assertEquals(h, s.perFunction().get(names.get(i)).get("entropy"), 1e-12, names.get(i));
      for (int j = 0; j < names.size(); j++) {
        double expect = i == j ? 1 : BruteForce.nmi(binsOf[i], binsOf[j], ref);
        assertEquals(expect, s.matrix()[i][j], 1e-12, names.get(i) + " vs " + names.get(j));
        // The baseline shuffles the second function of the pair (i <= j), weights staying in place.
        int lo = Math.min(i, j);
        int hi = Math.max(i, j);
        int[] shuffled = new int[N];
        for (int e = 0; e < N; e++) shuffled[e] = binsOf[hi][perm[e]];
        assertEquals(BruteForce.nmi(binsOf[lo], shuffled, ref), base.matrix()[i][j], 1e-12,
            "baseline " + names.get(i) + " vs " + names.get(j));
      }
    }
  }

  @ParameterizedTest(name = "bins {0}, weighted {1}")
  @CsvSource({"5, false", "20, true", "64, false"})
  void binsAreTheDocumentedRule(int bins, boolean weighted) {
    Map<String, double[]> f = functions(21);
    double[] w = weights(22, weighted);
    for (var e : f.entrySet()) {
      QuantileBinning.Binned b = QuantileBinning.bin(e.getKey(), e.getValue(), weighted ? w : null, bins);
      int[] expect = BruteForce.bins(e.getValue(), weighted ? w : null, bins);
      int[] got = new int[N];
      for (int k = 0; k < N; k++) got[k] = b.bins()[k];
      assertArrayEquals(expect, got, e.getKey());
    }
  }
}

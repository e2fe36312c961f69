package org.glassbox.plugins.mutualinformation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.api.similarity.Similarity;
import org.junit.jupiter.api.Test;

/** A wide layer against many observables: every function binned once, pairs in parallel. */
class ManyFunctionsTest {
  @Test
  void aHundredFunctionsOfFiftyThousandWeightedEvents() {
    int n = 50_000;
    int k = 100;
    SplittableRandom r = new SplittableRandom(1);
    double[][] latent = new double[4][n];
    for (double[] l : latent) {
      for (int e = 0; e < n; e++) l[e] = r.nextGaussian();
    }
    Map<String, double[]> f = new LinkedHashMap<>();
    for (int i = 0; i < k; i++) {
      double[] v = new double[n];
      double a = r.nextGaussian();
      double b = r.nextGaussian();
      int p = i % 4;
      int q = (i / 4) % 4;
      for (int e = 0; e < n; e++) v[e] = Math.max(0, a * latent[p][e] + b * latent[q][e] + 0.3 * r.nextGaussian());
      f.put("L1N" + i, v);
    }
    double[] w = new double[n];
    for (int e = 0; e < n; e++) w[e] = 0.5 + r.nextDouble();
    long start = System.nanoTime();
    Similarity s = Run.compare(f, w, Map.of(), 2);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("mutual-information: %d functions x %d events, %d pairs (and as many baselines) in %.2f s%n", k, n,
        k * (k - 1) / 2, seconds);
    // Spot checks against the definition.
    for (int[] ij : new int[][] {{0, 1}, {3, 99}, {57, 58}, {90, 4}}) {
      int[] x = BruteForce.bins(f.get("L1N" + ij[0]), w, 20);
      int[] y = BruteForce.bins(f.get("L1N" + ij[1]), w, 20);
      assertEquals(BruteForce.nmi(x, y, w), s.matrix()[ij[0]][ij[1]], 1e-12);
    }
  }
}

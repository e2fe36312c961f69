package org.glassbox.plugins.mutualinformation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.similarity.Similarity;
import org.junit.jupiter.api.Test;

/** Event weights: what they mean, the unweighted option, and bad weights. */
class WeightsTest {
  static Map<String, double[]> related(SplittableRandom r, int n) {
    double[] x = new double[n];
    double[] y = new double[n];
    double[] z = new double[n];
    for (int e = 0; e < n; e++) {
      x[e] = r.nextGaussian();
      y[e] = x[e] * x[e] + 0.5 * r.nextGaussian();
      z[e] = r.nextInt(3);
    }
    Map<String, double[]> f = new LinkedHashMap<>();
    f.put("x", x);
    f.put("y", y);
    f.put("z", z);
    return f;
  }

  @Test
  void anIntegerWeightIsTheSameAsRepeatingTheEvent() {
    SplittableRandom r = new SplittableRandom(1);
    int n = 3_000;
    Map<String, double[]> f = related(r, n);
    double[] w = new double[n];
    int total = 0;
    for (int e = 0; e < n; e++) total += (int) (w[e] = r.nextInt(4)); // 0 to 3
    Map<String, double[]> repeated = new LinkedHashMap<>();
    for (var entry : f.entrySet()) {
      double[] v = new double[total];
      int at = 0;
      for (int e = 0; e < n; e++) {
        for (int k = 0; k < w[e]; k++) v[at++] = entry.getValue()[e];
      }
      repeated.put(entry.getKey(), v);
    }
    Similarity weighted = Run.compare(f, w, Map.of("baseline", false), 1);
    Similarity copies = Run.compare(repeated, Run.ones(total), Map.of("baseline", false), 1);
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) assertEquals(copies.matrix()[i][j], weighted.matrix()[i][j], 1e-12);
      String name = weighted.names().get(i);
      assertEquals(copies.perFunction().get(name).get("entropy"), weighted.perFunction().get(name).get("entropy"), 1e-12);
    }
  }

  @Test
  void constantWeightsChangeNothingAndUnweightedIgnoresWeights() {
    SplittableRandom r = new SplittableRandom(2);
    int n = 5_000;
    Map<String, double[]> f = related(r, n);
    double[] twos = new double[n];
    Arrays.fill(twos, 2.5);
    double[] random = new double[n];
    double[] x = f.get("x");
    double[] half = new double[n]; // related to x where x > 0, noise elsewhere
    for (int e = 0; e < n; e++) {
      random[e] = (0.5 + r.nextDouble()) * (x[e] > 0 ? 1 : 0.001);
      half[e] = x[e] > 0 ? x[e] + 0.1 * r.nextGaussian() : r.nextGaussian();
    }
    f.put("half", half);
    Similarity ones = Run.compare(f, Run.ones(n), Map.of(), 3); // integer histograms
    Similarity constant = Run.compare(f, twos, Map.of(), 3); // weighted histograms
    Similarity unweighted = Run.compare(f, random, Map.of("unweighted", true), 3);
    Similarity weighted = Run.compare(f, random, Map.of(), 3);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        assertEquals(ones.matrix()[i][j], constant.matrix()[i][j], 1e-12);
        assertEquals(ones.matrix()[i][j], unweighted.matrix()[i][j], 0.0);
      }
    }
    // These weights all but drop x < 0, where 'half' is unrelated to x.
    assertTrue(Run.entry(weighted, "x", "half") > Run.entry(ones, "x", "half") + 0.1,
        Run.entry(weighted, "x", "half") + " vs " + Run.entry(ones, "x", "half"));
  }

  @Test
  void negativeOrNonFiniteWeightsAreErrors() {
    SplittableRandom r = new SplittableRandom(4);
    Map<String, double[]> f = related(r, 100);
    double[] w = Run.ones(100);
    w[7] = -0.5;
    GlassboxException e = assertThrows(GlassboxException.class, () -> Run.compare(f, w, Map.of(), 1));
    assertTrue(e.getMessage().contains("weight of event 7 is -0.5") && e.getMessage().contains("unweighted: true"),
        e.getMessage());
    // ... which unweighted sidesteps.
    Run.compare(f, w, Map.of("unweighted", true), 1);
    w[7] = Double.NaN;
    e = assertThrows(GlassboxException.class, () -> Run.compare(f, w, Map.of(), 1));
    assertTrue(e.getMessage().contains("weight of event 7 is NaN"), e.getMessage());
    double[] zeros = new double[100];
    e = assertThrows(GlassboxException.class, () -> Run.compare(f, zeros, Map.of(), 1));
    assertTrue(e.getMessage().contains("all event weights are 0"), e.getMessage());
  }
}

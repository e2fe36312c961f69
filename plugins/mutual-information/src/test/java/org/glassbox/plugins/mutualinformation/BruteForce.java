package org.glassbox.plugins.mutualinformation;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reference computations written plainly, in double precision, for the tests: the documented
 * binning rule over a sorted map of distinct values, and eq. 1 from its definition with every
 * probability summed over the events (no shared histogram code).
 */
final class BruteForce {
  private BruteForce() {}

  /** The bin of every event under the documented rule (weights null = 1). */
  static int[] bins(double[] values, double[] weights, int maxBins) {
    TreeMap<Double, Double> weightOf = new TreeMap<>();
    for (int e = 0; e < values.length; e++) {
      weightOf.merge(values[e] == 0 ? 0.0 : values[e], weights == null ? 1 : weights[e], Double::sum);
    }
    Map<Double, Integer> binOf = new HashMap<>();
    if (weightOf.size() <= maxBins) {
      int b = 0;
      for (double v : weightOf.keySet()) binOf.put(v, b++);
    } else {
      double left = 0;
      for (double w : weightOf.values()) left += w;
      int binsLeft = maxBins;
      int bin = 0;
      double inBin = 0;
      for (var g : weightOf.entrySet()) {
        boolean fits = inBin == 0 || binsLeft == 1 || inBin + g.getValue() / 2 <= left / binsLeft;
        if (!fits) {
          left -= inBin;
          binsLeft--;
          bin++;
          inBin = 0;
        }
        binOf.put(g.getKey(), bin);
        inBin += g.getValue();
      }
    }
    int[] out = new int[values.length];
    for (int e = 0; e < values.length; e++) out[e] = binOf.get(values[e] == 0 ? 0.0 : values[e]);
    return out;
  }

  /** Entropy in nats of a binned function. */
  static double entropy(int[] bins, double[] weights) {
    Map<Integer, Double> p = new HashMap<>();
    double total = 0;
    for (int e = 0; e < bins.length; e++) {
      double w = weights == null ? 1 : weights[e];
      p.merge(bins[e], w, Double::sum);
      total += w;
    }
    double h = 0;
    for (double v : p.values()) {
      if (v > 0) h -= v / total * Math.log(v / total);
    }
    return h;
  }

  /** Seed 000 eq. 1 from its definition. */
  static double nmi(int[] x, int[] y, double[] weights) {
    Map<Long, Double> pxy = new HashMap<>();
    Map<Integer, Double> px = new HashMap<>();
    Map<Integer, Double> py = new HashMap<>();
    double total = 0;
    for (int e = 0; e < x.length; e++) {
      double w = weights == null ? 1 : weights[e];
      pxy.merge(((long) x[e] << 32) | y[e], w, Double::sum);
      px.merge(x[e], w, Double::sum);
      py.merge(y[e], w, Double::sum);
      total += w;
    }
    double mi = 0;
    for (var c : pxy.entrySet()) {
      double p = c.getValue() / total;
      if (p <= 0) continue;
      double a = px.get((int) (c.getKey() >> 32)) / total;
      double b = py.get(c.getKey().intValue()) / total;
      mi += p * Math.log(p / (a * b));
    }
    return mi / Math.sqrt(entropy(x, weights) * entropy(y, weights));
  }
}

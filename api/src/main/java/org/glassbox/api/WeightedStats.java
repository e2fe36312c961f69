package org.glassbox.api;

import java.util.Arrays;

/**
 * Weighted means and their standard errors for k quantities, kept as sums so that partial results
 * (chunks, Spark partitions) merge exactly: Σw·v, Σw·v², Σw, Σw².
 */
public record WeightedStats(double[] sum, double[] sumSquares, double weight, double weightSquares) {

  public static WeightedStats empty(int k) {
    return new WeightedStats(new double[k], new double[k], 0, 0);
  }

  /**
   * Stats of per-event values[n*k + j] (k quantities per event) with event weights (null = 1).
   */
  public static WeightedStats of(float[] values, int k, double[] weights) {
    int n = values.length / k;
    double[] s = new double[k];
    double[] s2 = new double[k];
    double w = 0;
    double w2 = 0;
    for (int e = 0; e < n; e++) {
      double we = weights == null ? 1 : weights[e];
      w += we;
      w2 += we * we;
      for (int j = 0; j < k; j++) {
        double v = values[e * k + j];
        s[j] += we * v;
        s2[j] += we * v * v;
      }
    }
    return new WeightedStats(s, s2, w, w2);
  }

  /**
   * One number that holds for every event (e.g. a threshold or a count in a method's summary): its
   * weighted mean is the number itself, and it merges like any other entry.
   */
  public static WeightedStats constant(double v, double[] weights) {
    double w = 0;
    double w2 = 0;
    for (double x : weights) {
      w += x;
      w2 += x * x;
    }
    return new WeightedStats(new double[] {v * w}, new double[] {v * v * w}, w, w2);
  }

  public int size() {
    return sum.length;
  }

  public WeightedStats merge(WeightedStats other) {
    double[] s = sum.clone();
    double[] s2 = sumSquares.clone();
    for (int j = 0; j < s.length; j++) {
      s[j] += other.sum[j];
      s2[j] += other.sumSquares[j];
    }
    return new WeightedStats(s, s2, weight + other.weight, weightSquares + other.weightSquares);
  }

  public double[] mean() {
    double[] m = new double[sum.length];
    for (int j = 0; j < m.length; j++) m[j] = sum[j] / weight;
    return m;
  }

  /**
   * Standard error of each weighted mean: sqrt(weighted variance / effective number of events),
   * with N_eff = (Σw)² / Σw².
   */
  public double[] standardError() {
    double[] m = mean();
    double[] se = new double[m.length];
    double nEff = weight * weight / weightSquares;
    for (int j = 0; j < m.length; j++) {
      double var = Math.max(sumSquares[j] / weight - m[j] * m[j], 0);
      se[j] = nEff > 1 ? Math.sqrt(var / (nEff - 1)) : Double.NaN;
    }
    return se;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WeightedStats w && Arrays.equals(sum, w.sum) && Arrays.equals(sumSquares, w.sumSquares)
        && weight == w.weight && weightSquares == w.weightSquares;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sum) * 31 + Double.hashCode(weight);
  }
}

package org.glassbox.plugins.population;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Weighted statistics used by the methods: quantile, Pearson correlation, AUC. */
final class Stats {
  private Stats() {}

  /**
   * The weighted q-quantile: the smallest value v such that the weight of values &lt;= v is at
   * least q times the total (negative weights count as 0; all-zero weights count as 1 each).
   */
  static double quantile(double[] values, double[] weights, double q) {
    int n = values.length;
    if (n == 0) throw new IllegalArgumentException("no values");
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
    double total = 0;
    for (int i = 0; i < n; i++) total += w(weights, i);
    boolean flat = !(total > 0);
    if (flat) total = n;
    double target = q * total;
    double cumulative = 0;
    for (int k = 0; k < n; k++) {
      int i = order[k];
      cumulative += flat ? 1 : w(weights, i);
      if (cumulative >= target) return values[i];
    }
    return values[order[n - 1]];
  }

  private static double w(double[] weights, int i) {
    return weights == null ? 1 : Math.max(weights[i], 0);
  }

  /** Weighted Pearson correlation; NaN when either variable is constant. */
  static double correlation(double[] a, double[] b, double[] weights) {
    double sw = 0;
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      double wi = weights == null ? 1 : weights[i];
      sw += wi;
      ma += wi * a[i];
      mb += wi * b[i];
    }
    ma /= sw;
    mb /= sw;
    double saa = 0;
    double sbb = 0;
    double sab = 0;
    for (int i = 0; i < a.length; i++) {
      double wi = weights == null ? 1 : weights[i];
      double da = a[i] - ma;
      double db = b[i] - mb;
      saa += wi * da * da;
      sbb += wi * db * db;
      sab += wi * da * db;
    }
    if (!(saa > 0) || !(sbb > 0)) return Double.NaN;
    return sab / Math.sqrt(saa * sbb);
  }

  /**
   * Weighted area under the ROC curve of {@code score} (larger = more signal-like) for labels 1 =
   * signal: the weighted fraction of signal-background pairs ordered correctly, ties counting half.
   * NaN without both classes.
   */
  static double auc(double[] score, int[] labels, double[] weights) {
    int n = score.length;
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> score[i]));
    double background = 0;
    double signal = 0;
    double pairs = 0;
    int k = 0;
    while (k < n) {
      int end = k;
      while (end + 1 < n && score[order[end + 1]] == score[order[k]]) end++;
      double tieSignal = 0;
      double tieBackground = 0;
      for (int j = k; j <= end; j++) {
        int i = order[j];
        double wi = weights == null ? 1 : weights[i];
        if (labels[i] == 1) tieSignal += wi;
        else tieBackground += wi;
      }
      pairs += tieSignal * (background + 0.5 * tieBackground);
      background += tieBackground;
      signal += tieSignal;
      k = end + 1;
    }
    if (signal == 0 || background == 0) return Double.NaN;
    return pairs / (signal * background);
  }

  static double[] ones(int n) {
    double[] w = new double[n];
    Arrays.fill(w, 1);
    return w;
  }
}

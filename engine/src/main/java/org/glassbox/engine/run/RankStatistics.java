package org.glassbox.engine.run;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Rank agreement between two score vectors over the same items, and weighted AUC. */
final class RankStatistics {
  private RankStatistics() {}

  /** Order of items by descending score (stable: ties keep index order). */
  static int[] order(double[] scores) {
    return IntStream.range(0, scores.length).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i))
        .mapToInt(Integer::intValue).toArray();
  }

  /** Ranks from 1 (largest), ties sharing their average rank. */
  static double[] ranks(double[] scores) {
    int[] o = order(scores);
    double[] r = new double[scores.length];
    for (int i = 0; i < o.length; ) {
      int j = i;
      while (j + 1 < o.length && scores[o[j + 1]] == scores[o[i]]) j++;
      double avg = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) r[o[k]] = avg;
      i = j + 1;
    }
    return r;
  }

  /** Spearman's ρ: Pearson correlation of the (tie-averaged) ranks. */
  static double spearman(double[] a, double[] b) {
    return pearson(ranks(a), ranks(b));
  }

  static double pearson(double[] x, double[] y) {
    double mx = Arrays.stream(x).average().orElse(0);
    double my = Arrays.stream(y).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
  }

  /** Kendall's τ-b over all item pairs (few items: the direct O(F²) count is clearest). */
  static double kendall(double[] a, double[] b) {
    long concordant = 0;
    long discordant = 0;
    long tiesA = 0;
    long tiesB = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = i + 1; j < a.length; j++) {
        double da = Math.signum(a[i] - a[j]);
        double db = Math.signum(b[i] - b[j]);
        if (da == 0 && db == 0) continue;
        if (da == 0) tiesA++;
        else if (db == 0) tiesB++;
        else if (da == db) concordant++;
        else discordant++;
      }
    }
    double n1 = concordant + discordant + tiesA;
    double n2 = concordant + discordant + tiesB;
    return n1 == 0 || n2 == 0 ? Double.NaN : (concordant - discordant) / Math.sqrt(n1 * n2);
  }

  /** Fraction of the top k items of a that are among the top k of b. */
  static double topKOverlap(double[] a, double[] b, int k) {
    int kk = Math.min(k, a.length);
    int[] oa = order(a);
    int[] ob = order(b);
    java.util.Set<Integer> top = new java.util.HashSet<>();
    for (int i = 0; i < kk; i++) top.add(ob[i]);
    int n = 0;
    for (int i = 0; i < kk; i++) if (top.contains(oa[i])) n++;
    return kk == 0 ? Double.NaN : (double) n / kk;
  }

  /**
   * Weighted area under the ROC curve of a score (large = signal-like) against 0/1 labels: the
   * weighted fraction of signal/background pairs the score orders correctly, ties counting ½.
   */
  static double auc(float[] score, int[] labels, double[] weights) {
    Integer[] idx = new Integer[score.length];
    for (int i = 0; i < idx.length; i++) idx[i] = i;
    Arrays.sort(idx, Comparator.comparingDouble(i -> score[i]));
    double background = 0;
    double pairs = 0;
    double signalTotal = 0;
    for (int i = 0; i < idx.length; ) {
      int j = i;
      double groupS = 0;
      double groupB = 0;
      while (j < idx.length && score[idx[j]] == score[idx[i]]) {
        int e = idx[j];
        double w = weights == null ? 1 : weights[e];
        if (labels[e] == 1) groupS += w;
        else groupB += w;
        j++;
      }
      pairs += groupS * (background + 0.5 * groupB);
      background += groupB;
      signalTotal += groupS;
      i = j;
    }
    return signalTotal == 0 || background == 0 ? Double.NaN : pairs / (signalTotal * background);
  }
}

package org.glassbox.spark;

import java.util.Arrays;

/**
 * Signal × background pair weights of two functions x and y over the events one task holds, as
 * the {@code ado} method defines them (METHODS.md §7): a pair (s, b) weighs {@code w_s · w_b} and is
 * concordant when {@code (x_s - x_b)(y_s - y_b) > 0}, discordant when it is {@code < 0}, tied when it
 * is 0. Events are taken in ascending x, one group of equal x at a time; weight trees over the
 * ranks of y (Fenwick trees, one per class, one for "below" and one for "above", so that every sum
 * is of positive terms) give, for each event, the weight of the other class already seen (smaller
 * x) below, above and level with it in y. O(n log n); the sums depend only on the events and their
 * order, so a task gives the same bits every time it runs.
 */
final class PairCounts {
  private PairCounts() {}

  /** Index of the concordant, discordant and tied pair weights in {@link #count}'s result. */
  static final int CONCORDANT = 0;
  static final int DISCORDANT = 1;
  static final int TIED = 2;

  /**
   * @param crossOnly count only the pairs whose x differ (the pairs with equal x are left out, not
   *     counted as tied)
   * @return {concordant, discordant, tied} weights
   */
  static double[] count(float[] x, float[] y, boolean[] signal, double[] w, boolean crossOnly) {
    int n = x.length;
    double[] out = new double[3];
    if (n < 2) return out;
    int[] byX = order(x);
    int[] rank = new int[n];
    int distinct = ranks(y, rank);
    Fenwick sBelow = new Fenwick(distinct);
    Fenwick bBelow = new Fenwick(distinct);
    Fenwick sAbove = new Fenwick(distinct);
    Fenwick bAbove = new Fenwick(distinct);
    double[] sLevel = new double[distinct];
    double[] bLevel = new double[distinct];
    for (int from = 0; from < n; ) {
      int to = from + 1;
      while (to < n && x[byX[to]] == x[byX[from]]) to++;
      double gs = 0;
      double gb = 0;
      for (int p = from; p < to; p++) {
        int e = byX[p];
        int r = rank[e];
        double we = w == null ? 1 : w[e];
        // Every event seen so far has a smaller x: the pair is concordant when it is also below in y.
        Fenwick below = signal[e] ? bBelow : sBelow;
        Fenwick above = signal[e] ? bAbove : sAbove;
        double[] level = signal[e] ? bLevel : sLevel;
        out[CONCORDANT] += we * below.sum(r);
        out[DISCORDANT] += we * above.sum(distinct - 1 - r);
        out[TIED] += we * level[r];
        if (signal[e]) gs += we;
        else gb += we;
      }
      if (!crossOnly) out[TIED] += gs * gb;
      for (int p = from; p < to; p++) {
        int e = byX[p];
        int r = rank[e];
        double we = w == null ? 1 : w[e];
        if (signal[e]) {
          sBelow.add(r, we);
          sAbove.add(distinct - 1 - r, we);
          sLevel[r] += we;
        } else {
          bBelow.add(r, we);
          bAbove.add(distinct - 1 - r, we);
          bLevel[r] += we;
        }
      }
      from = to;
    }
    return out;
  }

  /** Event indices in ascending value, equal values by index. */
  static int[] order(float[] v) {
    int n = v.length;
    long[] keys = new long[n];
    for (int e = 0; e < n; e++) keys[e] = ((long) sortable(v[e]) << 32) | e;
    Arrays.sort(keys);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) out[i] = (int) (keys[i] & 0xffffffffL);
    return out;
  }

  /** Dense ranks of the values (equal values, -0.0 and 0.0 included, share one); returns how many distinct. */
  static int ranks(float[] v, int[] rank) {
    int[] byV = order(v);
    int r = -1;
    for (int i = 0; i < byV.length; i++) {
      if (i == 0 || v[byV[i]] != v[byV[i - 1]]) r++;
      rank[byV[i]] = r;
    }
    return r + 1;
  }

  /** An int whose signed order is the float's order (-0.0 as 0.0; no NaN here). */
  static int sortable(float f) {
    int bits = Float.floatToIntBits(f + 0.0f);
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }

  /** Sums of weights over ranks [0, r) ... as a binary indexed tree. */
  private static final class Fenwick {
    private final double[] tree;

    Fenwick(int n) {
      tree = new double[n + 1];
    }

    void add(int i, double w) {
      for (int k = i + 1; k < tree.length; k += k & -k) tree[k] += w;
    }

    /** Sum over ranks [0, r). */
    double sum(int r) {
      double s = 0;
      for (int k = r; k > 0; k -= k & -k) s += tree[k];
      return s;
    }
  }
}

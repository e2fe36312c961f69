package org.glassbox.plugins.ado;

import java.util.concurrent.ForkJoinTask;

/**
 * The weight and number of signal/background pairs that two functions order alike (concordant) and
 * differently (discordant), by a merge sort: the two-sample, weighted form of the Kendall-τ merge
 * count, O(N log N).
 *
 * <p>Events arrive sorted by f (x) and are split only between different f values, so every event
 * of a left half has smaller f than every event of the right half; merging the halves by g (y), a
 * right event meets the left events of the other class below it in g (concordant) in a forward
 * sweep and above it (discordant) in a backward sweep. Each class of pair is a sum of positive
 * terms, never a difference, so it is exactly 0 when there is no such pair. The memory access is
 * sequential, which is what makes this faster than a Fenwick-tree sweep at 10⁶ events; the halves
 * are independent, so the top of the recursion runs on several threads.
 *
 * <p>Events are packed in one long each, {@code y << 1 | signal}.
 */
final class ConcordanceCounter {
  private static final int LEAF = 32;
  /** Ranges smaller than this are not worth handing to another thread. */
  private static final int PARALLEL_MIN = 1 << 13;

  private final long[] key;
  private final double[] weight;
  private final int[] groupOf;
  private final int[] groupStart;
  private final long[] keyBuf;
  private final double[] weightBuf;

  /** Weight and number of the concordant and of the discordant pairs. */
  static final class Sums {
    double concordant;
    double discordant;
    long concordantPairs;
    long discordantPairs;

    void add(Sums o) {
      concordant += o.concordant;
      discordant += o.discordant;
      concordantPairs += o.concordantPairs;
      discordantPairs += o.discordantPairs;
    }
  }

  private ConcordanceCounter(long[] key, double[] weight, int[] groupOf, int[] groupStart) {
    this.key = key;
    this.weight = weight;
    this.groupOf = groupOf;
    this.groupStart = groupStart;
    this.keyBuf = new long[key.length];
    this.weightBuf = new double[key.length];
  }

  static long pack(int y, boolean signal) {
    return (long) y << 1 | (signal ? 1 : 0);
  }

  /**
   * Counts over positions sorted by x ({@code groupOf[i]}: x group of position i, non-decreasing;
   * {@code groupStart[g]}: where group g begins). {@code key} and {@code weight} end sorted by y.
   */
  static Sums count(
      long[] key, double[] weight, int[] groupOf, int[] groupStart, boolean parallel) {
    Sums sums = new Sums();
    if (key.length > 0) {
      new ConcordanceCounter(key, weight, groupOf, groupStart).solve(0, key.length, sums, parallel);
    }
    return sums;
  }

  private void solve(int lo, int hi, Sums sums, boolean parallel) {
    if (hi - lo <= LEAF) {
      leaf(lo, hi, sums);
      return;
    }
    boolean cross = groupOf[lo] != groupOf[hi - 1];
    int mid = cross ? groupBoundaryNear(lo, hi) : (lo + hi) >>> 1;
    if (parallel && hi - lo >= PARALLEL_MIN) {
      Sums leftSums = new Sums();
      ForkJoinTask<?> left = ForkJoinTask.adapt(() -> solve(lo, mid, leftSums, true)).fork();
      solve(mid, hi, sums, true);
      left.join();
      sums.add(leftSums);
    } else {
      solve(lo, mid, sums, false);
      solve(mid, hi, sums, false);
    }
    if (cross) {
      countAcross(lo, mid, hi, sums);
    }
    merge(lo, mid, hi);
  }

  /** A split point in (lo, hi) between two x groups, as near the middle as the groups allow. */
  private int groupBoundaryNear(int lo, int hi) {
    int mid = (lo + hi) >>> 1;
    int g = groupOf[mid];
    int start = groupStart[g];
    int end = groupStart[g + 1];
    if (start <= lo) {
      return end;
    }
    if (end >= hi) {
      return start;
    }
    return mid - start <= end - mid ? start : end;
  }

  private void leaf(int lo, int hi, Sums sums) {
    for (int i = lo; i < hi; i++) {
      long ki = key[i];
      for (int j = i + 1; j < hi; j++) {
        long kj = key[j];
        // Positions are in x order, so a different group means strictly below in x.
        if (groupOf[i] != groupOf[j] && ((ki ^ kj) & 1) != 0) {
          long yi = ki >>> 1;
          long yj = kj >>> 1;
          if (yi < yj) {
            sums.concordant += weight[i] * weight[j];
            sums.concordantPairs++;
          } else if (yi > yj) {
            sums.discordant += weight[i] * weight[j];
            sums.discordantPairs++;
          }
        }
      }
    }
    for (int i = lo + 1; i < hi; i++) {
      long k = key[i];
      double w = weight[i];
      int j = i - 1;
      while (j >= lo && key[j] > k) {
        key[j + 1] = key[j];
        weight[j + 1] = weight[j];
        j--;
      }
      key[j + 1] = k;
      weight[j + 1] = w;
    }
  }

  /** Both halves sorted by y; every left event is below every right event in x. */
  private void countAcross(int lo, int mid, int hi, Sums sums) {
    // Forward: left events strictly below in y (on equal y the right event goes first).
    double signalW = 0;
    double backgroundW = 0;
    long signalN = 0;
    long backgroundN = 0;
    int i = lo;
    for (int j = mid; j < hi; j++) {
      long kq = key[j];
      long yq = kq >>> 1;
      while (i < mid && key[i] >>> 1 < yq) {
        if ((key[i] & 1) != 0) {
          signalW += weight[i];
          signalN++;
        } else {
          backgroundW += weight[i];
          backgroundN++;
        }
        i++;
      }
      if ((kq & 1) != 0) {
        sums.concordant += weight[j] * backgroundW;
        sums.concordantPairs += backgroundN;
      } else {
        sums.concordant += weight[j] * signalW;
        sums.concordantPairs += signalN;
      }
    }
    // Backward: left events strictly above in y.
    signalW = 0;
    backgroundW = 0;
    signalN = 0;
    backgroundN = 0;
    i = mid - 1;
    for (int j = hi - 1; j >= mid; j--) {
      long kq = key[j];
      long yq = kq >>> 1;
      while (i >= lo && key[i] >>> 1 > yq) {
        if ((key[i] & 1) != 0) {
          signalW += weight[i];
          signalN++;
        } else {
          backgroundW += weight[i];
          backgroundN++;
        }
        i--;
      }
      if ((kq & 1) != 0) {
        sums.discordant += weight[j] * backgroundW;
        sums.discordantPairs += backgroundN;
      } else {
        sums.discordant += weight[j] * signalW;
        sums.discordantPairs += signalN;
      }
    }
  }

  private void merge(int lo, int mid, int hi) {
    if (key[mid - 1] <= key[mid]) {
      return; // already in order (common inside large tie groups)
    }
    int i = lo;
    int j = mid;
    int o = lo;
    while (i < mid && j < hi) {
      if (key[j] < key[i]) {
        keyBuf[o] = key[j];
        weightBuf[o++] = weight[j++];
      } else {
        keyBuf[o] = key[i];
        weightBuf[o++] = weight[i++];
      }
    }
    while (i < mid) {
      keyBuf[o] = key[i];
      weightBuf[o++] = weight[i++];
    }
    while (j < hi) {
      keyBuf[o] = key[j];
      weightBuf[o++] = weight[j++];
    }
    System.arraycopy(keyBuf, lo, key, lo, hi - lo);
    System.arraycopy(weightBuf, lo, weight, lo, hi - lo);
  }
}

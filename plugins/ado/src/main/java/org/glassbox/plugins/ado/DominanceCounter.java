package org.glassbox.plugins.ado;

import java.util.concurrent.ForkJoinTask;

/**
 * Counts, over two point sets (signal and background) in three integer coordinates (x, y, z), the
 * pairs of opposite class where one point is strictly below the other in x and in y, and splits
 * their weight by whether the lower point is also strictly below in z, or equal in z.
 *
 * <p>This is the offline 3-D dominance count of Chen-Dong-Qian (CDQ) divide and conquer: points
 * arrive sorted by x; each range is split at a boundary between different x (so every left point is
 * strictly below every right point in x), both halves are solved and left sorted by y, and a merge
 * by y inserts left points into a Fenwick tree over z while right points query it. O(N log² N)
 * time, O(N + Z) memory; pairs are never materialised. Small ranges are done pair by pair, which is
 * faster there than the tree.
 *
 * <p>Points are packed in one long each, {@code y << 32 | z << 1 | signal}, so the merges move one
 * array of longs and one of weights. All weights must be positive (see {@link Fenwick#clear}).
 */
final class DominanceCounter {
  /** Ranges this small are counted pair by pair. */
  static final int LEAF = 32;
  /** Ranges smaller than this are not worth handing to another thread. */
  static final int PARALLEL_MIN = 4096;

  private final long[] key;
  private final double[] weight;
  private final int[] groupOf;
  private final int[] groupStart;
  private final long[] keyBuf;
  private final double[] weightBuf;
  private final Workspace[] workspaces;

  /** Sums over the counted pairs: all of them, those strictly below in z, those equal in z. */
  record Sums(double pairs, double below, double equal) {}

  private DominanceCounter(long[] key, double[] weight, int[] groupOf, int[] groupStart, int zSize,
      int threads) {
    this.key = key;
    this.weight = weight;
    this.groupOf = groupOf;
    this.groupStart = groupStart;
    this.keyBuf = new long[key.length];
    this.weightBuf = new double[key.length];
    this.workspaces = new Workspace[threads];
    for (int t = 0; t < threads; t++) {
      workspaces[t] = new Workspace(zSize);
    }
  }

  static long pack(int y, int z, boolean signal) {
    return (long) y << 32 | (long) z << 1 | (signal ? 1 : 0);
  }

  /**
   * Counts the pairs (p, q), p before q, with {@code x_p < x_q}, {@code y_p < y_q} and p, q of
   * opposite class. Positions are sorted by x: {@code groupOf[i]} is the x group of position i
   * (non-decreasing), {@code groupStart[g]} where group g begins. {@code key} and {@code weight}
   * are reordered (sorted by y) in the process; the group arrays are only read.
   */
  static Sums count(long[] key, double[] weight, int[] groupOf, int[] groupStart, int zSize,
      int threads) {
    int n = key.length;
    int t = Math.max(1, Math.min(threads, n / PARALLEL_MIN));
    DominanceCounter c = new DominanceCounter(key, weight, groupOf, groupStart, zSize, t);
    if (n > 0) {
      c.solve(0, n, 0, t);
    }
    double pairs = 0;
    double below = 0;
    double equal = 0;
    for (Workspace w : c.workspaces) {
      pairs += w.pairs;
      below += w.below;
      equal += w.equal;
    }
    return new Sums(pairs, below, equal);
  }

  /** Solves positions [lo, hi) with workspaces [first, first + count), at most count threads. */
  private void solve(int lo, int hi, int first, int count) {
    Workspace ws = workspaces[first];
    if (hi - lo <= LEAF) {
      leaf(lo, hi, ws);
      return;
    }
    boolean cross = groupOf[lo] != groupOf[hi - 1];
    int mid = cross ? groupBoundaryNear(lo, hi) : (lo + hi) >>> 1;
    if (count > 1 && hi - lo >= PARALLEL_MIN) {
      int half = count / 2;
      ForkJoinTask<?> left = ForkJoinTask.adapt(() -> solve(lo, mid, first, half)).fork();
      solve(mid, hi, first + half, count - half);
      left.join();
    } else {
      solve(lo, mid, first, 1);
      solve(mid, hi, first, 1);
    }
    if (cross) {
      mergeCounting(lo, mid, hi, ws);
    } else {
      merge(lo, mid, hi);
    }
  }

  /**
   * A split point in (lo, hi) between two x groups, as near the middle as the groups allow. The
   * range spans at least two groups, so the middle group's start or end lies strictly inside.
   */
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

  private void leaf(int lo, int hi, Workspace ws) {
    for (int i = lo; i < hi; i++) {
      long ki = key[i];
      for (int j = i + 1; j < hi; j++) {
        long kj = key[j];
        // Positions are in x order, so a different group means strictly below in x.
        if (groupOf[i] != groupOf[j] && ((ki ^ kj) & 1) != 0 && (ki >>> 32) < (kj >>> 32)) {
          double pw = weight[i] * weight[j];
          ws.pairs += pw;
          int zi = z(ki);
          int zj = z(kj);
          if (zi < zj) {
            ws.below += pw;
          } else if (zi == zj) {
            ws.equal += pw;
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

  /** Merges two y-sorted halves; every left point is below every right point in x. */
  private void mergeCounting(int lo, int mid, int hi, Workspace ws) {
    int i = lo;
    int o = lo;
    for (int j = mid; j < hi; j++) {
      long kq = key[j];
      long yq = kq >>> 32;
      // Strictly below in y only: on equal y the right point queries first.
      while (i < mid && (key[i] >>> 32) < yq) {
        ws.insert(key[i], weight[i]);
        keyBuf[o] = key[i];
        weightBuf[o++] = weight[i];
        i++;
      }
      ws.query(kq, weight[j]);
      keyBuf[o] = kq;
      weightBuf[o++] = weight[j];
    }
    int inserted = i;
    while (i < mid) {
      keyBuf[o] = key[i];
      weightBuf[o++] = weight[i];
      i++;
    }
    for (int p = lo; p < inserted; p++) {
      ws.clear(key[p]);
    }
    ws.signalInserted = 0;
    ws.backgroundInserted = 0;
    System.arraycopy(keyBuf, lo, key, lo, hi - lo);
    System.arraycopy(weightBuf, lo, weight, lo, hi - lo);
  }

  /** Merges two y-sorted halves of one x group (no pair between them counts). */
  private void merge(int lo, int mid, int hi) {
    int i = lo;
    int j = mid;
    int o = lo;
    while (i < mid && j < hi) {
      if ((key[j] >>> 32) < (key[i] >>> 32)) {
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

  private static int z(long key) {
    return (int) ((key & 0xffff_ffffL) >>> 1);
  }

  private static boolean isSignal(long key) {
    return (key & 1) != 0;
  }

  /** One thread's trees over z and running sums; empty between merges. */
  private static final class Workspace {
    final Fenwick signalTree;
    final Fenwick backgroundTree;
    final double[] signalAt;
    final double[] backgroundAt;
    double signalInserted;
    double backgroundInserted;
    double pairs;
    double below;
    double equal;

    Workspace(int zSize) {
      signalTree = new Fenwick(zSize);
      backgroundTree = new Fenwick(zSize);
      signalAt = new double[zSize];
      backgroundAt = new double[zSize];
    }

    void insert(long k, double w) {
      int z = z(k);
      if (isSignal(k)) {
        signalTree.add(z, w);
        signalAt[z] += w;
        signalInserted += w;
      } else {
        backgroundTree.add(z, w);
        backgroundAt[z] += w;
        backgroundInserted += w;
      }
    }

    /** Adds the pairs of this (right) point with the inserted (left) points of the other class. */
    void query(long k, double w) {
      int z = z(k);
      if (isSignal(k)) {
        pairs += w * backgroundInserted;
        below += w * backgroundTree.sumBelow(z);
        equal += w * backgroundAt[z];
      } else {
        pairs += w * signalInserted;
        below += w * signalTree.sumBelow(z);
        equal += w * signalAt[z];
      }
    }

    void clear(long k) {
      int z = z(k);
      if (isSignal(k)) {
        signalTree.clear(z);
        signalAt[z] = 0;
      } else {
        backgroundTree.clear(z);
        backgroundAt[z] = 0;
      }
    }
  }
}

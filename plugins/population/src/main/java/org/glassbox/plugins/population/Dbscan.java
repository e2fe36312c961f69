package org.glassbox.plugins.population;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.ml.clustering.Cluster;
import org.apache.commons.math3.ml.clustering.Clusterable;
import org.apache.commons.math3.ml.clustering.DBSCANClusterer;

/**
 * DBSCAN through commons-math3's {@link DBSCANClusterer}, with points that compare by identity
 * (commons-math's own {@code DoublePoint} compares by value, so its clusterer would silently drop
 * duplicate points, which projected populations are full of: every start pinned in the same corner).
 *
 * <p>A point is a core point when at least {@code minPts} <em>other</em> points lie within {@code
 * eps} (commons-math's convention; scikit-learn's {@code min_samples} is minPts + 1).
 */
final class Dbscan {
  private Dbscan() {}

  /** A point with identity equality, remembering its index. */
  static final class Point implements Clusterable {
    final double[] coordinates;
    final int index;

    Point(double[] coordinates, int index) {
      this.coordinates = coordinates;
      this.index = index;
    }

    @Override
    public double[] getPoint() {
      return coordinates;
    }
  }

  /**
   * Cluster labels 0, 1, ... in decreasing cluster size (ties: the cluster holding the lowest
   * index first), -1 for noise.
   */
  static int[] labels(double[][] points, double eps, int minPts) {
    List<Point> list = new ArrayList<>(points.length);
    for (int i = 0; i < points.length; i++) list.add(new Point(points[i], i));
    List<Cluster<Point>> clusters = new DBSCANClusterer<Point>(eps, minPts).cluster(list);
    List<int[]> members = new ArrayList<>();
    for (Cluster<Point> c : clusters) members.add(c.getPoints().stream().mapToInt(p -> p.index).sorted().toArray());
    return relabel(members, points.length);
  }

  /** Labels from member lists, clusters ordered by decreasing size then lowest member. */
  static int[] relabel(List<int[]> members, int n) {
    List<int[]> sorted = new ArrayList<>(members);
    sorted.removeIf(m -> m.length == 0);
    sorted.sort((a, b) -> a.length != b.length ? Integer.compare(b.length, a.length) : Integer.compare(a[0], b[0]));
    int[] labels = new int[n];
    Arrays.fill(labels, -1);
    for (int c = 0; c < sorted.size(); c++) for (int i : sorted.get(c)) labels[i] = c;
    return labels;
  }

  static int count(int[] labels) {
    int max = -1;
    for (int l : labels) max = Math.max(max, l);
    return max + 1;
  }

  /**
   * Rule of thumb for eps (Ester et al.'s sorted k-distance graph, its knee found as by Kneedle):
   * each point's distance to its k-th nearest other point (k = minPts), sorted; with both axes
   * scaled to [0, 1], the knee is where the curve lies farthest below its chord. 0 if fewer than 2
   * points.
   */
  static double ruleOfThumbEps(double[][] points, int k) {
    double[] d = kDistances(points, k);
    if (d.length == 0) return 0;
    Arrays.sort(d);
    int n = d.length;
    double lo = d[0];
    double hi = d[n - 1];
    if (!(hi > lo) || n < 3) return hi;
    int knee = n - 1;
    double best = 0;
    for (int i = 0; i < n; i++) {
      double gap = (double) i / (n - 1) - (d[i] - lo) / (hi - lo);
      if (gap > best) {
        best = gap;
        knee = i;
      }
    }
    return d[knee];
  }

  /** Each point's distance to its k-th nearest other point (k capped at n - 1); empty below 2 points. */
  static double[] kDistances(double[][] points, int k) {
    int n = points.length;
    if (n < 2) return new double[0];
    int kk = Math.min(k, n - 1);
    double[] kDistance = new double[n];
    double[] heap = new double[kk]; // max-heap of the kk smallest distances
    for (int i = 0; i < n; i++) {
      int size = 0;
      for (int j = 0; j < n; j++) {
        if (j == i) continue;
        double dist = distance(points[i], points[j]);
        if (size < kk) {
          heap[size] = dist;
          siftUp(heap, size++);
        } else if (dist < heap[0]) {
          heap[0] = dist;
          siftDown(heap, 0, size);
        }
      }
      kDistance[i] = heap[0];
    }
    return kDistance;
  }

  static double distance(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      s += d * d;
    }
    return Math.sqrt(s);
  }

  private static void siftUp(double[] h, int i) {
    while (i > 0) {
      int p = (i - 1) / 2;
      if (h[p] >= h[i]) return;
      double t = h[p];
      h[p] = h[i];
      h[i] = t;
      i = p;
    }
  }

  private static void siftDown(double[] h, int i, int size) {
    while (true) {
      int l = 2 * i + 1;
      int r = l + 1;
      int m = i;
      if (l < size && h[l] > h[m]) m = l;
      if (r < size && h[r] > h[m]) m = r;
      if (m == i) return;
      double t = h[m];
      h[m] = h[i];
      h[i] = t;
      i = m;
    }
  }
}

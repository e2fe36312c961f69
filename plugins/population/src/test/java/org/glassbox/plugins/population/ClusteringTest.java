package org.glassbox.plugins.population;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.glassbox.api.clustering.Clusters;
import org.junit.jupiter.api.Test;

/** DBSCAN against a brute-force DBSCAN, k-means on separated blobs. */
class ClusteringTest {

  /** Gaussian blobs (sigma each) around the centres, {@code per} points each, then {@code noise} uniform points. */
  static double[][] blobs(double[][] centres, double sigma, int per, int noise, double lo, double hi, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int d = centres[0].length;
    List<double[]> points = new ArrayList<>();
    for (double[] c : centres) {
      for (int k = 0; k < per; k++) {
        double[] p = new double[d];
        for (int j = 0; j < d; j++) p[j] = c[j] + sigma * r.nextGaussian();
        points.add(p);
      }
    }
    for (int k = 0; k < noise; k++) {
      double[] p = new double[d];
      for (int j = 0; j < d; j++) p[j] = lo + (hi - lo) * r.nextDouble();
      points.add(p);
    }
    // The clustering context holds floats: round here so that the brute force sees the same points.
    for (double[] p : points) for (int j = 0; j < d; j++) p[j] = (float) p[j];
    return points.toArray(new double[0][]);
  }

  /**
   * DBSCAN by definition: core points have at least minPts others within eps; clusters are the
   * connected components of core points (edges: distance at most eps); a non-core point within eps
   * of a core point is a border point of one of those components; the rest is noise. Returns the
   * component of each core point, -2 for border points, -1 for noise.
   */
  static int[] bruteForce(double[][] p, double eps, int minPts) {
    int n = p.length;
    boolean[] core = new boolean[n];
    for (int i = 0; i < n; i++) {
      int c = 0;
      for (int j = 0; j < n; j++) if (j != i && Dbscan.distance(p[i], p[j]) <= eps) c++;
      core[i] = c >= minPts;
    }
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) parent[i] = i;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (core[i] && core[j] && Dbscan.distance(p[i], p[j]) <= eps) parent[find(parent, i)] = find(parent, j);
      }
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      if (core[i]) {
        out[i] = find(parent, i);
        continue;
      }
      out[i] = -1;
      for (int j = 0; j < n; j++) if (core[j] && Dbscan.distance(p[i], p[j]) <= eps) out[i] = -2;
    }
    return out;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  }

  /** The method's labels agree with the brute force: same core partition, same noise, valid border points. */
  static void assertDbscan(double[][] p, double eps, int minPts, int[] labels) {
    int[] expected = bruteForce(p, eps, minPts);
    Map<Integer, Integer> component = new HashMap<>();
    Map<Integer, Integer> back = new HashMap<>();
    for (int i = 0; i < p.length; i++) {
      if (expected[i] < 0) continue;
      assertTrue(labels[i] >= 0, "core point " + i + " is in a cluster");
      Integer was = component.putIfAbsent(expected[i], labels[i]);
      assertEquals(was == null ? labels[i] : was, labels[i], "core point " + i + ": one label per component");
      Integer wasBack = back.putIfAbsent(labels[i], expected[i]);
      assertEquals(wasBack == null ? expected[i] : wasBack, expected[i],
          "core point " + i + ": one component per label");
    }
    assertEquals(component.size(), Dbscan.count(labels), "as many clusters as components");
    for (int i = 0; i < p.length; i++) {
      if (expected[i] == -1) assertEquals(-1, labels[i], "point " + i + " is noise");
      if (expected[i] == -2) {
        boolean ok = false;
        for (int j = 0; j < p.length; j++) {
          if (expected[j] >= 0 && Dbscan.distance(p[i], p[j]) <= eps && labels[j] == labels[i]) ok = true;
        }
        assertTrue(ok, "border point " + i + " joins the cluster of a core point within eps");
      }
    }
  }

  static Clusters dbscan(double[][] p, Map<String, Object> options) {
    DbscanMethod method = new DbscanMethod();
    return method.cluster(Fixtures.clustering(p, Fixtures.options(method.options(), options), 0));
  }

  /** Fraction of each blob's points in its most common cluster, and whether the blobs' clusters differ. */
  static void assertRecovers(int[] labels, int blobs, int per, double purity) {
    Set<Integer> seen = new HashSet<>();
    for (int b = 0; b < blobs; b++) {
      Map<Integer, Integer> count = new HashMap<>();
      for (int k = 0; k < per; k++) count.merge(labels[b * per + k], 1, Integer::sum);
      var best = count.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
      assertTrue(best.getKey() >= 0 && best.getValue() >= purity * per, "blob " + b + ": " + count);
      assertTrue(seen.add(best.getKey()), "blob " + b + " has its own cluster");
    }
  }

  @Test
  void dbscanMatchesTheBruteForceAndRecoversTheBlobs() {
    double[][] p = blobs(new double[][] {{0, 0}, {1, 0}, {0.5, 1}}, 0.05, 200, 60, -0.5, 1.5, 1);
    Clusters c = dbscan(p, Map.of("eps", 0.08, "min_pts", 5L, "scale", "none"));
    assertDbscan(p, 0.08, 5, c.labels());
    assertRecovers(c.labels(), 3, 200, 0.95);
    // Clusters are numbered by decreasing size.
    int[] sizes = new int[c.count()];
    for (int l : c.labels()) if (l >= 0) sizes[l]++;
    for (int k = 1; k < sizes.length; k++) assertTrue(sizes[k] <= sizes[k - 1], Arrays.toString(sizes));
    long noise = Arrays.stream(c.labels()).filter(l -> l < 0).count();
    assertTrue(noise >= 30 && noise <= 70, noise + " noise points");
  }

  @Test
  void dbscanRuleOfThumbFindsTheBlobsInOneTwoAndThreeDimensions() {
    double[][][] centres = {
      {{0}, {1}, {2.5}},
      {{0, 0}, {1, 0}, {0.5, 1}},
      {{0, 0, 0}, {1, 0, 1}, {0, 1, 1}},
    };
    for (double[][] c : centres) {
      double[][] p = blobs(c, 0.05, 150, 20, -0.5, 1.5, 2 + c[0].length);
      Clusters clusters = dbscan(p, Map.of("scale", "none"));
      double eps = Dbscan.ruleOfThumbEps(p, 5);
      assertTrue(eps > 0.01 && eps < 0.3, "eps " + eps + " in " + c[0].length + "-D");
      assertDbscan(p, eps, 5, clusters.labels());
      assertRecovers(clusters.labels(), 3, 150, 0.9);
    }
  }

  @Test
  void scaleRangeDividesEachColumnByItsRange() {
    // The same blobs with the second axis in units 1000 times smaller: scale range makes them alike.
    double[][] p = blobs(new double[][] {{0, 0}, {1, 0}, {0.5, 1}}, 0.05, 100, 0, 0, 1, 3);
    double[][] stretched = new double[p.length][];
    for (int i = 0; i < p.length; i++) stretched[i] = new double[] {p[i][0], (float) (p[i][1] * 1000)};
    int[] a = dbscan(p, Map.of("eps", 0.05)).labels();
    int[] b = dbscan(stretched, Map.of("eps", 0.05)).labels();
    assertRecovers(a, 3, 100, 0.9);
    // Not equal point by point (float rounding of the stretched axis), but the same blobs.
    assertRecovers(b, 3, 100, 0.9);
    var context = Fixtures.clustering(stretched, Fixtures.options(List.of(), Map.of()), 0);
    double[][] scaled = ClusterPoints.of(context.points(), "range");
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (double[] s : scaled) {
      lo = Math.min(lo, s[1]);
      hi = Math.max(hi, s[1]);
    }
    assertEquals(1.0, hi - lo, 1e-9);
  }

  @Test
  void duplicatePointsAreAllClustered() {
    // commons-math's DoublePoint compares by value: its DBSCAN would leave all but one copy unlabelled.
    double[][] p = new double[100][];
    for (int i = 0; i < 100; i++) p[i] = i < 60 ? new double[] {1, 1} : new double[] {0, 0};
    Clusters c = dbscan(p, Map.of("eps", 0.1, "min_pts", 5L, "scale", "none"));
    assertEquals(2, c.count());
    for (int i = 0; i < 100; i++) assertEquals(i < 60 ? 0 : 1, c.labels()[i], "point " + i);
  }

  @Test
  void kDistancesAndKnee() {
    double[][] p = blobs(new double[][] {{0, 0}}, 1, 200, 0, 0, 1, 4);
    double[] d = Dbscan.kDistances(p, 5);
    for (int i = 0; i < p.length; i++) {
      double[] all = new double[p.length - 1];
      int at = 0;
      for (int j = 0; j < p.length; j++) if (j != i) all[at++] = Dbscan.distance(p[i], p[j]);
      Arrays.sort(all);
      assertEquals(all[4], d[i], 0.0, "point " + i);
    }
    // A curve with an obvious knee: 90 points whose 1st neighbours are 1.00 ... 1.09 apart, then far outliers.
    double[][] line = new double[100][];
    double x = 0;
    for (int i = 0; i < 100; i++) {
      x += i < 90 ? 1 + (i % 10) / 100.0 : 50 + i;
      line[i] = new double[] {x};
    }
    double eps = Dbscan.ruleOfThumbEps(line, 1);
    assertTrue(eps >= 1 && eps <= 1.1, "knee at " + eps);
  }

  @Test
  void kmeansSeparatesSeparatedBlobsAndIsSeeded() {
    double[][] p = blobs(new double[][] {{0, 0}, {3, 0}, {0, 3}}, 0.2, 100, 0, 0, 1, 5);
    var method = new KMeansMethod();
    var options = Fixtures.options(method.options(), Map.of("k", 3L));
    Clusters c = method.cluster(Fixtures.clustering(p, options, 42));
    assertEquals(3, c.count());
    for (int b = 0; b < 3; b++) {
      for (int k = 0; k < 100; k++) assertEquals(c.labels()[b * 100], c.labels()[b * 100 + k], "blob " + b);
    }
    assertEquals(3, Arrays.stream(new int[] {c.labels()[0], c.labels()[100], c.labels()[200]}).distinct().count());
    assertArrayEquals(c.labels(), method.cluster(Fixtures.clustering(p, options, 42)).labels());
  }
}

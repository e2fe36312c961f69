package org.glassbox.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.Options;
import org.glassbox.api.similarity.Similarity;
import org.glassbox.api.similarity.SimilarityContext;
import org.glassbox.plugins.ado.AdoSimilarityMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exact ADO over every event on Spark against the {@code ado} plugin on one machine, on events
 * built to be hard: heavy ties within and across value ranges, -0.0 beside 0.0, a function with two
 * values, weights; and the per-task pair count against brute force.
 */
class DistributedAdoTest {
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    SparkTests.assumeSparkStarts();
    sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("glassbox-ado-test")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1"));
    sc.setLogLevel("WARN");
  }

  @AfterAll
  static void stop() {
    if (sc != null) sc.close();
  }

  /** Events: labels, weights (null: unit), and four functions. */
  private record Events(boolean[] signal, double[] weights, Map<String, float[]> functions) {}

  private static Events events(int n, long seed, String weights) {
    SplittableRandom r = new SplittableRandom(seed);
    boolean[] signal = new boolean[n];
    double[] w = weights.equals("unit") ? null : new double[n];
    float[] net = new float[n];
    float[] rounded = new float[n];
    float[] few = new float[n];
    float[] zeros = new float[n];
    for (int e = 0; e < n; e++) {
      signal[e] = r.nextDouble() < 0.4;
      double x = r.nextGaussian() + (signal[e] ? 0.8 : 0);
      net[e] = (float) x;
      rounded[e] = (float) (Math.round((x + 0.7 * r.nextGaussian()) * 4) / 4.0);
      few[e] = signal[e] == r.nextDouble() < 0.7 ? 1 : 0;
      zeros[e] = r.nextDouble() < 0.5 ? (r.nextBoolean() ? 0.0f : -0.0f) : (float) r.nextInt(3) - 1;
      if (w != null) w[e] = weights.equals("integer") ? 1 + r.nextInt(3) : 0.25 + 1.5 * r.nextDouble();
    }
    Map<String, float[]> f = new LinkedHashMap<>();
    f.put("net", net);
    f.put("rounded", rounded);
    f.put("few", few);
    f.put("zeros", zeros);
    return new Events(signal, w, f);
  }

  /** The plugin on one machine. */
  private static Similarity plugin(Events ev, boolean unweighted) {
    Map<String, double[]> f = new LinkedHashMap<>();
    ev.functions().forEach((k, v) -> {
      double[] d = new double[v.length];
      for (int e = 0; e < v.length; e++) d[e] = v[e];
      f.put(k, d);
    });
    int[] labels = new int[ev.signal().length];
    for (int e = 0; e < labels.length; e++) labels[e] = ev.signal()[e] ? 1 : 0;
    double[] w = ev.weights();
    if (w == null) {
      w = new double[labels.length];
      java.util.Arrays.fill(w, 1);
    }
    double[] weights = w;
    Options options = new Options(Map.of("unweighted", unweighted, "sampled_pairs", 0L));
    return new AdoSimilarityMethod().compare(new SimilarityContext() {
      public Map<String, double[]> functions() {
        return f;
      }

      public Optional<int[]> labels() {
        return Optional.of(labels);
      }

      public double[] weights() {
        return weights;
      }

      public Options options() {
        return options;
      }

      public long seed() {
        return 1;
      }
    });
  }

  /** The events in blocks of about {@code block}, in {@code partitions} partitions, on the cluster. */
  private static Similarity spark(Events ev, int block, int partitions, boolean unweighted) {
    int n = ev.signal().length;
    int k = ev.functions().size();
    List<float[]> columns = new ArrayList<>(ev.functions().values());
    List<FunctionBlock> blocks = new ArrayList<>();
    for (int from = 0; from < n; from += block) {
      int to = Math.min(n, from + block);
      float[][] v = new float[k][];
      for (int j = 0; j < k; j++) v[j] = java.util.Arrays.copyOfRange(columns.get(j), from, to);
      blocks.add(new FunctionBlock(from, v, java.util.Arrays.copyOfRange(ev.signal(), from, to),
          ev.weights() == null ? null : java.util.Arrays.copyOfRange(ev.weights(), from, to)));
    }
    JavaRDD<FunctionBlock> rdd = sc.parallelize(blocks, partitions).cache();
    try {
      return DistributedAdo.compute(rdd, new ArrayList<>(ev.functions().keySet()), unweighted, partitions);
    } finally {
      rdd.unpersist(false);
    }
  }

  private static void assertClose(String what, double want, double got, double relative) {
    if (relative == 0) {
      assertEquals(want, got, 0, what);
    } else {
      assertTrue(Math.abs(want - got) <= relative * Math.max(Math.abs(want), Math.abs(got)), what + ": " + want + " vs " + got);
    }
  }

  private static void assertSameSimilarity(Similarity want, Similarity got, double relative) {
    assertEquals(want.measure(), got.measure());
    assertEquals(want.names(), got.names());
    for (int i = 0; i < want.names().size(); i++) {
      for (int j = 0; j < want.names().size(); j++) {
        assertClose("ado[" + want.names().get(i) + ", " + want.names().get(j) + "]", want.matrix()[i][j], got.matrix()[i][j],
            relative);
      }
    }
    for (String f : want.names()) {
      Map<String, Double> a = want.perFunction().get(f);
      Map<String, Double> b = got.perFunction().get(f);
      assertEquals(List.copyOf(a.keySet()), List.copyOf(b.keySet()), f);
      for (String key : a.keySet()) {
        // The cut is a value of the function: the same value, not a nearby one.
        assertClose(f + " " + key, a.get(key), b.get(key), key.equals("ams_cut") || key.equals("ams_direction") ? 0 : relative);
      }
    }
  }

  @ParameterizedTest(name = "{0} weights, {1} partitions (value ranges), blocks of {2}")
  @CsvSource({"unit, 1, 400", "unit, 3, 400", "unit, 7, 150", "integer, 7, 400", "fractional, 1, 400", "fractional, 3, 97",
      "fractional, 7, 400"})
  void equalsThePluginOnOneMachine(String weights, int partitions, int block) {
    Events ev = events(3000, 7, weights);
    // Unit and integer weights make every pair weight an exact integer: the same bits as one machine.
    double relative = weights.equals("fractional") ? 1e-9 : 0;
    assertSameSimilarity(plugin(ev, false), spark(ev, block, partitions, false), relative);
  }

  @Test
  void unweightedIgnoresTheWeights() {
    Events ev = events(2000, 11, "fractional");
    assertSameSimilarity(plugin(ev, true), spark(ev, 300, 5, true), 0);
  }

  @Test
  void noBackgroundIsAnError() {
    Events ev = events(500, 3, "unit");
    java.util.Arrays.fill(ev.signal(), true);
    GlassboxException e = assertThrows(GlassboxException.class, () -> spark(ev, 100, 3, false));
    assertTrue(e.getMessage().contains("no background events among the 500 events"), e.getMessage());
  }

  @Test
  void pairCountsEqualBruteForce() {
    SplittableRandom r = new SplittableRandom(5);
    for (int trial = 0; trial < 20; trial++) {
      int n = 1 + r.nextInt(60);
      float[] x = new float[n];
      float[] y = new float[n];
      boolean[] s = new boolean[n];
      double[] w = new double[n];
      for (int e = 0; e < n; e++) {
        x[e] = r.nextInt(5) - 2 + (r.nextBoolean() ? 0.0f : -0.0f);
        y[e] = r.nextInt(4);
        s[e] = r.nextBoolean();
        w[e] = 1 + r.nextInt(4);
      }
      for (boolean crossOnly : new boolean[] {false, true}) {
        double[] want = new double[3];
        for (int a = 0; a < n; a++) {
          for (int b = 0; b < n; b++) {
            if (!s[a] || s[b]) continue; // a signal, b background
            if (crossOnly && x[a] == x[b]) continue;
            double p = (double) (x[a] - x[b]) * (y[a] - y[b]);
            want[p > 0 ? 0 : p < 0 ? 1 : 2] += w[a] * w[b];
          }
        }
        double[] got = PairCounts.count(x, y, s, w, crossOnly);
        for (int q = 0; q < 3; q++) assertEquals(want[q], got[q], 0, "trial " + trial + " crossOnly " + crossOnly + " [" + q + "]");
      }
    }
  }

  @Test
  void crossCellsEqualBruteForce() {
    SplittableRandom r = new SplittableRandom(9);
    int rows = 5;
    int cols = 4;
    double[][] t = new double[2][rows * cols];
    for (int c = 0; c < rows * cols; c++) {
      t[0][c] = r.nextInt(3);
      t[1][c] = r.nextInt(3);
    }
    double concordant = 0;
    double discordant = 0;
    for (int a = 0; a < rows * cols; a++) {
      for (int b = 0; b < rows * cols; b++) {
        int dr = a / cols - b / cols;
        int dc = a % cols - b % cols;
        if (dr == 0 || dc == 0) continue;
        if ((dr > 0) == (dc > 0)) concordant += t[0][a] * t[1][b];
        else discordant += t[0][a] * t[1][b];
      }
    }
    double[] got = DistributedAdo.crossCells(t, rows, cols);
    assertEquals(concordant, got[0], 0);
    assertEquals(discordant, got[1], 0);
  }
}

package org.glassbox.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.OptionException;
import org.glassbox.api.Options;
import org.glassbox.api.similarity.Similarity;
import org.glassbox.api.similarity.SimilarityContext;
import org.glassbox.plugins.mutualinformation.MutualInformationMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Mutual information over every event on Spark against the {@code mutual-information} plugin on one
 * machine holding every event: bins, matrix, entropies, occupied bins and permutation baselines, on
 * events with heavy ties (a ReLU-like function whose zero holds a third of the weight, a rounded one, a
 * function with 7 values, -0.0 beside 0.0), with unit, integer and fractional weights, in 1, 3 and 7
 * partitions, with value ranges taken whole by the driver or scanned by their tasks.
 */
class DistributedMutualInformationTest {
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    SparkTests.assumeSparkStarts();
    sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("glassbox-mi-test")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1"));
    sc.setLogLevel("WARN");
  }

  @AfterAll
  static void stop() {
    if (sc != null) sc.close();
  }

  private record Events(double[] weights, Map<String, float[]> functions) {}

  private static Events events(int n, long seed, String weights) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] w = weights.equals("unit") ? null : new double[n];
    float[] net = new float[n];
    float[] relu = new float[n];
    float[] rounded = new float[n];
    float[] few = new float[n];
    for (int e = 0; e < n; e++) {
      double x = r.nextGaussian();
      net[e] = (float) (x + 0.5 * r.nextGaussian());
      relu[e] = r.nextDouble() < 0.35 ? (r.nextBoolean() ? 0.0f : -0.0f) : (float) Math.abs(x + 0.3 * r.nextGaussian());
      rounded[e] = (float) (Math.round((x + 0.7 * r.nextGaussian()) * 4) / 4.0);
      few[e] = (float) Math.min(3, Math.max(-3, Math.round(x * 2)));
      if (w != null) w[e] = weights.equals("integer") ? r.nextInt(4) : 0.25 + 1.5 * r.nextDouble();
    }
    Map<String, float[]> f = new LinkedHashMap<>();
    f.put("net", net);
    f.put("relu", relu);
    f.put("rounded", rounded);
    f.put("few", few);
    return new Events(w, f);
  }

  private static Options options(int bins, boolean unweighted, String matrix) {
    return new Options(Map.of("bins", (long) bins, "unweighted", unweighted, "baseline", true, "matrix", matrix));
  }

  /** The plugin on one machine, every event. */
  private static Similarity plugin(Events ev, Options options, long seed) {
    Map<String, double[]> f = new LinkedHashMap<>();
    ev.functions().forEach((k, v) -> {
      double[] d = new double[v.length];
      for (int e = 0; e < v.length; e++) d[e] = v[e];
      f.put(k, d);
    });
    int n = f.values().iterator().next().length;
    double[] w = ev.weights();
    if (w == null) {
      w = new double[n];
      Arrays.fill(w, 1);
    }
    double[] weights = w;
    return new MutualInformationMethod().compare(new SimilarityContext() {
      public Map<String, double[]> functions() {
        return f;
      }

      public Optional<int[]> labels() {
        return Optional.empty();
      }

      public double[] weights() {
        return weights;
      }

      public Options options() {
        return options;
      }

      public long seed() {
        return seed;
      }
    });
  }

  /** The events in blocks of about {@code block}, in {@code partitions} partitions, on the cluster. */
  private static Similarity spark(Events ev, int block, int partitions, Options options, long seed, int inline) {
    return spark(ev, block, partitions, options, seed, inline, DistributedMutualInformation.CELLS_PER_PASS);
  }

  /** The same, holding at most {@code cells} histogram cells per task at once (several passes over the pairs). */
  private static Similarity spark(Events ev, int block, int partitions, Options options, long seed, int inline, long cells) {
    int k = ev.functions().size();
    List<float[]> columns = new ArrayList<>(ev.functions().values());
    int n = columns.get(0).length;
    List<FunctionBlock> blocks = new ArrayList<>();
    for (int from = 0; from < n; from += block) {
      int to = Math.min(n, from + block);
      float[][] v = new float[k][];
      for (int j = 0; j < k; j++) v[j] = Arrays.copyOfRange(columns.get(j), from, to);
      blocks.add(new FunctionBlock(from, v, new boolean[to - from],
          ev.weights() == null ? null : Arrays.copyOfRange(ev.weights(), from, to)));
    }
    JavaRDD<FunctionBlock> rdd = sc.parallelize(blocks, partitions).cache();
    try {
      return DistributedMutualInformation.compute(rdd, new ArrayList<>(ev.functions().keySet()), options, seed, partitions,
          inline, cells);
    } finally {
      rdd.unpersist(false);
    }
  }

  private static void assertSameSimilarity(Similarity want, Similarity got, double relative) {
    assertEquals(want.measure(), got.measure());
    assertEquals(want.names(), got.names());
    for (int i = 0; i < want.names().size(); i++) {
      for (int j = 0; j < want.names().size(); j++) {
        assertClose("[" + want.names().get(i) + ", " + want.names().get(j) + "]", want.matrix()[i][j], got.matrix()[i][j], relative);
      }
    }
    for (String f : want.names()) {
      Map<String, Double> a = want.perFunction().get(f);
      Map<String, Double> b = got.perFunction().get(f);
      assertEquals(List.copyOf(a.keySet()), List.copyOf(b.keySet()), f);
      // Occupied bins are counts: the same bins, not nearly.
      for (String key : a.keySet()) assertClose(f + " " + key, a.get(key), b.get(key), key.equals("bins") ? 0 : relative);
    }
  }

  private static void assertClose(String what, double want, double got, double relative) {
    if (relative == 0 || Double.isNaN(want)) {
      assertEquals(want, got, 0, what);
    } else {
      assertTrue(Math.abs(want - got) <= relative * Math.max(Math.abs(want), Math.abs(got)), what + ": " + want + " vs " + got);
    }
  }

  @ParameterizedTest(name = "{0} weights, {1} partitions, blocks of {2}, {3} bins, matrix {4}, inline {5}, cells {6}")
  @CsvSource({"unit, 1, 400, 20, nmi, 4096, 16777216", "unit, 3, 400, 20, baseline, 0, 16777216",
      "unit, 7, 150, 20, excess, 4096, 500", "integer, 3, 97, 12, nmi, 0, 16777216", "integer, 7, 400, 20, baseline, 4096, 16777216",
      "fractional, 1, 400, 20, nmi, 4096, 16777216", "fractional, 3, 97, 20, baseline, 0, 100",
      "fractional, 7, 400, 9, excess, 4096, 16777216"})
  void equalsThePluginOnOneMachine(String weights, int partitions, int block, int bins, String matrix, int inline, long cells) {
    Events ev = events(3000, 7, weights);
    // Unit and integer weights make every histogram cell an exact integer: the same bits as one machine.
    double relative = weights.equals("fractional") ? 1e-9 : 0;
    Options o = options(bins, false, matrix);
    assertSameSimilarity(plugin(ev, o, 5), spark(ev, block, partitions, o, 5, inline, cells), relative);
  }

  @Test
  void pairsArePassedInBatchesWithinTheCellBudget() {
    int[] count = {20, 7, 20, 3};
    List<boolean[]> passes = DistributedMutualInformation.passes(count, true, 500);
    boolean[] seen = new boolean[16];
    for (boolean[] pass : passes) {
      long cells = 0;
      int pairs = 0;
      for (int q = 0; q < 16; q++) {
        if (!pass[q]) continue;
        assertTrue(q / 4 <= q % 4, "pair " + q);
        assertTrue(!seen[q], "pair " + q + " twice");
        seen[q] = true;
        cells += (long) count[q / 4] * count[q % 4];
        pairs++;
      }
      assertTrue(cells <= 500 || pairs == 1, cells + " cells in " + pairs + " pairs");
    }
    for (int i = 0; i < 4; i++) for (int j = i; j < 4; j++) assertTrue(seen[i * 4 + j], i + ", " + j);
    assertEquals(1, DistributedMutualInformation.passes(count, false, 1L << 24).size());
  }

  @Test
  void unweightedIgnoresTheWeightsAndAnotherSeedAnotherBaseline() {
    Events ev = events(2000, 11, "fractional");
    Options o = options(15, true, "baseline");
    Similarity got = spark(ev, 300, 5, o, 3, 0);
    assertSameSimilarity(plugin(ev, o, 3), got, 0);
    Similarity other = spark(ev, 300, 5, o, 4, 4096);
    assertSameSimilarity(plugin(ev, o, 4), other, 0);
    assertTrue(other.matrix()[0][1] != got.matrix()[0][1], "the baseline's shuffle follows the seed");
  }

  @Test
  void theBinsAreThePluginsWhenMostWeightSitsOnOneValue() {
    // A third of the events at the largest value: the bins below aim at a share of a total that includes it, so
    // they run out before the bins do: fewer bins than asked are used (the plugin's 'bins' per function).
    Events ev = events(2500, 13, "integer");
    float[] net = ev.functions().get("net");
    for (int e = 0; e < net.length; e += 3) net[e] = 9f;
    Options o = options(30, false, "nmi");
    Similarity want = plugin(ev, o, 1);
    Similarity got = spark(ev, 64, 7, o, 1, 0);
    assertSameSimilarity(want, got, 0);
    assertTrue(want.perFunction().get("net").get("bins") < 30, "fewer bins than asked: " + want.perFunction().get("net"));
  }

  @Test
  void errorsAreThePlugins() {
    Events ev = events(500, 3, "integer");
    ev.weights()[123] = -1;
    GlassboxException e = assertThrows(GlassboxException.class, () -> spark(ev, 100, 3, options(10, false, "nmi"), 1, 4096));
    assertTrue(e.getMessage().contains("the weight of event 123 is -1.0"), e.getMessage());
    Events nan = events(500, 3, "unit");
    nan.functions().get("rounded")[321] = Float.NaN;
    e = assertThrows(GlassboxException.class, () -> spark(nan, 100, 3, options(10, false, "nmi"), 1, 4096));
    assertTrue(e.getMessage().contains("function 'rounded' is NaN at event 321"), e.getMessage());
    OptionException o = assertThrows(OptionException.class, () -> spark(events(50, 3, "unit"), 10, 3, options(60, false, "nmi"),
        1, 4096));
    assertTrue(o.getMessage().contains("50 events with non-zero weight cannot fill 60"), o.getMessage());
  }
}

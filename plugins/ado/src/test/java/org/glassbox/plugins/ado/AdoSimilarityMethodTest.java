package org.glassbox.plugins.ado;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassbox.api.GlassboxException;
import org.glassbox.api.OptionException;
import org.glassbox.api.Options;
import org.glassbox.api.similarity.Similarity;
import org.glassbox.api.similarity.SimilarityContext;
import org.junit.jupiter.api.Test;

/** The {@code ado} similarity method against brute force over all pairs. */
class AdoSimilarityMethodTest {
  private final AdoSimilarityMethod method = new AdoSimilarityMethod();

  record Context(Map<String, double[]> functions, Optional<int[]> labels, double[] weights, Options options, long seed)
      implements SimilarityContext {}

  private Options options(Object... pairs) {
    Map<String, Object> v = new LinkedHashMap<>(Options.defaults(method.options()).asMap());
    for (int i = 0; i < pairs.length; i += 2) {
      v.put((String) pairs[i], pairs[i + 1]);
    }
    return new Options(v);
  }

  private static int[] labels(boolean[] signal) {
    int[] y = new int[signal.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = signal[i] ? 1 : 0;
    }
    return y;
  }

  private static Map<String, double[]> functions(RandomEvents d) {
    Map<String, double[]> fs = new LinkedHashMap<>();
    fs.put("f", d.f);
    fs.put("g", d.g);
    fs.put("h", d.h);
    fs.put("-g", RandomEvents.negate(d.g));
    return fs;
  }

  @Test
  void matrixIsOrientedBruteForceAdoWithTiesAndWeights() {
    RandomEvents d = new RandomEvents(400, 31, true, 4);
    Map<String, double[]> fs = functions(d);
    Similarity s = method.compare(new Context(fs, Optional.of(labels(d.signal)), d.weights, options(), 7));
    assertEquals("ado", s.measure());
    assertEquals(List.of("f", "g", "h", "-g"), s.names());
    double[][] raw = fs.values().toArray(new double[0][]);
    boolean sawInverted = false;
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        double brute = BruteForce.ado(raw[i], raw[j], d.signal, d.weights);
        sawInverted |= brute < 0.5;
        assertEquals(Math.max(brute, 1 - brute), s.matrix()[i][j], 1e-12, "entry " + i + "," + j);
      }
    }
    assertTrue(sawInverted, "the data should exercise the orientation");
    // With ties the diagonal is 1 less half the tied fraction, not 1.
    assertTrue(s.matrix()[0][0] < 1);
  }

  @Test
  void diagonalIsOneWithoutTies() {
    RandomEvents d = new RandomEvents(200, 32, true, 0);
    Similarity s = method.compare(new Context(functions(d), Optional.of(labels(d.signal)), d.weights, options(), 7));
    for (int i = 0; i < 4; i++) {
      assertEquals(1.0, s.matrix()[i][i], 0);
    }
  }

  @Test
  void aucIsTheMannWhitneyPairCountOrientedAndRaw() {
    RandomEvents d = new RandomEvents(500, 33, true, 5);
    Map<String, double[]> fs = functions(d);
    Similarity s = method.compare(new Context(fs, Optional.of(labels(d.signal)), d.weights, options(), 7));
    for (Map.Entry<String, double[]> e : fs.entrySet()) {
      double brute = BruteForce.auc(e.getValue(), d.signal, d.weights);
      Map<String, Double> p = s.perFunction().get(e.getKey());
      assertEquals(brute, p.get("auc_raw"), 1e-12, e.getKey());
      assertEquals(Math.max(brute, 1 - brute), p.get("auc"), 1e-12, e.getKey());
    }
    // -g orders every pair the other way: its raw AUC is 1 - g's, its own AUC the same.
    Map<String, Double> g = s.perFunction().get("g");
    Map<String, Double> minusG = s.perFunction().get("-g");
    assertEquals(1 - g.get("auc_raw"), minusG.get("auc_raw"), 1e-12);
    assertEquals(g.get("auc"), minusG.get("auc"), 1e-12);
    assertTrue(g.get("auc_raw") > 0.5 && minusG.get("auc_raw") < 0.5);
  }

  @Test
  void amsIsTheBestCutOfADirectScanOnTheSignalLikeSide() {
    RandomEvents d = new RandomEvents(400, 34, true, 6);
    // Weights as expected numbers of events: a rare signal on a large background.
    double[] w = d.weights.clone();
    for (int i = 0; i < w.length; i++) {
      w[i] *= d.signal[i] ? 0.3 : 5;
    }
    Map<String, double[]> fs = functions(d);
    Similarity s = method.compare(new Context(fs, Optional.of(labels(d.signal)), w, options(), 7));
    for (Map.Entry<String, double[]> e : fs.entrySet()) {
      boolean high = BruteForce.auc(e.getValue(), d.signal, w) >= 0.5;
      double[] brute = BruteForce.amsScan(e.getValue(), d.signal, w, high);
      Map<String, Double> p = s.perFunction().get(e.getKey());
      assertEquals(brute[0], p.get("ams"), 1e-12, e.getKey());
      assertEquals(brute[1], p.get("ams_cut"), 0, e.getKey());
      assertEquals(brute[2], p.get("ams_s"), 1e-9);
      assertEquals(brute[3], p.get("ams_b"), 1e-9);
      assertEquals(high ? 1.0 : -1.0, p.get("ams_direction"), 0);
      assertEquals(0.0, p.get("ams_unit_weights"), 0);
    }
    assertEquals(-1.0, s.perFunction().get("-g").get("ams_direction"), 0);
    // -g cut from below is g cut from above.
    assertEquals(s.perFunction().get("g").get("ams"), s.perFunction().get("-g").get("ams"), 1e-12);
    assertEquals(-s.perFunction().get("g").get("ams_cut"), s.perFunction().get("-g").get("ams_cut"), 0);
  }

  @Test
  void unweightedIgnoresTheWeights() {
    RandomEvents d = new RandomEvents(300, 35, true, 4);
    Map<String, double[]> fs = functions(d);
    Similarity s = method.compare(
        new Context(fs, Optional.of(labels(d.signal)), d.weights, options("unweighted", true), 7));
    double[] ones = new double[d.weights.length];
    Arrays.fill(ones, 1);
    double[][] raw = fs.values().toArray(new double[0][]);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        double brute = BruteForce.ado(raw[i], raw[j], d.signal, ones);
        assertEquals(Math.max(brute, 1 - brute), s.matrix()[i][j], 1e-12);
      }
      assertEquals(BruteForce.auc(raw[i], d.signal, ones), s.perFunction().get(s.names().get(i)).get("auc_raw"), 1e-12);
      assertEquals(1.0, s.perFunction().get(s.names().get(i)).get("ams_unit_weights"), 0);
    }
    // And the weights did matter: the weighted matrix differs.
    Similarity weighted = method.compare(new Context(fs, Optional.of(labels(d.signal)), d.weights, options(), 7));
    assertTrue(Math.abs(weighted.matrix()[0][1] - s.matrix()[0][1]) > 1e-6);
  }

  @Test
  void sampledPairsEstimateTheExactMatrixReproducibly() {
    RandomEvents d = new RandomEvents(2000, 36, true, 3);
    Map<String, double[]> fs = functions(d);
    Context exactContext = new Context(fs, Optional.of(labels(d.signal)), d.weights, options(), 7);
    Similarity exact = method.compare(exactContext);
    Options sampledOptions = options("sampled_pairs", 40_000L);
    Similarity a = method.compare(new Context(fs, Optional.of(labels(d.signal)), d.weights, sampledOptions, 11));
    Similarity b = method.compare(new Context(fs, Optional.of(labels(d.signal)), d.weights, sampledOptions, 11));
    Similarity c = method.compare(new Context(fs, Optional.of(labels(d.signal)), d.weights, sampledOptions, 12));
    boolean differs = false;
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(a.matrix()[i], b.matrix()[i], 0);
      Map<String, Double> p = a.perFunction().get(a.names().get(i));
      assertEquals(40_000.0, p.get("sampled_pairs"), 0);
      double bound = 5 * p.get("ado_standard_error_max");
      assertTrue(bound > 0 && bound < 0.02, "standard error " + bound);
      for (int j = 0; j < 4; j++) {
        assertTrue(Math.abs(a.matrix()[i][j] - exact.matrix()[i][j]) < bound,
            "entry " + i + "," + j + ": " + a.matrix()[i][j] + " vs " + exact.matrix()[i][j]);
        differs |= a.matrix()[i][j] != c.matrix()[i][j];
      }
      Map<String, Double> pe = exact.perFunction().get(a.names().get(i));
      assertTrue(Math.abs(p.get("auc_raw") - pe.get("auc_raw")) < 5 * p.get("auc_standard_error"));
      assertEquals(pe.get("ams"), p.get("ams"), 0, "the AMS scan stays exact");
    }
    assertTrue(differs, "another seed draws other pairs");
    assertFalse(exact.perFunction().get("f").containsKey("sampled_pairs"));
  }

  @Test
  void labelsAreRequired() {
    RandomEvents d = new RandomEvents(50, 37, false, 0);
    GlassboxException e = assertThrows(GlassboxException.class,
        () -> method.compare(new Context(functions(d), Optional.empty(), d.weights, options(), 7)));
    assertTrue(e.getMessage().contains("needs labels") && e.getMessage().contains("signal"), e.getMessage());
  }

  @Test
  void rejectsLabelsOtherThanZeroAndOne() {
    RandomEvents d = new RandomEvents(50, 38, false, 0);
    int[] y = labels(d.signal);
    y[3] = 2;
    GlassboxException e = assertThrows(GlassboxException.class,
        () -> method.compare(new Context(functions(d), Optional.of(y), d.weights, options(), 7)));
    assertTrue(e.getMessage().contains("event 3"), e.getMessage());
  }

  @Test
  void rejectsNegativeSampledPairs() {
    RandomEvents d = new RandomEvents(50, 39, false, 0);
    OptionException e = assertThrows(OptionException.class, () -> method.compare(
        new Context(functions(d), Optional.of(labels(d.signal)), d.weights, options("sampled_pairs", -5L), 7)));
    assertEquals("sampled_pairs", e.option());
  }

  @Test
  void declaresItsOptionsAndConventions() {
    assertEquals("ado", method.id());
    assertEquals(List.of("unweighted", "sampled_pairs"), method.options().stream().map(o -> o.name()).toList());
    assertEquals(false, method.options().get(0).defaultValue());
    assertEquals(0L, method.options().get(1).defaultValue());
    assertTrue(method.conventions().contains("max(ADO, 1 - ADO)"));
  }
}
